import { useEffect, useState } from 'preact/hooks';
import { proposeBundle, publishCommand, type BundleProposal, type ProposedMember } from '../../client/staff-bundle.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/index.js';
import { configuredOrigin, type ConsoleSession } from '../session.js';
import { roleText } from './words.js';

// The next key bundle, as `tipline bundle publish` would build it: the previous verified
// bundle carried over, plus each new or changed member named with their key fingerprint
// (client/staff-bundle.ts). The agency key never enters the browser: the admin ticks the
// fingerprints each member read out to them, in person or by phone, and runs the command
// shown on the machine where the agency key is. An unticked key makes it refuse.

const roles = (r: readonly string[]) => r.map(roleText).join(', ');

/** What a change replaces: the key, the roles, the name. */
function changes(m: ProposedMember): string[] {
  const was = m.previous;
  if (!was) return [t('admin.bundle.new')];
  return [
    ...(was.fingerprint !== m.fingerprint ? [t('admin.bundle.keyChanged', { fingerprint: was.fingerprint })] : []),
    ...([...was.roles].sort().join() !== [...m.roles].sort().join() ? [t('admin.bundle.rolesWere', { roles: roles(was.roles) })] : []),
    ...(was.displayName !== m.displayName ? [was.displayName === undefined ? t('admin.bundle.nameFirst') : t('admin.bundle.nameWas', { name: was.displayName })] : []),
  ];
}

function Member({ m, accepted, onToggle }: { m: ProposedMember; accepted: boolean; onToggle: (on: boolean) => void }) {
  const id = `accept-${m.staffId}`;
  const sameKey = m.previous?.fingerprint === m.fingerprint;
  return (
    <li class={m.previous ? 'changed' : 'added'}>
      <p><strong>{m.previous ? '~' : '+'} {m.displayName}</strong> <code class="staff-id">{m.staffId}</code> — {roles(m.roles)}</p>
      <p>{t('admin.bundle.fingerprint')} <code class="fingerprint">{m.fingerprint}</code></p>
      <p class="why">{changes(m).join('; ')}</p>
      {m.rotated && <p class="why rotated">{t('admin.bundle.rotated')}</p>}
      <label for={id}>
        <input id={id} type="checkbox" checked={accepted} onChange={(e) => onToggle((e.currentTarget as HTMLInputElement).checked)} />{' '}
        {t(sameKey ? 'admin.bundle.acceptSame' : 'admin.bundle.accept', { name: m.displayName })}
      </label>
    </li>
  );
}

export function AdminBundle({ session }: { session: ConsoleSession }) {
  const [proposal, setProposal] = useState<BundleProposal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<string[]>([]);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  useEffect(() => {
    let live = true;
    proposeBundle(session.client).then((p) => live && setProposal(p), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, []);
  const toggle = (fingerprint: string, on: boolean) => { setCopied(null); setAccepted((a) => (on ? [...a, fingerprint] : a.filter((f) => f !== fingerprint))); };

  const pending = proposal ? [...proposal.added, ...proposal.changed] : [];
  const unconfirmed = pending.filter((m) => !accepted.includes(m.fingerprint)).length;
  const nothing = proposal !== null && pending.length === 0 && proposal.removed.length === 0 && proposal.previous !== undefined;
  const command = publishCommand({ server: configuredOrigin(), accept: pending.filter((m) => accepted.includes(m.fingerprint)).map((m) => m.fingerprint) });
  async function copy() {
    try { await navigator.clipboard.writeText(command); setCopied('yes'); } catch { setCopied('no'); }
  }

  return (
    <div class="admin-part">
      <h3>{t('admin.bundle.title')}</h3>
      <p class="hint">{t('admin.bundle.intro')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {!proposal && !error && <p role="status">{t('admin.loading')}</p>}
      {proposal && <>
        <dl class="meta">
          <dt>{t('admin.bundle.previous')}</dt>
          <dd>{proposal.previous ? t('admin.bundle.previousIs', { serial: proposal.previous.serial, count: proposal.previous.staff.length, expires: proposal.previous.expiresOn }) : t('admin.bundle.none')}</dd>
          <dt>{t('admin.bundle.carried')}</dt><dd>{proposal.carried.length}</dd>
          <dt>{t('admin.bundle.jurisdiction')}</dt>
          <dd>{proposal.jurisdiction}{proposal.previous?.jurisdiction === undefined && <> — {t('admin.bundle.jurisdictionFirst')}</>}</dd>
        </dl>
        {nothing && <p class="done">{t('admin.bundle.nothing')}</p>}
        {pending.length > 0 && <>
          <h4>{t('admin.bundle.toConfirm', { count: pending.length })}</h4>
          <p class="warning">{t('admin.bundle.readOut')}</p>
          <ul class="bundle-members">
            {pending.map((m) => <Member key={m.staffId} m={m} accepted={accepted.includes(m.fingerprint)} onToggle={(on) => toggle(m.fingerprint, on)} />)}
          </ul>
        </>}
        {proposal.removed.length > 0 && <>
          <h4>{t('admin.bundle.removedTitle', { count: proposal.removed.length })}</h4>
          <ul class="bundle-members">
            {proposal.removed.map((m) => (
              <li key={m.staffId} class="removed">− {m.displayName ?? m.staffId} <code class="staff-id">{m.staffId}</code> — {roles(m.roles)}: {t('admin.bundle.leftOut')}</li>
            ))}
          </ul>
        </>}
        {!nothing && <>
          <h4>{t('admin.bundle.commandTitle')}</h4>
          <p>{t('admin.bundle.commandIntro')}</p>
          <pre class="command"><code>{command}</code></pre>
          <p class={unconfirmed > 0 ? 'error' : 'done'} role="status">
            {unconfirmed > 0 ? t('admin.bundle.unconfirmed', { count: unconfirmed }) : t('admin.bundle.ready')}
          </p>
          <button type="button" onClick={() => void copy()}>{t('admin.bundle.copy')}</button>
          <p role="status">{copied && t(copied === 'yes' ? 'admin.invitation.copied' : 'admin.invitation.notCopied')}</p>
        </>}
      </>}
    </div>
  );
}
