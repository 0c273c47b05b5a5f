import { useEffect, useState } from 'preact/hooks';
import { auditPage, type ApiAuditRow, type AuditFilter } from '../../client/staff-audit.js';
import type { BreakReason } from '../../protocol/audit-verify.js';
import { filterQuery, NO_FILTER, whyKey, type LogFilter } from '../audit.js';
import { describeError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import { personName, type ConsoleSession } from '../session.js';

// The log as the server lists it, 50 rows a page, filtered by actor (named by the verified
// bundles), case, action and day. A row the last verification refused is marked here too.

const PAGE = 50;

/** The detail without its signature bytes, which say nothing to a reader; the signature is shown as a mark. */
function Detail({ detail }: { detail: unknown }) {
  const d = detail !== null && typeof detail === 'object' ? { ...(detail as Record<string, unknown>) } : {};
  const signed = d['signed'] as { kind?: unknown } | undefined;
  delete d['signed'];
  const rest = Object.keys(d).length ? JSON.stringify(d) : '';
  return <>{signed && <span class="signed">{t('audit.signed', { kind: String(signed.kind) })} </span>}{rest && <code class="detail">{rest}</code>}</>;
}

function Filters({ s, onApply }: { s: ConsoleSession; onApply: (f: AuditFilter) => void }) {
  const [form, setForm] = useState<LogFilter>(NO_FILTER);
  const [invalid, setInvalid] = useState<MessageKey | null>(null);
  const set = (patch: Partial<LogFilter>) => setForm((f) => ({ ...f, ...patch }));
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const people = [...s.people].sort(([, a], [, b]) => a.displayName.localeCompare(b.displayName));
  function apply(e: Event, f: LogFilter) {
    e.preventDefault();
    const q = filterQuery(f);
    setInvalid('invalid' in q ? q.invalid : null);
    if ('filter' in q) onApply(q.filter);
  }
  return (
    <form class="audit-filters" onSubmit={(e) => apply(e, form)}>
      <fieldset class="filters">
        <legend>{t('audit.filters')}</legend>
        <label>{t('audit.filter.actor')}{' '}
          <select value={form.staffId} onChange={(e) => set({ staffId: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t('audit.filter.anyone')}</option>
            {people.map(([id, n]) => <option key={id} value={id}>{n.displayName} ({id.slice(0, 8)})</option>)}
          </select>
        </label>
        <label>{t('audit.filter.case')} <input type="text" spellcheck={false} value={form.caseId} onInput={(e) => set({ caseId: value(e) })} /></label>
        <label>{t('audit.filter.action')} <input type="text" spellcheck={false} value={form.action} onInput={(e) => set({ action: value(e) })} /></label>
        <label>{t('audit.filter.since')} <input type="date" value={form.since} onInput={(e) => set({ since: value(e) })} /></label>
        <label>{t('audit.filter.until')} <input type="date" value={form.until} onInput={(e) => set({ until: value(e) })} /></label>
        <button type="submit">{t('audit.filter.apply')}</button>{' '}
        <button type="button" onClick={(e) => { setForm(NO_FILTER); apply(e, NO_FILTER); }}>{t('audit.filter.clear')}</button>
      </fieldset>
      {invalid && <p class="error" role="alert">{t(invalid)}</p>}
    </form>
  );
}

function Row({ s, r, why }: { s: ConsoleSession; r: ApiAuditRow; why: BreakReason | undefined }) {
  return (
    <tr class={why ? 'refused' : undefined}>
      <th scope="row">{r.seq}{why && <span class="error"> {t('audit.refusedRow', { why: t(whyKey(why)) })}</span>}</th>
      <td><time dateTime={r.at}>{r.at.slice(0, 19).replace('T', ' ')}</time></td>
      <td>{r.staffId ? personName(s, r.staffId) : t('audit.system')}</td>
      <td><code>{r.action}</code></td>
      <td>{r.caseId && <code class="staff-id">{r.caseId}</code>}</td>
      <td><Detail detail={r.detail} /></td>
    </tr>
  );
}

/** `refused`: the last verification's refused rows; a new one reloads the page shown, so it shows the log as verified. */
export function AuditLog({ s, refused }: { s: ConsoleSession; refused: ReadonlyMap<string, BreakReason> }) {
  const [filter, setFilter] = useState<AuditFilter>({});
  // The `after` of each page shown so far: back is a pop, forward a push.
  const [afters, setAfters] = useState<(string | null)[]>([null]);
  const [rows, setRows] = useState<ApiAuditRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const after = afters[afters.length - 1] ?? null;

  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    auditPage(s.client, filter, after, PAGE).then((page) => {
      if (!live) return;
      setRows(page.rows);
      setNext(page.nextAfter);
      if (page.total !== null) setTotal(page.total);
    }, (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [filter, after, refused]);

  const from = (afters.length - 1) * PAGE + 1;
  return (
    <section class="log" aria-labelledby="audit-log-title">
      <h3 id="audit-log-title">{t('audit.log.title')}</h3>
      <Filters s={s} onApply={(f) => { setFilter(f); setAfters([null]); }} />
      {error && <p class="error" role="alert">{error}</p>}
      <p class="count" role="status">
        {rows === null ? (error ? '' : t('audit.loading')) : rows.length ? t('audit.count', { from, to: from + rows.length - 1, total: Math.max(total, from + rows.length - 1) }) : t('audit.empty')}
      </p>
      {rows && rows.length > 0 && (
        <table class="audit-rows">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.seq')}</th><th scope="col">{t('audit.col.at')}</th><th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.action')}</th><th scope="col">{t('audit.col.case')}</th><th scope="col">{t('audit.col.detail')}</th>
            </tr>
          </thead>
          <tbody>{rows.map((r) => <Row key={r.seq} s={s} r={r} why={refused.get(r.seq)} />)}</tbody>
        </table>
      )}
      <p class="pager">
        {afters.length > 1 && <button type="button" onClick={() => setAfters((a) => a.slice(0, -1))}>{t('audit.prev')}</button>}{' '}
        {next && rows && <button type="button" onClick={() => setAfters((a) => [...a, next])}>{t('audit.next')}</button>}
      </p>
    </section>
  );
}
