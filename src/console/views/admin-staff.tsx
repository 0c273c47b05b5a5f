import { useEffect, useRef, useState } from 'preact/hooks';
import { loadStaffTable, mayDeactivate, type StaffRow, type StaffTable } from '../admin.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { AdminInvite } from './admin-invite.js';
import { roleText } from './words.js';

// The agency's staff as the server lists them, each beside what the current verified
// bundle signs for them: the server's list says who is enrolled, only the bundle is the
// agency's word. Deactivation ends the member's sessions at once, after a confirmation,
// deletes their keys and says how many of their cases intake must grant again.

const statusText = (status: string) => t(status === 'invited' || status === 'active' || status === 'deactivated' ? `admin.status.${status}` : 'admin.status.other', { status });

function SignedCell({ r }: { r: StaffRow }) {
  if (r.standing === 'signed') return <td>{r.signedName === undefined ? t('admin.bundle.unnamed') : <bdi>{r.signedName}</bdi>}</td>;
  return (
    <td class={r.standing === 'differs' ? 'error' : 'why'}>
      {r.signedName !== undefined && <><bdi>{r.signedName}</bdi><br /></>}
      {t(`admin.standing.${r.standing}`)}
    </td>
  );
}

function DeactivatePanel({ s, r, onCancel, onDone }: { s: ConsoleSession; r: StaffRow; onCancel: () => void; onDone: (name: string, cases: { reassign: number; flagged: number }) => void }) {
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [r.staffId]);
  async function deactivate() {
    setWorking(true);
    setError(null);
    try {
      const { reassign, flagged } = await s.client.deactivate(r.staffId);
      onDone(r.displayName, { reassign: reassign.length, flagged: flagged.length });
    } catch (err) {
      setError(describeError(err));
      setWorking(false);
    }
  }
  return (
    <section class="confirm" aria-labelledby="deactivate-title">
      <h4 id="deactivate-title" tabIndex={-1} ref={heading}>{t('admin.deactivate.title', { name: r.displayName })}</h4>
      <p>{t('admin.deactivate.text')}</p>
      <dl class="meta">
        <dt>{t('admin.col.name')}</dt><dd><bdi>{r.displayName}</bdi> <code class="staff-id">{r.staffId}</code></dd>
        <dt>{t('admin.col.roles')}</dt><dd>{r.roles.map(roleText).join(', ')}</dd>
      </dl>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="danger" disabled={working} onClick={() => void deactivate()}>{working ? t('admin.working') : t('admin.deactivate.confirm')}</button>{' '}
        <button type="button" disabled={working} onClick={onCancel}>{t('admin.cancel')}</button>
      </div>
    </section>
  );
}

export function AdminStaff({ session }: { session: ConsoleSession }) {
  const [table, setTable] = useState<StaffTable | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [deactivating, setDeactivating] = useState<StaffRow | null>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    let live = true;
    loadStaffTable(session).then((tb) => live && setTable(tb), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [generation]);
  const reload = () => setGeneration((g) => g + 1);
  const heading = useRef<HTMLHeadingElement>(null);
  const close = () => { setDeactivating(null); heading.current?.focus(); };

  return (
    <div class="admin-part">
      <h3 id="staff-title" tabIndex={-1} ref={heading}>{t('admin.staff.title')}</h3>
      <p class="hint">{t('admin.staff.intro')}</p>
      <p class={notice ? 'notice' : undefined} role="status">{notice}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {table?.bundleError && <p class="error" role="alert">{table.bundleError}</p>}
      {!table && !error && <p role="status">{t('admin.loading')}</p>}
      {table && <>
        <p>{table.serial === null ? t('admin.staff.noBundle') : t('admin.staff.bundle', { serial: table.serial })}</p>
        <table class="cases staff" aria-labelledby="staff-title">
          <thead>
            <tr>
              <th scope="col">{t('admin.col.name')}</th><th scope="col">{t('admin.col.signed')}</th><th scope="col">{t('admin.col.roles')}</th>
              <th scope="col">{t('admin.col.status')}</th><th scope="col">{t('admin.col.fingerprint')}</th><th scope="col">{t('admin.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.staffId} class={r.status}>
                <th scope="row"><bdi>{r.displayName}</bdi><br /><code class="staff-id">{r.staffId}</code></th>
                <SignedCell r={r} />
                <td>{r.roles.map(roleText).join(', ')}</td>
                <td>{statusText(r.status)}</td>
                <td>{r.fingerprint ? <code class="fingerprint">{r.fingerprint}</code> : '—'}</td>
                <td>
                  {mayDeactivate(session, r) && (
                    <button type="button" aria-label={t('admin.deactivate.label', { name: r.displayName })} onClick={() => { setNotice(''); setDeactivating(r); }}>
                      {t('admin.deactivate')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>}
      {deactivating && (
        <DeactivatePanel s={session} r={deactivating} onCancel={close}
          onDone={(name, cases) => { close(); setNotice(t('admin.deactivated', { name, ...cases })); reload(); }} />
      )}
      <AdminInvite session={session} onInvited={reload} />
    </div>
  );
}
