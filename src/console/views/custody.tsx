import { useEffect, useRef, useState } from 'preact/hooks';
import { approvals, decisionBlocked, isCustodian, loadRequests, mayRead, type ListedRequest } from '../custody.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { ApprovePanel, RefusePanel, type Decided } from './custody-decide.js';
import { day, Person, subjectText } from './custody-parts.js';
import { ReshareTask } from './custody-reshare.js';
import { RevealPanel } from './custody-reveal.js';

// Identity and protection-detail requests: the ones this custodian must decide on and
// the ones this staff member asked for. Every request shown has been checked against the
// agency's verified bundle (or is shown refused), and its reason is decrypted here.

function Decisions({ s, l }: { s: ConsoleSession; l: ListedRequest }) {
  const r = l.checked.request;
  if (r.decisions.length === 0) return null;
  const refusal = (id: string) => l.refusals.find((x) => x.staffId === id)?.reason;
  return (
    <ul class="decisions">
      {r.decisions.map((d) => (
        <li key={d.staffId}>
          <Person s={s} id={d.staffId} />: {t(d.decision === 'approve' ? 'custody.decision.approve' : 'custody.decision.refuse')} {day(d.decidedAt)}
          {refusal(d.staffId) !== undefined && <> — <span class="plaintext">{t('custody.decision.because', { reason: refusal(d.staffId)! })}</span></>}
        </li>
      ))}
    </ul>
  );
}

type Open = { kind: 'approve' | 'refuse' | 'read'; requestId: string } | null;

function Actions({ s, l, open, setOpen }: { s: ConsoleSession; l: ListedRequest; open: Open; setOpen: (o: Open) => void }) {
  const r = l.checked.request;
  const blocked = isCustodian(s) ? decisionBlocked(s, l) : null;
  const hint = `why-${r.identityRequestId}`;
  const decided = r.decisions.find((d) => d.staffId === s.staffId);
  const opened = open?.requestId === r.identityRequestId ? open.kind : null;
  return (
    <div class="actions">
      {isCustodian(s) && !opened && <>
        <button type="button" disabled={blocked !== null} aria-describedby={blocked ? hint : undefined} onClick={() => setOpen({ kind: 'approve', requestId: r.identityRequestId })}>
          {t('custody.approve')}
        </button>{' '}
        <button type="button" disabled={blocked !== null} aria-describedby={blocked ? hint : undefined} onClick={() => setOpen({ kind: 'refuse', requestId: r.identityRequestId })}>
          {t('custody.refuse')}
        </button>
        {blocked && <p id={hint} class="hint">{t(blocked, { decision: decided ? t(decided.decision === 'approve' ? 'custody.decision.approve' : 'custody.decision.refuse') : '', state: t(`custody.state.${r.state}`) })}</p>}
      </>}
      {mayRead(s, r) && !opened && (
        <button type="button" onClick={() => setOpen({ kind: 'read', requestId: r.identityRequestId })}>
          {t(r.subject === 'protection' ? 'custody.read.details' : 'custody.read.identity')}
        </button>
      )}
    </div>
  );
}

interface ItemProps { s: ConsoleSession; l: ListedRequest; open: Open; setOpen: (o: Open) => void; done: (decided: Decided) => void }

function RequestItem({ s, l, open, setOpen, done }: ItemProps) {
  const r = l.checked.request;
  const opened = open?.requestId === r.identityRequestId ? open.kind : null;
  const title = useRef<HTMLHeadingElement>(null);
  // Back from a panel, keyboard users land on the request they were on.
  const close = () => { setOpen(null); title.current?.focus(); };
  return (
    <li class={`request ${r.state}${l.checked.refused ? ' forged' : ''}${r.urgent && r.subject === 'protection' ? ' urgent' : ''}`}>
      <h3 tabIndex={-1} ref={title}>
        {subjectText(r)} — {t('custody.case', { number: r.publicNumber })}
        {r.subject === 'protection' && r.urgent && <span class="badge urgent-badge">⚑ {t('inbox.urgent')}</span>}
      </h3>
      <dl class="meta">
        <dt>{t('custody.asker')}</dt><dd><Person s={s} id={r.requesterId} />{r.requesterId === s.staffId && ` (${t('custody.you')})`}</dd>
        <dt>{t('custody.asked')}</dt><dd>{day(r.createdAt)}</dd>
        <dt>{t('custody.status')}</dt><dd>{t(`custody.state.${r.state}`)} · {t('custody.approvals', { count: approvals(r), threshold: r.threshold })}</dd>
        <dt>{t('custody.reason')}</dt><dd class="plaintext">{l.reason ?? t(l.checked.refused ? 'custody.reason.refused' : 'custody.reason.none')}</dd>
        <dt>{t('custody.check')}</dt>
        <dd class={l.checked.refused ? 'error' : 'check'}>
          {l.checked.refused ? t('error.trust', { message: l.checked.refused.message }) : t(r.subject === 'protection' ? 'custody.check.supervisor' : 'custody.check.investigator')}
        </dd>
      </dl>
      <Decisions s={s} l={l} />
      {!l.checked.refused && <Actions s={s} l={l} open={open} setOpen={setOpen} />}
      {opened === 'approve' && <ApprovePanel s={s} l={l} onCancel={close} onDone={done} />}
      {opened === 'refuse' && <RefusePanel s={s} l={l} onCancel={close} onDone={done} />}
      {opened === 'read' && <RevealPanel s={s} r={r} onClose={close} />}
    </li>
  );
}

export function Custody({ session }: { session: ConsoleSession }) {
  const [requests, setRequests] = useState<ListedRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState<Decided | null>(null);
  const done = (decided: Decided) => { setOpen(null); setNotice(decided); setGeneration((g) => g + 1); heading.current?.focus(); };
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  useEffect(() => {
    let live = true;
    setError(null);
    loadRequests(session).then((l) => live && setRequests(l), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [generation]);

  const pending = requests?.filter((l) => l.checked.request.state === 'pending').length ?? 0;
  return (
    <section class="panel custody" aria-labelledby="custody-title">
      <h2 id="custody-title" tabIndex={-1} ref={heading}>{t('custody.title')}</h2>
      <p class="hint">{t('custody.intro')}</p>
      <ReshareTask session={session} />
      <p class={notice ? 'notice' : undefined} role="status">{notice && t(notice.key, { number: notice.number, state: t(`custody.state.${notice.state}`) })}</p>
      {error && <p class="error" role="alert">{error}</p>}
      <p class="count" role="status">{requests === null ? (error ? '' : t('custody.loading')) : t('custody.count', { count: requests.length, pending })}</p>
      {requests?.length === 0 && <p>{t('custody.empty')}</p>}
      {requests && requests.length > 0 && (
        <ol class="requests">
          {requests.map((l) => <RequestItem key={l.checked.request.identityRequestId} s={session} l={l} open={open} setOpen={setOpen} done={done} />)}
        </ol>
      )}
    </section>
  );
}
