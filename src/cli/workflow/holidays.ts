import type { Command } from 'commander';
import { isDay } from '../../domain/index.js';
import { addHoliday, listHolidays, markNotObserved, removeHoliday, type CalendarChange } from '../../client/staff-calendar.js';
import { CliError, emit, table } from '../common/output.js';
import { run } from '../staff/run.js';
import { client, withSession, type SessionOptions } from './reports.js';

// `tipline holidays list | add | remove | not-observed`: the agency's working-day
// calendar. Reading is for all staff; edits are the supervisor's and move the
// deadlines still running (the output says how many).

function dayArg(day: string): string {
  if (!isDay(day)) throw new CliError(`${day} is not a day; use YYYY-MM-DD`);
  return day;
}

const changed = (what: string, r: CalendarChange) =>
  `${what}; calendar version ${r.version}, ${r.recomputed} running deadline(s) recomputed`;

export function registerHolidays(program: Command): void {
  const holidays = program.command('holidays').description("the agency's holiday calendar, which working-day deadlines are counted with");

  withSession(holidays.command('list').description('holidays and worked rest days of a year: shipped and the agency\'s own'))
    .option('--year <year>', 'the year (default: this year)')
    .action(run(async (o: SessionOptions & { year?: string }) => {
      const year = o.year === undefined ? undefined : Number(o.year);
      if (year !== undefined && !Number.isInteger(year)) throw new CliError('--year must be a year');
      const r = await listHolidays(await client(o), year);
      emit(o, r, () => `${r.year} (${r.profile}, calendar version ${r.version})\n${table(['day', 'kind', 'origin', 'observed', 'name'],
        r.days.map((d) => [d.day, d.kind, d.origin, d.observed ? 'yes' : 'NO', d.name]))}`);
    }));

  withSession(holidays.command('add').description('add a holiday (supervisors); --working-day for a rest day worked by decree'))
    .argument('<day>', 'YYYY-MM-DD').argument('<name>', 'what the day is, e.g. "Nghỉ lễ theo quyết định …"')
    .option('--working-day', 'a Saturday or Sunday worked in exchange for a holiday (làm bù)')
    .action(run(async (day: string, name: string, o: SessionOptions & { workingDay?: boolean }) => {
      const r = await addHoliday(await client(o), { day: dayArg(day), name, kind: o.workingDay ? 'working_day' : 'holiday' });
      emit(o, r, () => changed(`${day} added as ${r.kind === 'working_day' ? 'a working day' : 'a holiday'}`, r));
    }));

  withSession(holidays.command('remove').description("remove the agency's own entry on a day (supervisors)"))
    .argument('<day>', 'YYYY-MM-DD')
    .action(run(async (day: string, o: SessionOptions) => {
      const r = await removeHoliday(await client(o), dayArg(day));
      emit(o, r, () => changed(`${day} removed`, r));
    }));

  withSession(holidays.command('not-observed').description('a shipped holiday this agency works (supervisors); undo with remove'))
    .argument('<day>', 'YYYY-MM-DD').option('--note <text>', 'why, e.g. the decision that moved it')
    .action(run(async (day: string, o: SessionOptions & { note?: string }) => {
      const r = await markNotObserved(await client(o), dayArg(day), o.note);
      emit(o, r, () => changed(`${day} is a working day for this agency`, r));
    }));
}
