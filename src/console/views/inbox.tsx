import { useEffect, useState } from 'preact/hooks';
import type { ListedCase } from '../../client/staff.js';
import { caseStates } from '../../domain/index.js';
import { deadlineOf, dueByFor } from '../deadline.js';
import { describeError } from '../errors.js';
import { formatDay, t, tOr } from '../i18n/index.js';
import { personName, type ConsoleSession } from '../session.js';
import { Reassignments } from './reassignments.js';

// The cases this staff member may see, newest first, a page at a time (the API's keyset
// cursor). Metadata only: nothing here is decrypted, so a page costs one request.

const KINDS = ['denunciation', 'petition', 'retaliation'] as const;
const PAGE = 50;

interface Filters { status: string; kind: string; due: '' | 'overdue' | 'soon'; urgent: boolean; mine: boolean; unread: boolean }
interface Props { session: ConsoleSession; onOpen: (c: ListedCase) => void }

export const statusText = (status: string) => tOr(`status.${status}`, 'status.unknown', { status });
export const kindText = (kind: string) => tOr(`kind.${kind}`, 'kind.unknown', { kind });

function query(f: Filters, cursor: string | null) {
  return {
    limit: PAGE, status: f.status || undefined, kind: f.kind || undefined, dueBy: f.due ? dueByFor(f.due) : undefined,
    urgent: f.urgent ? 'true' : undefined, assigned: f.mine ? 'me' : undefined, unread: f.unread ? 'true' : undefined,
    cursor: cursor ?? undefined,
  };
}

function DeadlineCell({ dueOn }: { dueOn: string | null }) {
  const d = deadlineOf(dueOn);
  if (d.state === 'none' || dueOn === null) return <td class="deadline none">{t('deadline.none')}</td>;
  const left = d.daysLeft ?? 0;
  const words = d.state === 'overdue' ? t('deadline.overdue', { days: -left }) : left === 0 ? t('deadline.today') : t('deadline.left', { days: left });
  // Colour is never the only sign: the words and a marker say it too.
  return (
    <td class={`deadline ${d.state}`}>
      <time dateTime={dueOn}>{formatDay(dueOn)}</time>{' '}
      <span class="days">{d.state === 'overdue' || d.state === 'soon' ? '⚠ ' : ''}{words}{d.state === 'soon' ? ` (${t('deadline.soon')})` : ''}</span>
    </td>
  );
}

/** The symbol and the words, never colour alone; the symbol is not read out. */
function UnreadMarker() {
  return <span class="badge unread-badge"><span aria-hidden="true">✉ </span>{t('unread.marker')}</span>;
}

export function Inbox({ session, onOpen }: Props) {
  const [filters, setFilters] = useState<Filters>({ status: '', kind: '', due: '', urgent: false, mine: false, unread: false });
  const [cases, setCases] = useState<ListedCase[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  async function load(f: Filters, after: string | null, append: boolean) {
    setLoading(true);
    setError(null);
    try {
      const page = await session.client.cases(query(f, after));
      setCases((old) => (append ? [...old, ...page.cases] : page.cases));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => { void load(filters, null, false); }, [filters]);

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const names = (ids: string[]) => (ids.length ? ids.map((id) => personName(session, id)).join(', ') : t('inbox.nobody'));

  return (
    <section class="panel inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title">{t('inbox.title')}</h2>
      {session.client.session.roles.includes('intake') && <Reassignments session={session} onOpen={onOpen} />}
      <fieldset class="filters">
        <legend>{t('inbox.filters')}</legend>
        <label>{t('inbox.filter.status')}{' '}
          <select value={filters.status} onChange={(e) => set({ status: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t('inbox.filter.any')}</option>
            {caseStates.map((s) => <option value={s} key={s}>{statusText(s)}</option>)}
          </select>
        </label>
        <label>{t('inbox.filter.kind')}{' '}
          <select value={filters.kind} onChange={(e) => set({ kind: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t('inbox.filter.any')}</option>
            {KINDS.map((k) => <option value={k} key={k}>{kindText(k)}</option>)}
          </select>
        </label>
        <label>{t('inbox.filter.due')}{' '}
          <select value={filters.due} onChange={(e) => set({ due: (e.currentTarget as HTMLSelectElement).value as Filters['due'] })}>
            <option value="">{t('inbox.filter.any')}</option>
            <option value="overdue">{t('inbox.filter.due.overdue')}</option>
            <option value="soon">{t('inbox.filter.due.soon')}</option>
          </select>
        </label>
        <label><input type="checkbox" checked={filters.urgent} onChange={(e) => set({ urgent: (e.currentTarget as HTMLInputElement).checked })} /> {t('inbox.filter.urgent')}</label>
        <label><input type="checkbox" checked={filters.mine} onChange={(e) => set({ mine: (e.currentTarget as HTMLInputElement).checked })} /> {t('inbox.filter.mine')}</label>
        <label><input type="checkbox" checked={filters.unread} onChange={(e) => set({ unread: (e.currentTarget as HTMLInputElement).checked })} /> {t('unread.filter')}</label>
      </fieldset>
      {error && <p class="error" role="alert">{error}</p>}
      <p class="count" role="status">{loading ? t('inbox.loading') : t('inbox.count', { count: cases.length })}</p>
      {!loading && !error && cases.length === 0 && <p>{t('inbox.empty')}</p>}
      {cases.length > 0 && (
        <table class="cases">
          <thead>
            <tr>
              <th scope="col">{t('inbox.col.number')}</th><th scope="col">{t('inbox.col.kind')}</th>
              <th scope="col">{t('inbox.col.status')}</th><th scope="col">{t('inbox.col.received')}</th>
              <th scope="col">{t('inbox.col.deadline')}</th><th scope="col">{t('inbox.col.assignees')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.caseId} class={c.urgent ? 'urgent' : ''}>
                <th scope="row">
                  <button type="button" class="link" aria-label={t('inbox.open', { number: c.publicNumber })} onClick={() => onOpen(c)}>{c.publicNumber}</button>
                  {c.urgent && <span class="badge urgent-badge">⚑ {t('inbox.urgent')}</span>}
                  {c.unread && <UnreadMarker />}
                </th>
                <td>{kindText(c.kind)}</td>
                <td>{statusText(c.status)}</td>
                <td><time dateTime={c.receivedOn}>{formatDay(c.receivedOn)}</time></td>
                <DeadlineCell dueOn={c.dueOn} />
                <td>{names(c.assignees)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && !loading && <button type="button" onClick={() => void load(filters, cursor, true)}>{t('inbox.more')}</button>}
    </section>
  );
}
