import { useEffect, useRef, useState } from 'preact/hooks';
import { enrolCommand, invitationText, type Invitation } from '../../client/staff-invitation.js';
import { unpinned } from '../../client/staff-trust.js';
import { isStaffName, STAFF_ROLES, type StaffRole } from '../../protocol/index.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { roleText } from './words.js';

// Inviting a member: a name and roles; the server answers a one-time enrolment code,
// which is shown here once, with the agency fingerprint from this session's own pin
// (never the server's). The code lives in this component's state only: hiding it,
// leaving the part or the section, or signing out drops it, and nothing fetches it again.

type Shown = Invitation & { expiresAt: string };

function InvitationPanel({ shown, onHide }: { shown: Shown; onHide: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [shown.staffId]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(invitationText(shown));
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }
  return (
    <section class="confirm invitation" aria-labelledby="invitation-title">
      <h4 id="invitation-title" tabIndex={-1} ref={heading}>{t('admin.invitation.title')}</h4>
      <p class="warning">{t('admin.invitation.once')}</p>
      <dl class="meta">
        <dt>{t('admin.invitation.agencyId')}</dt><dd><code>{shown.agencyId}</code></dd>
        <dt>{t('admin.invitation.fingerprint')}</dt><dd><code class="fingerprint">{shown.fingerprint}</code></dd>
        <dt>{t('admin.invitation.staffId')}</dt><dd><code>{shown.staffId}</code></dd>
        <dt>{t('admin.invitation.code')}</dt><dd><code class="code">{shown.enrolmentCode}</code></dd>
        <dt>{t('admin.invitation.expires')}</dt><dd><time dateTime={shown.expiresAt}>{formatDay(shown.expiresAt.slice(0, 10))}</time></dd>
        <dt>{t('admin.invitation.command')}</dt><dd><code class="command">{enrolCommand(shown)}</code></dd>
      </dl>
      <p class="hint">{t('admin.invitation.handOver')}</p>
      <div class="actions">
        <button type="button" onClick={() => void copy()}>{t('admin.invitation.copy')}</button>{' '}
        <button type="button" onClick={onHide}>{t('admin.invitation.hide')}</button>
      </div>
      <p role="status">{copied && t(copied === 'yes' ? 'admin.invitation.copied' : 'admin.invitation.notCopied')}</p>
    </section>
  );
}

export function AdminInvite({ session, onInvited }: { session: ConsoleSession; onInvited: () => void }) {
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<StaffRole[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const toggle = (r: StaffRole, on: boolean) => setRoles((old) => (on ? [...old, r] : old.filter((x) => x !== r)));

  async function invite(e: Event) {
    e.preventDefault();
    if (!isStaffName(name)) { setError(t('admin.invite.badName')); return; }
    if (roles.length === 0) { setError(t('admin.invite.noRole')); return; }
    setWorking(true);
    setError(null);
    try {
      // The fingerprint the member pins is this session's own pin; without one, nothing is asked of the server.
      const pin = await session.client.trust.pinned(session.agencyId);
      if (!pin) throw unpinned(session.agencyId);
      const invited = await session.client.invite(name, roles);
      setShown({ agencyId: session.agencyId, fingerprint: pin.fingerprint, ...invited });
      setName('');
      setRoles([]);
      onInvited();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setWorking(false);
    }
  }

  return (
    <section class="invite" aria-labelledby="invite-title">
      <h3 id="invite-title">{t('admin.invite.title')}</h3>
      {shown && <InvitationPanel shown={shown} onHide={() => setShown(null)} />}
      <form onSubmit={(e) => void invite(e)} noValidate>
        <div class="field">
          <label for="invite-name">{t('admin.invite.name')}</label>
          <input id="invite-name" type="text" autocomplete="off" maxLength={100} value={name} aria-describedby="invite-name-hint"
            onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          <p id="invite-name-hint" class="hint">{t('admin.invite.nameHint')}</p>
        </div>
        <fieldset class="field roles">
          <legend>{t('admin.invite.roles')}</legend>
          {STAFF_ROLES.map((r) => (
            <label key={r}><input type="checkbox" checked={roles.includes(r)} onChange={(e) => toggle(r, (e.currentTarget as HTMLInputElement).checked)} /> {roleText(r)}</label>
          ))}
        </fieldset>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={working}>{working ? t('admin.working') : t('admin.invite.submit')}</button>
      </form>
    </section>
  );
}
