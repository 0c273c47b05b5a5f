import { useEffect, useState } from 'preact/hooks';
import { caseProtectionRequests, type CheckedProtectionRequest } from '../../client/staff-protection.js';
import { checkedWorkflow } from '../../client/staff-workflow.js';
import { utcToDay, type ProtectionStepGround } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t, tOr } from '../i18n/index.js';
import { protectionOffer, type CaseStanding, type ProtectionChoice } from '../protection.js';
import type { ConsoleSession } from '../session.js';
import { who } from './assign.js';
import { ProtectionDialog } from './protection-dialog.js';

// The case's protection requests, for the head of agency who decides them (Law ch. VI)
// and the intake officers who record the written confirmation of an urgent one:
// each decision shown as decided only once its signature checked out, the measures'
// history as the checked chain shows it (protection-steps-check.ts), and the decisions
// and steps this member may take now (protection.ts), each opening its dialog. After a
// signature the list is fetched and checked again: what it shows is never the server's
// answer to the step.

function decision(s: ConsoleSession, r: CheckedProtectionRequest): string {
  switch (r.checked.authenticity) {
    case 'pending': return t('protection.pending', { day: formatDay(r.dueOn) });
    case 'signed': return t(r.status === 'granted' ? 'protection.granted' : 'protection.refused', { name: who(s, r.checked.decidedBy ?? ''), day: formatDay(r.decidedOn ?? '') });
    default: return t('protection.unverified');
  }
}

/** The measures' history of one request (Law Art. 50(3), 54): each step as checked, a refused one with no maker. */
function StepList({ session, r }: { session: ConsoleSession; r: CheckedProtectionRequest }) {
  const h = r.history;
  const unsigned = h.intake.authenticity === 'unsigned' || h.intake.authenticity === 'refused';
  if (h.steps.length === 0 && !unsigned) return null;
  const ground = (g: string) => (g ? tOr(`protection.ground.${g}`, 'phase.unknown', { phase: g }) : '');
  return (
    <div class="protection-steps">
      {unsigned && <p class="warning">{t('protection.intakeUnsigned')}</p>}
      {h.steps.length > 0 && <p>{t('protection.steps')}</p>}
      <ol>
        {h.steps.map((s) => (
          <li key={s.seq} class={s.authenticity === 'refused' ? 'refused' : ''}>
            {s.authenticity === 'signed'
              ? t(s.ground ? 'protection.step.signed' : 'protection.step.signedNoGround', { step: t(`protection.step.${s.step}`), ground: ground(s.ground), name: who(session, s.by), day: formatDay(s.onDay) })
              : t('protection.step.refused', { seq: s.seq })}
          </li>
        ))}
      </ol>
    </div>
  );
}

interface Chosen { requestId: string; choice: ProtectionChoice; grounds: ProtectionStepGround[] }

interface ChoicesProps { r: CheckedProtectionRequest; standing: CaseStanding; roles: readonly string[]; hasKey: boolean; onChoose: (c: Chosen) => void }

/** The decisions and steps offered on one request, or why none is. */
function Choices({ r, standing, roles, hasKey, onChoose }: ChoicesProps) {
  const offer = protectionOffer(r, standing, roles, utcToDay(Date.now()));
  if (offer.kind === 'blocked') return <p class="error" role="alert">{t(`protect.blocked.${offer.why}`)}</p>;
  if (offer.choices.length === 0) return null;
  const noKey = `protect-nokey-${r.protectionRequestId}`;
  return (
    <>
      <ul class="steps" aria-label={t('protect.actions', { day: formatDay(r.requestedOn) })}>
        {offer.choices.map(({ choice, grounds }) => (
          <li key={choice}>
            <button type="button" disabled={!hasKey} aria-describedby={hasKey ? undefined : noKey}
              onClick={() => onChoose({ requestId: r.protectionRequestId, choice, grounds })}>{t(`protect.choice.${choice}`)}</button>
          </li>
        ))}
      </ul>
      {!hasKey && <p class="why" id={noKey}>{t('protect.noKey')}</p>}
    </>
  );
}

interface Props { session: ConsoleSession; caseId: string; publicNumber: string; hasKey: boolean }

export function ProtectionList({ session, caseId, publicNumber, hasKey }: Props) {
  const [list, setList] = useState<CheckedProtectionRequest[] | null>(null);
  const [standing, setStanding] = useState<CaseStanding | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  // What was just signed, named at render time so that a language switch names it too.
  const [outcome, setOutcome] = useState<ProtectionChoice | null>(null);
  const [round, setRound] = useState(0);
  const roles = session.client.session.roles;
  const reading = roles.includes('supervisor') || roles.includes('intake');
  useEffect(() => {
    if (!reading) return;
    let live = true;
    caseProtectionRequests(session.client, caseId).then((found) => live && setList(found), (err: unknown) => live && setError(describeError(err)));
    // The case's state as its signed history gives it: the grounds that rest on it (an end at the conclusion) are offered from it alone.
    checkedWorkflow(session.client, caseId).then(
      ({ history, jurisdiction }) => live && setStanding({ jurisdiction, state: history.refused === 0 ? history.snapshot.state : null }),
      (err: unknown) => live && setError(describeError(err)),
    );
    return () => { live = false; };
  }, [caseId, reading, round]);
  if (!reading) return null;
  const done = (signed: ProtectionChoice) => { setChosen(null); setOutcome(signed); setList(null); setRound((n) => n + 1); };
  return (
    <section aria-labelledby="protection-title" class="protection">
      <h3 id="protection-title">{t('protection.title')}</h3>
      {outcome && <p class="done" role="status">{t('protect.done', { choice: t(`protect.choice.${outcome}`) })}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {!error && !list && <p role="status">{t('inbox.loading')}</p>}
      {list && list.length === 0 && <p>{t('protection.none')}</p>}
      {list && list.length > 0 && (
        <ul>
          {list.map((r) => (
            <li key={r.protectionRequestId} class={r.urgent ? 'urgent' : ''}>
              {r.urgent && <span class="badge urgent-badge">⚑ {t('inbox.urgent')}</span>}{' '}
              {t('protection.requested', { day: formatDay(r.requestedOn) })}
              {r.channel && r.channel !== 'online' && ` (${t(`intake.protection.channel.${r.channel}`)}, ${
                r.history.confirmedOn ? t('protection.confirmed', { day: formatDay(r.history.confirmedOn) }) : t('intake.protection.toConfirm')})`} — {decision(session, r)}
              {r.history.endedOn && <> — {t('protection.ended', { day: formatDay(r.history.endedOn) })}</>}
              <StepList session={session} r={r} />
              {!standing && !error && <p role="status">{t('protect.checking')}</p>}
              {standing && chosen?.requestId === r.protectionRequestId && (
                <ProtectionDialog key={chosen.choice} session={session} request={r} standing={standing} publicNumber={publicNumber}
                  choice={chosen.choice} grounds={chosen.grounds} onCancel={() => setChosen(null)} onDone={done} />
              )}
              {standing && !chosen && <Choices r={r} standing={standing} roles={roles} hasKey={hasKey} onChoose={(c) => { setOutcome(null); setChosen(c); }} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
