import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { HttpClient } from '../../client/http.js';
import { emit, table } from '../common/output.js';
import { httpFor, staffClient, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';
import { reportCsv } from '../../client/report-form.js';
import { reportXlsx } from '../../client/report-xlsx.js';
import { deadlines, report, type ReportFigures } from '../../client/staff-oversight.js';
import { reportRows, resolvePeriod } from './report-format.js';

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

/**
 * The agency as its verified bundle names it; with a bare --session token there is no
 * pinned session to verify against, so the id the figures came with, marked as such.
 */
async function agencyName(o: SessionOptions, r: ReportFigures & { agencyId?: string }): Promise<string> {
  if (!o.session) return (await (await staffClient(o)).verifiedBundle()).agencySlug;
  return `agency ${String(r.agencyId ?? '')} (not verified: --session)`;
}

type ReportOptions = SessionOptions & { from?: string; to?: string; period?: string; year?: string; agency?: string; format: string; xlsx?: string };

export function registerReport(program: Command): void {
  withSession(program.command('report').description('periodic report figures (Circular 01/2024, the columns of form 03/KQGQ), from metadata only'))
    .option('--from <day>').option('--to <day>')
    .option('--period <preset>', 'Q1 | Q2 | Q3 | Q4 | H1 (6 months) | 9M | Y').option('--year <year>')
    .option('--agency <id>', 'agency id (default: your own)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .option('--xlsx <file>', 'also write the form as an .xlsx laid out for printing (made here, not by the server)')
    .action(run(async (o: ReportOptions) => {
      const { from, to } = resolvePeriod(o);
      const r = await report(await client(o), { from, to }, o.agency);
      const json = o.json || o.format === 'json';
      const agency = o.xlsx || o.format === 'csv' ? await agencyName(o, r) : '';
      if (o.xlsx) await writeFile(o.xlsx, await reportXlsx(r, agency), { mode: 0o600 });
      emit({ json }, r, () => (o.format === 'csv' ? reportCsv(r, agency) : `${from} – ${to}\n${table(['chỉ tiêu', 'figure', 'value'], reportRows(r))}`));
    }));
}
