import { Option, type Command } from 'commander';
import { HttpClient } from '../../client/http.js';
import { emit, table } from '../common/output.js';
import { httpFor, staffClient, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';
import { deadlines, report } from '../../client/staff-oversight.js';
import { reportCsv, reportRows, resolvePeriod } from './report-format.js';

// `tipline deadlines` and `tipline report`: metadata only, so no key file is opened.
// The session is the one `tipline login` stored, or a token from --session for scripts.

export interface SessionOptions extends StaffOptions { session?: string }

export function withSession(cmd: Command): Command {
  return withStaffOptions(cmd).addOption(new Option('--session <token>', 'a staff session token (default: the one `tipline login` stored)').env('TIPLINE_SESSION'));
}

export async function client(o: SessionOptions): Promise<HttpClient> {
  return o.session ? httpFor(o).withHeaders({ authorization: `Bearer ${o.session}` }) : (await staffClient(o)).http;
}

export function registerDeadlines(program: Command): void {
  withSession(program.command('deadlines').description('cases and protection requests due soon or overdue (supervisors)'))
    .option('--within <days>', 'look this many days ahead', '7')
    .action(run(async (o: SessionOptions & { within: string }) => {
      const r = await deadlines(await client(o), Number(o.within));
      emit(o, r, () => table(['due', 'overdue', 'kind', 'case', 'state', 'urgent'],
        r.items.map((i) => [i.due, i.overdue ? 'OVERDUE' : '', i.kind, i.publicNumber, i.state, i.urgent ? 'urgent' : ''])));
    }));
}

export function registerReport(program: Command): void {
  withSession(program.command('report').description('periodic report figures (Circular 02/2021), from metadata only'))
    .option('--from <day>').option('--to <day>')
    .option('--period <preset>', 'Q1 | Q2 | Q3 | Q4 | H1 (6 months) | 9M | Y').option('--year <year>')
    .option('--agency <id>', 'agency id (default: your own)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action(run(async (o: SessionOptions & { from?: string; to?: string; period?: string; year?: string; agency?: string; format: string }) => {
      const { from, to } = resolvePeriod(o);
      const r = await report(await client(o), { from, to }, o.agency);
      const json = o.json || o.format === 'json';
      emit({ json }, r, () => (o.format === 'csv' ? reportCsv(r) : `${from} – ${to}\n${table(['figure', 'value'], reportRows(r))}`));
    }));
}
