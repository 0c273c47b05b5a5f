import { useEffect, useState } from 'preact/hooks';
import type { CaseDetail, ListedCase } from '../../client/staff.js';
import { protectionRequests, type CheckedProtectionRequest } from '../../client/staff-protection.js';
import { describeError } from '../errors.js';
import { formatDay, t, tOr } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { who } from './assign.js';

// What the case is tied to: the case a retaliation report is about (opened in place
// when this person may see it), and the protection requests made on the case, each
// decision shown as decided only once its signature checked out (staff-protection.ts).

/** A case fetched by id, as a list row would show it (a case opened from elsewhere than the inbox). */
export const listedFrom = (c: CaseDetail): ListedCase => ({ ...c, assignees: c.grants.map((g) => g.staffId), unread: false });

/** The original case of a retaliation report, by its public number, or why it cannot be shown. */
export function LinkedCase({ session, parentCaseId, onOpen }: { session: ConsoleSession; parentCaseId: string; onOpen: (c: ListedCase) => void }) {
  const [parent, setParent] = useState<CaseDetail | null | 'hidden'>(null);
  useEffect(() => {
    session.client.caseDetail(parentCaseId).then(setParent, () => setParent('hidden'));
  }, [parentCaseId]);
  if (parent === null) return <>{t('case.related.loading')}</>;
  if (parent === 'hidden') return <>{t('case.related.hidden')}</>;
  return <button type="button" class="link" onClick={() => onOpen(listedFrom(parent))}>{t('case.related.open', { number: parent.publicNumber })}</button>;
}

function decision(s: ConsoleSession, r: CheckedProtectionRequest): string {
  switch (r.checked.authenticity) {
    case 'pending': return t('protection.pending', { day: formatDay(r.dueOn) });
    case 'signed': return t(r.status === 'granted' ? 'protection.granted' : 'protection.refused', { name: who(s, r.checked.decidedBy ?? ''), day: formatDay(r.decidedOn ?? '') });
    default: return t('protection.unverified');
  }
}

/**
 * The measures' history of one request (Law Art. 50(3), 54): each step as the checked chain
 * shows it (protection-steps-check.ts), a refused one with no maker. Steps are taken with
 * the CLI (`tipline protection change | add | end | confirm`).
 */
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
              ? t('protection.step.signed', { step: t(`protection.step.${s.step}`), ground: ground(s.ground), name: who(session, s.by), day: formatDay(s.onDay) })
              : t('protection.step.refused', { seq: s.seq })}
          </li>
        ))}
      </ol>
      {r.status === 'granted' && !h.endedOn && <p class="hint">{t('protection.manage', { id: r.protectionRequestId })}</p>}
    </div>
  );
}

/** The case's protection requests, for the heads of agency who decide them. */
export function ProtectionList({ session, caseId }: { session: ConsoleSession; caseId: string }) {
  const [list, setList] = useState<CheckedProtectionRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const deciding = session.client.session.roles.includes('supervisor');
  useEffect(() => {
    if (!deciding) return;
    protectionRequests(session.client).then((all) => setList(all.filter((r) => r.caseId === caseId)), (err: unknown) => setError(describeError(err)));
  }, [caseId, deciding]);
  if (!deciding) return null;
  return (
    <section aria-labelledby="protection-title">
      <h3 id="protection-title">{t('protection.title')}</h3>
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
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
