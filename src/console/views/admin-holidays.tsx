import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiClientError } from '../../client/http.js';
import { addHoliday, listHolidays, markNotObserved, removeHoliday, type AgencyCalendar, type CalendarChange, type CalendarDay } from '../../client/staff-calendar.js';
import { isDay, utcToDay } from '../../domain/index.js';
import { isHead } from '../admin.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// The agency's holiday calendar of a year, which working-day deadlines are counted with.
// Everyone may read it; the head of agency edits it, because an edit moves the statutory
// deadlines still running (the answer says how many, and the server recomputes them).

/** A refusal of an edit, in words: the server's codes for a calendar edit (domain/calendar-edits.ts). */
function editError(err: unknown): string {
  if (err instanceof ApiClientError && err.code === 'conflict') return t('admin.holidays.conflict');
  if (err instanceof ApiClientError && err.code === 'bad_request') return t('admin.holidays.notRestDay');
  return describeError(err);
}

const changedText = (what: string, r: CalendarChange) => t('admin.holidays.changed', { what, version: r.version, recomputed: r.recomputed });

type Pending = { day: CalendarDay; action: 'remove' | 'notObserved' };

function ConfirmEdit({ s, p, onCancel, onDone }: { s: ConsoleSession; p: Pending; onCancel: () => void; onDone: (text: string) => void }) {
  const [note, setNote] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [p.day.day, p.action]);
  const when = formatDay(p.day.day);
  async function go() {
    setWorking(true);
    setError(null);
    try {
      const r = p.action === 'remove' ? await removeHoliday(s.client.http, p.day.day) : await markNotObserved(s.client.http, p.day.day, note.trim() || undefined);
      onDone(changedText(t(p.action === 'remove' ? 'admin.holidays.removed' : 'admin.holidays.notObservedDone', { day: when }), r));
    } catch (err) {
      setError(editError(err));
      setWorking(false);
    }
  }
  return (
    <section class="confirm" aria-labelledby="holiday-confirm-title">
      <h4 id="holiday-confirm-title" tabIndex={-1} ref={heading}>
        {t(p.action === 'remove' ? 'admin.holidays.removeTitle' : 'admin.holidays.notObservedTitle', { day: when, name: p.day.name })}
      </h4>
      <p>{t('admin.holidays.moves')}</p>
      {p.action === 'notObserved' && (
        <div class="field">
          <label for="holiday-note">{t('admin.holidays.note')}</label>
          <input id="holiday-note" type="text" maxLength={120} value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="danger" disabled={working} onClick={() => void go()}>{working ? t('admin.working') : t('admin.confirm')}</button>{' '}
        <button type="button" disabled={working} onClick={onCancel}>{t('admin.cancel')}</button>
      </div>
    </section>
  );
}

function AddDay({ s, year, onDone }: { s: ConsoleSession; year: number; onDone: (text: string) => void }) {
  const [day, setDay] = useState('');
  const [name, setName] = useState('');
  const [workingDay, setWorkingDay] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function add(e: Event) {
    e.preventDefault();
    if (!isDay(day)) { setError(t('admin.holidays.badDay')); return; }
    if (!name.trim()) { setError(t('admin.holidays.noName')); return; }
    setWorking(true);
    setError(null);
    try {
      const r = await addHoliday(s.client.http, { day, name: name.trim(), kind: workingDay ? 'working_day' : 'holiday' });
      setDay('');
      setName('');
      setWorkingDay(false);
      onDone(changedText(t(workingDay ? 'admin.holidays.addedWorking' : 'admin.holidays.added', { day: formatDay(day) }), r));
    } catch (err) {
      setError(editError(err));
    } finally {
      setWorking(false);
    }
  }
  return (
    <form class="add-day" onSubmit={(e) => void add(e)} noValidate aria-labelledby="add-day-title">
      <h4 id="add-day-title">{t('admin.holidays.addTitle')}</h4>
      <div class="field">
        <label for="holiday-day">{t('admin.holidays.day')}</label>
        <input id="holiday-day" type="date" min={`${year}-01-01`} max={`${year}-12-31`} value={day} onInput={(e) => setDay((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="holiday-name">{t('admin.holidays.name')}</label>
        <input id="holiday-name" type="text" maxLength={120} value={name} aria-describedby="holiday-name-hint" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        <p id="holiday-name-hint" class="hint">{t('admin.holidays.nameHint')}</p>
      </div>
      <div class="field">
        <label><input type="checkbox" checked={workingDay} onChange={(e) => setWorkingDay((e.currentTarget as HTMLInputElement).checked)} /> {t('admin.holidays.workingDay')}</label>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit" disabled={working}>{working ? t('admin.working') : t('admin.holidays.add')}</button>
    </form>
  );
}

export function AdminHolidays({ session }: { session: ConsoleSession }) {
  const [year, setYear] = useState(Number(utcToDay(Date.now()).slice(0, 4)));
  const [calendar, setCalendar] = useState<AgencyCalendar | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState('');
  const head = isHead(session);
  useEffect(() => {
    let live = true;
    setError(null);
    listHolidays(session.client.http, year).then((c) => live && setCalendar(c), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [year, generation]);
  const done = (text: string) => { setPending(null); setNotice(text); setGeneration((g) => g + 1); };

  return (
    <div class="admin-part">
      <h3 id="holidays-title">{t('admin.holidays.title', { year })}</h3>
      <p class="hint">{t(head ? 'admin.holidays.intro' : 'admin.holidays.readOnly')}</p>
      <div class="field">
        <label for="holiday-year">{t('admin.holidays.year')}</label>{' '}
        <input id="holiday-year" type="number" min={2000} max={2100} value={year}
          onChange={(e) => { const y = Number((e.currentTarget as HTMLInputElement).value); if (Number.isInteger(y) && y >= 2000 && y <= 2100) setYear(y); }} />
      </div>
      <p class={notice ? 'notice' : undefined} role="status">{notice}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {calendar && <>
        <p>{t('admin.holidays.version', { profile: calendar.profile, version: calendar.version })}</p>
        {calendar.days.length === 0 && <p>{t('admin.holidays.empty')}</p>}
        {calendar.days.length > 0 && (
          <table class="cases holidays" aria-labelledby="holidays-title">
            <thead>
              <tr>
                <th scope="col">{t('admin.holidays.day')}</th><th scope="col">{t('admin.holidays.name')}</th><th scope="col">{t('admin.holidays.kind')}</th>
                <th scope="col">{t('admin.holidays.origin')}</th>{head && <th scope="col">{t('admin.col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {calendar.days.map((d) => (
                <tr key={d.day} class={d.observed ? '' : 'not-observed'}>
                  <th scope="row"><time dateTime={d.day}>{formatDay(d.day)}</time></th>
                  <td>{d.name}</td>
                  <td>{t(!d.observed ? 'admin.holidays.kind.notObserved' : d.kind === 'working_day' ? 'admin.holidays.kind.working' : 'admin.holidays.kind.holiday')}</td>
                  <td>{t(d.origin === 'shipped' ? 'admin.holidays.origin.shipped' : 'admin.holidays.origin.agency')}</td>
                  {head && (
                    <td>
                      {d.origin === 'shipped' && d.observed && (
                        <button type="button" aria-label={t('admin.holidays.notObservedLabel', { day: formatDay(d.day) })}
                          onClick={() => { setNotice(''); setPending({ day: d, action: 'notObserved' }); }}>{t('admin.holidays.notObserved')}</button>
                      )}
                      {(d.origin === 'agency' || !d.observed) && (
                        <button type="button" aria-label={t(d.observed ? 'admin.holidays.removeLabel' : 'admin.holidays.observeLabel', { day: formatDay(d.day) })}
                          onClick={() => { setNotice(''); setPending({ day: d, action: 'remove' }); }}>{t(d.observed ? 'admin.holidays.remove' : 'admin.holidays.observe')}</button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>}
      {pending && <ConfirmEdit s={session} p={pending} onCancel={() => setPending(null)} onDone={done} />}
      {head && <AddDay s={session} year={year} onDone={done} />}
    </div>
  );
}
