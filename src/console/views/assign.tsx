import { useEffect, useState } from 'preact/hooks';
import type { CaseDetail } from '../../client/staff.js';
import { GRANTER_ROLES, mayReceiveGrant } from '../../domain/index.js';
import type { BundleStaff } from '../../protocol/index.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import { personName, type ConsoleSession } from '../session.js';
import { roleText } from './words.js';

// Who holds the case, and handing it to a colleague chosen by name: the case key is
// re-sealed here to the colleague's key as the agency's verified bundle lists it (never
// a key the server names) and the grant is signed; a revoke deletes their wrapped key.
// Each is confirmed first. Names come from the verified bundle; the id is shown beside.

interface Props { session: ConsoleSession; detail: CaseDetail; onChanged: () => void }
type Pending = { kind: 'grant'; staffId: string } | { kind: 'revoke'; staffId: string } | null;

/** A colleague by the name their agency's verified bundle signs, with their id beside it. */
export function who(s: ConsoleSession, staffId: string): string {
  const name = s.people.get(staffId)?.displayName;
  return name ? t('people.withId', { name, id: staffId.slice(0, 8) }) : personName(s, staffId);
}

export function Assign({ session, detail, onChanged }: Props) {
  const [members, setMembers] = useState<BundleStaff[] | null>(null);
  const [choice, setChoice] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const [working, setWorking] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mayGrant = detail.agencyId === session.agencyId && GRANTER_ROLES.some((r) => session.client.session.roles.includes(r)) && detail.wrappedKey !== null;

  useEffect(() => {
    if (!mayGrant) return;
    session.client.verifiedBundle(detail.agencyId).then((b) => setMembers(b.staff), (err: unknown) => setError(describeError(err)));
  }, [detail.agencyId, mayGrant]);

  const holders = new Set(detail.grants.map((g) => g.staffId));
  const candidates = (members ?? []).filter((m) => !holders.has(m.staffId) && m.staffId !== session.staffId && mayReceiveGrant({ status: 'active', roles: m.roles }, true));

  async function carryOut(p: NonNullable<Pending>) {
    setWorking(true);
    setError(null);
    try {
      if (p.kind === 'grant') await session.client.grant(detail.caseId, { staffId: p.staffId }, session.keys);
      else await session.client.revoke(detail.caseId, p.staffId);
      setSaid(t(p.kind === 'grant' ? 'assign.done' : 'assign.revoked', { name: who(session, p.staffId) }));
      setPending(null);
      setChoice('');
      onChanged();
    } catch (err) {
      setError(t('action.failed', { why: describeError(err) }));
    } finally {
      setWorking(false);
    }
  }

  return (
    <section aria-labelledby="assign-title" class="assign">
      <h3 id="assign-title">{t('assign.title')}</h3>
      {detail.grants.length === 0 ? <p>{t('assign.none')}</p> : (
        <ul>
          {detail.grants.map((g) => (
            <li key={g.staffId}>
              {who(session, g.staffId)}
              {g.grantedBy && ` — ${t('assign.by', { name: who(session, g.grantedBy), day: formatDay(g.grantedOn) })}`}
              {mayGrant && g.staffId !== session.staffId && (
                <> <button type="button" disabled={working} onClick={() => { setSaid(null); setPending({ kind: 'revoke', staffId: g.staffId }); }}>{t('assign.revoke')}</button></>
              )}
            </li>
          ))}
        </ul>
      )}
      {said && <p class="done" role="status">{said}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {!mayGrant && <p class="hint">{t('assign.onlyIntake')}</p>}
      {mayGrant && members && !pending && (candidates.length === 0 ? <p class="hint">{t('assign.nobodyLeft')}</p> : (
        <form onSubmit={(e) => { e.preventDefault(); if (choice) { setSaid(null); setPending({ kind: 'grant', staffId: choice }); } }}>
          <label for="assign-to">{t('assign.to')}</label>{' '}
          <select id="assign-to" value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('assign.choose')}</option>
            {candidates.map((m) => <option key={m.staffId} value={m.staffId}>{who(session, m.staffId)} — {m.roles.map(roleText).join(', ')}</option>)}
          </select>{' '}
          <button type="submit" disabled={!choice}>{t('assign.submit')}</button>
        </form>
      ))}
      {pending && (
        <div class="dialog" role="group" aria-label={t(pending.kind === 'grant' ? 'assign.submit' : 'assign.revoke')}>
          <p>{t(pending.kind === 'grant' ? 'assign.confirm' : 'assign.revoke.confirm', { name: who(session, pending.staffId) })}</p>
          <p role="status">{working ? t('assign.working') : ''}</p>
          <button type="button" class="primary" disabled={working} onClick={() => void carryOut(pending)}>
            {t(pending.kind === 'grant' ? 'assign.confirm.yes' : 'assign.revoke.yes')}
          </button>{' '}
          <button type="button" disabled={working} onClick={() => setPending(null)}>{t('action.cancel')}</button>
        </div>
      )}
    </section>
  );
}
