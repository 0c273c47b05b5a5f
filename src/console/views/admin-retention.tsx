import { useEffect, useRef, useState } from 'preact/hooks';
import { listRetention, placeHold, purgeCase, releaseHold, type RetentionItem, type RetentionList } from '../../client/staff-retention.js';
import { isDay, utcToDay } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// Retention: closed cases whose period has ended (as of a day, to see what falls due
// ahead), and every case under a legal hold. The head of agency places or releases a
// hold, with its basis, and purges a case that is due and not held — after saying, as
// the server will do, that everything sealed in it is destroyed for good.

type Pending = { item: RetentionItem; action: 'hold' | 'release' | 'purge' };

const purgeableNow = (i: RetentionItem, today: string) => !i.held && i.retainUntil <= today;

function ConfirmPanel({ s, p, onCancel, onDone }: { s: ConsoleSession; p: Pending; onCancel: () => void; onDone: (text: string) => void }) {
  const [basis, setBasis] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [p.item.caseId, p.action]);
  const number = p.item.publicNumber;
  async function go(e: Event) {
    e.preventDefault();
    if (p.action === 'hold' && basis.trim().length < 3) { setError(t('admin.retention.basisRequired')); return; }
    setWorking(true);
    setError(null);
    try {
      const http = s.client.http;
      if (p.action === 'hold') await placeHold(http, p.item.caseId, basis.trim());
      else if (p.action === 'release') await releaseHold(http, p.item.caseId);
      else await purgeCase(http, p.item.caseId);
      onDone(t(`admin.retention.done.${p.action}`, { number }));
    } catch (err) {
      setError(describeError(err));
      setWorking(false);
    }
  }
  return (
    <section class="confirm" aria-labelledby="retention-confirm-title">
      <h4 id="retention-confirm-title" tabIndex={-1} ref={heading}>{t(`admin.retention.title.${p.action}`, { number })}</h4>
      <p class={p.action === 'purge' ? 'warning' : undefined}>{t(`admin.retention.text.${p.action}`)}</p>
      <form onSubmit={(e) => void go(e)} noValidate>
        {p.action === 'hold' && (
          <div class="field">
            <label for="hold-basis">{t('admin.retention.basis')}</label>
            <input id="hold-basis" type="text" maxLength={200} value={basis} aria-describedby="hold-basis-hint" onInput={(e) => setBasis((e.currentTarget as HTMLInputElement).value)} />
            <p id="hold-basis-hint" class="hint">{t('admin.retention.basisHint')}</p>
          </div>
        )}
        {error && <p class="error" role="alert">{error}</p>}
        <div class="actions">
          <button type="submit" class={p.action === 'purge' ? 'danger' : undefined} disabled={working}>{working ? t('admin.working') : t(`admin.retention.confirm.${p.action}`)}</button>{' '}
          <button type="button" disabled={working} onClick={onCancel}>{t('admin.cancel')}</button>
        </div>
      </form>
    </section>
  );
}

export function AdminRetention({ session }: { session: ConsoleSession }) {
  const today = utcToDay(Date.now());
  const [asOf, setAsOf] = useState(today);
  const [list, setList] = useState<RetentionList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    let live = true;
    setError(null);
    listRetention(session.client.http, asOf).then((l) => live && setList(l), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [asOf, generation]);
  const open = (item: RetentionItem, action: Pending['action']) => { setNotice(''); setPending({ item, action }); };
  const done = (text: string) => { setPending(null); setNotice(text); setGeneration((g) => g + 1); };

  return (
    <div class="admin-part">
      <h3 id="retention-title">{t('admin.retention.title')}</h3>
      <p class="hint">{t('admin.retention.intro')}</p>
      <div class="field">
        <label for="retention-as-of">{t('admin.retention.asOf')}</label>{' '}
        <input id="retention-as-of" type="date" min={today} value={asOf} onChange={(e) => { const v = (e.currentTarget as HTMLInputElement).value; if (isDay(v) && v >= today) setAsOf(v); }} />
      </div>
      <p class={notice ? 'notice' : undefined} role="status">{notice}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {list && list.due.length === 0 && <p>{t('admin.retention.empty', { day: formatDay(list.asOf) })}</p>}
      {list && list.due.length > 0 && (
        <table class="cases retention" aria-labelledby="retention-title">
          <thead>
            <tr>
              <th scope="col">{t('admin.retention.col.number')}</th><th scope="col">{t('admin.retention.col.closed')}</th>
              <th scope="col">{t('admin.retention.col.until')}</th><th scope="col">{t('admin.retention.col.hold')}</th><th scope="col">{t('admin.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.due.map((i) => (
              <tr key={i.caseId} class={i.held ? 'held' : ''}>
                <th scope="row">{i.publicNumber}</th>
                <td><time dateTime={i.closedOn}>{formatDay(i.closedOn)}</time></td>
                <td><time dateTime={i.retainUntil}>{formatDay(i.retainUntil)}</time></td>
                <td>{t(i.held ? 'admin.retention.held' : 'admin.retention.notHeld')}</td>
                <td>
                  <button type="button" aria-label={t(i.held ? 'admin.retention.releaseLabel' : 'admin.retention.holdLabel', { number: i.publicNumber })}
                    onClick={() => open(i, i.held ? 'release' : 'hold')}>{t(i.held ? 'admin.retention.release' : 'admin.retention.hold')}</button>{' '}
                  {purgeableNow(i, today) && (
                    <button type="button" class="danger" aria-label={t('admin.retention.purgeLabel', { number: i.publicNumber })} onClick={() => open(i, 'purge')}>{t('admin.retention.purge')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending && <ConfirmPanel s={session} p={pending} onCancel={() => setPending(null)} onDone={done} />}
    </div>
  );
}
