import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiClientError } from '../../client/http.js';
import { decodeJson, type CaseBody } from '../../client/plaintext.js';
import type { CaseDetail, ListedCase } from '../../client/staff.js';
import { readMessages, type OpenedMessage } from '../../client/staff-messages.js';
import { today } from '../deadline.js';
import { describeError } from '../errors.js';
import { formatDay, t, tOr, type MessageKey } from '../i18n/index.js';
import { personName, type ConsoleSession } from '../session.js';
import { Assign, who } from './assign.js';
import { Attachment } from './attachment.js';
import { CaseActions } from './case-actions.js';
import { LinkedCase } from './case-links.js';
import { ReplyBox, RevealRequest } from './compose.js';
import { ProtectionList } from './protection-list.js';
import { kindText, statusText } from './inbox.js';
import { actionText } from './words.js';

// One case, opened on this machine: the SDK checks the key's grant against the verified
// bundle, unwraps it with the staff member's key, opens the body and every message (a
// staff reply only if its author's signature verifies); the content key is wiped once
// read. The timeline and deadline are the server's workflow record (metadata).

interface Clock { due: string | null; overdue: boolean; remaining: number | null; remainingUnit: 'working_days' | 'calendar_days' | null; paused: { since: string } | null }
interface WorkflowEvent { seq: number; action: string; from: string; to: string; onDay: string; actorId: string | null; due: string | null; late: boolean; noticeMessageId: string | null }
interface Duty { duty: string; due: string; metOn: string | null; late: boolean }
interface Workflow { state: string; clock: Clock; events: WorkflowEvent[]; duties: Duty[] }

/** What a conclusion brings after it (VN-2026), owed or done, each with its own deadline. */
function Duties({ duties }: { duties: Duty[] }) {
  if (duties.length === 0) return null;
  const now = today();
  return (
    <>
      <h4>{t('case.duties')}</h4>
      <ul class="duties">
        {duties.map((d) => {
          const duty = tOr(`phase.${d.duty}`, 'phase.unknown', { phase: d.duty });
          return d.metOn
            ? <li key={d.duty}>✓ {t('case.duty.met', { duty, day: formatDay(d.metOn) })}{d.late && ` · ⚠ ${t('case.event.late')}`}</li>
            : <li key={d.duty} class={d.due < now ? 'overdue' : ''}>{t('case.duty.owed', { duty, day: formatDay(d.due) })}{d.due < now && ` ⚠ ${t('case.clock.overdue')}`}</li>;
        })}
      </ul>
    </>
  );
}

/** The case as opened here; without a key only its metadata (body null), so the steps still show why not. */
interface Opened { detail: CaseDetail; body: CaseBody | null; messages: OpenedMessage[] }

const FIELDS = ['who', 'what', 'when', 'where', 'evidence'] as const;

async function openAll(s: ConsoleSession, caseId: string): Promise<Opened> {
  const { detail, contentKey, body } = await s.client.openCase(caseId, s.keys).catch(async (err: unknown) => {
    if (!(err instanceof ApiClientError && err.code === 'no_key')) throw err;
    return { detail: await s.client.caseDetail(caseId), contentKey: null, body: null };
  });
  if (!contentKey || !body) return { detail, body: null, messages: [] };
  try {
    const messages = await readMessages(s.client, caseId, detail.agencyId, contentKey);
    return { detail, body: decodeJson<CaseBody>(body), messages };
  } finally {
    contentKey.fill(0);
  }
}

function Message({ s, m, caseId, agencyId }: { s: ConsoleSession; m: OpenedMessage; caseId: string; agencyId: string }) {
  const author = m.direction === 'from_denouncer' ? t('case.message.denouncer') : personName(s, m.authorId);
  return (
    <li class={`message ${m.direction} ${m.authenticity}`}>
      <p class="meta"><strong>{author}</strong> · <time dateTime={m.sentOn}>{formatDay(m.sentOn)}</time></p>
      {m.authenticity === 'refused'
        ? <p class="error">{t('case.message.refused')}</p>
        : <>
            <p class="check">{m.authenticity === 'signed' ? t('case.message.signed', { name: author }) : t('case.message.fromDenouncer')}</p>
            <p class="text">{m.text}</p>
            {m.attachments.length > 0 && (
              <ul class="attachments">{m.attachments.map((a) => <Attachment key={a.id} s={s} caseId={caseId} agencyId={agencyId} a={a} />)}</ul>
            )}
          </>}
    </li>
  );
}

function Timeline({ s, w }: { s: ConsoleSession; w: Workflow }) {
  const c = w.clock;
  return (
    <section aria-labelledby="timeline-title">
      <h3 id="timeline-title">{t('case.timeline')}</h3>
      <p class={`clock${c.overdue ? ' overdue' : ''}`}>
        {/* A stopped clock keeps its last due day but counts nothing down. */}
        {c.due && t(c.remaining === null && !c.paused ? 'case.clock.stopped' : 'case.clock.due', { day: formatDay(c.due) })}
        {c.remaining !== null && ` — ${t(c.remainingUnit === 'working_days' ? 'case.clock.remainingWorking' : 'case.clock.remainingCalendar', { days: c.remaining })}`}
        {c.overdue && ` ⚠ ${t('case.clock.overdue')}`}
        {c.paused && ` ${t('case.clock.paused', { day: formatDay(c.paused.since) })}`}
      </p>
      <Duties duties={w.duties ?? []} />
      {w.events.length === 0 ? <p>{t('case.timeline.none')}</p> : (
        <ol class="timeline">
          {w.events.map((e) => (
            <li key={e.seq}>
              <time dateTime={e.onDay}>{formatDay(e.onDay)}</time>{' '}
              {t('case.event', { action: actionText(e.action), from: statusText(e.from), to: statusText(e.to) })}
              {e.actorId && ` ${t('case.event.by', { name: who(s, e.actorId) })}`}
              {e.due && ` · ${t('case.event.due', { day: formatDay(e.due) })}`}
              {e.late && ` · ⚠ ${t('case.event.late')}`}
              {e.noticeMessageId && ` · ✉ ${t('case.event.notice')}`}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

interface Props {
  session: ConsoleSession; listed: ListedCase; onBack: () => void; onOpen: (c: ListedCase) => void;
  /** Where the back button leads, when the case was opened from elsewhere than the inbox. */
  backLabel?: MessageKey;
}

export function CaseView({ session, listed, onBack, onOpen, backLabel = 'case.back' }: Props) {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped after a step, an assignment or a reply: everything is fetched and checked again.
  const [round, setRound] = useState(0);
  const reload = () => setRound((n) => n + 1);
  const heading = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen-reader users land on the case they opened, not at the page top.
  useEffect(() => { heading.current?.focus(); }, []);

  useEffect(() => {
    let live = true;
    openAll(session, listed.caseId).then((o) => live && setOpened(o), (err: unknown) => live && setError(describeError(err)));
    session.client.http.get<Workflow>(`/v1/staff/cases/${listed.caseId}/workflow`).then((w) => live && setWorkflow(w), () => undefined);
    return () => { live = false; };
  }, [listed.caseId, round]);
  // Once the thread is shown, the read point moves to its newest message (best effort: the marker only).
  useEffect(() => {
    const newest = opened?.messages[opened.messages.length - 1];
    if (newest) void session.client.markRead(listed.caseId, newest.messageId).catch(() => undefined);
  }, [opened]);

  const body = opened?.body;
  return (
    <section class="panel case" aria-labelledby="case-title">
      <button type="button" class="back" onClick={onBack}>← {t(backLabel)}</button>
      <h2 id="case-title" tabIndex={-1} ref={heading}>{t('case.title', { number: listed.publicNumber })}</h2>
      <dl class="meta">
        <dt>{t('inbox.col.kind')}</dt><dd>{kindText(listed.kind)}{listed.urgent && <span class="badge urgent-badge">⚑ {t('inbox.urgent')}</span>}</dd>
        <dt>{t('inbox.col.status')}</dt><dd>{statusText(workflow?.state ?? listed.status)}</dd>
        <dt>{t('inbox.col.received')}</dt><dd><time dateTime={listed.receivedOn}>{formatDay(listed.receivedOn)}</time></dd>
        {opened?.detail.parentCaseId && <><dt>{t('case.related')}</dt><dd><LinkedCase session={session} parentCaseId={opened.detail.parentCaseId} onOpen={onOpen} /></dd></>}
      </dl>
      {opened && !opened.body && <p class="hint">{t('case.noKey')}</p>}
      {listed.hasIdentity && <p class="hint">{t('case.identity')}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {!error && !opened && <p role="status">{t('case.opening')}</p>}
      {body && (
        <section aria-labelledby="body-title">
          <h3 id="body-title">{t('case.body')}</h3>
          <dl class="body">
            {FIELDS.filter((f) => body.summary?.[f]).map((f) => (
              <Fragment key={f}><dt>{tOr(`case.field.${f}`, 'kind.unknown', { kind: f })}</dt><dd class="plaintext">{body.summary[f]}</dd></Fragment>
            ))}
          </dl>
          <h3>{t('case.attachments')}</h3>
          {body.attachments.length === 0 ? <p>{t('case.attachments.none')}</p> : (
            <ul class="attachments">
              {body.attachments.map((a) => <Attachment key={a.id} s={session} caseId={listed.caseId} agencyId={opened!.detail.agencyId} a={a} />)}
            </ul>
          )}
        </section>
      )}
      {opened && opened.body && (
        <section aria-labelledby="messages-title">
          <h3 id="messages-title">{t('case.messages')}</h3>
          {opened.messages.length === 0 ? <p>{t('case.messages.none')}</p> : (
            <ol class="messages">{opened.messages.map((m) => <Message key={m.messageId} s={session} m={m} caseId={listed.caseId} agencyId={opened.detail.agencyId} />)}</ol>
          )}
          <ReplyBox session={session} detail={opened.detail} onSent={reload} />
        </section>
      )}
      {opened && <Assign session={session} detail={opened.detail} onChanged={reload} />}
      {opened && <CaseActions session={session} detail={opened.detail} publicNumber={listed.publicNumber} onChanged={reload} />}
      {opened && <RevealRequest session={session} detail={opened.detail} publicNumber={listed.publicNumber} />}
      {workflow && <Timeline s={session} w={workflow} />}
      <ProtectionList session={session} caseId={listed.caseId} publicNumber={listed.publicNumber} hasKey={!!opened?.detail.wrappedKey} />
    </section>
  );
}
