import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { HttpClient } from '../../client/http.js';
import { withClientOptions, type ClientOptions } from '../common/options.js';
import { CliError, emit, table } from '../common/output.js';
import { reportCsv, reportRows, resolvePeriod, type ReportFigures } from './report-format.js';

// `tipline case transition`, `tipline deadlines`, `tipline report`, `tipline protection decide`.
// Reasons and notices are sealed on the staff member's machine before they reach this
// command (a JSON file of base64url values); the server never sees them in the clear.

interface StaffOptions extends ClientOptions { session: string }

function staffCommand(cmd: Command): Command {
  return withClientOptions(cmd).addOption(new Option('--session <token>', 'staff session token').env('TIPLINE_SESSION').makeOptionMandatory());
}

function client(o: StaffOptions): HttpClient {
  return new HttpClient({ baseUrl: o.server, headers: { authorization: `Bearer ${o.session}` } });
}

function sealedFile(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    throw new CliError(`cannot read sealed payload ${path}`);
  }
}

function registerTransition(program: Command): void {
  const kase = program.commands.find((c) => c.name() === 'case') ?? program.command('case').description('work on cases');
  staffCommand(kase.command('transition <caseId> <action>').description('move a case through the statutory workflow'))
    .requiredOption('--sealed <file>', 'JSON with the sealed reason and notice: {"reason": b64u, "notice": {messageId, ciphertext, signature}}')
    .option('--on <day>', 'the decision day (default today)')
    .option('--finding <finding>', 'true | partly_true | false (conclude)')
    .option('--complexity <level>', 'complex | especially_complex (extend)')
    .option('--days <n>', 'extension length (extend)')
    .option('--basis <text>', 'a more precise legal citation')
    .action(async (caseId: string, action: string, o: StaffOptions & Record<string, string | undefined>) => {
      const body = {
        ...sealedFile(o['sealed']!), action,
        ...(o['on'] ? { onDay: o['on'] } : {}), ...(o['finding'] ? { finding: o['finding'] } : {}),
        ...(o['basis'] ? { legalBasis: o['basis'] } : {}),
        ...(o['complexity'] ? { extension: { complexity: o['complexity'], days: Number(o['days'] ?? 30) } } : {}),
      };
      const r = await client(o).json<{ to: string; due: string | null; late: boolean; legalBasis: string }>('POST', `/v1/staff/cases/${caseId}/transitions`, body);
      emit(o, r, () => `${action}: now ${r.to}${r.due ? `, due ${r.due}` : ''}${r.late ? ' (late)' : ''} — ${r.legalBasis}`);
    });
}

function registerDeadlines(program: Command): void {
  staffCommand(program.command('deadlines').description('cases and protection requests due soon or overdue (supervisors)'))
    .option('--within <days>', 'look this many days ahead', '7')
    .action(async (o: StaffOptions & { within: string }) => {
      const r = await client(o).get<{ items: Array<Record<string, string | boolean>> }>(`/v1/staff/deadlines?withinDays=${Number(o.within)}`);
      emit(o, r, () => table(['due', 'overdue', 'kind', 'case', 'state', 'urgent'],
        r.items.map((i) => [String(i['due']), i['overdue'] ? 'OVERDUE' : '', String(i['kind']), String(i['publicNumber']), String(i['state']), i['urgent'] ? 'urgent' : ''])));
    });
}

function registerReport(program: Command): void {
  staffCommand(program.command('report').description('periodic report figures (Circular 02/2021), from metadata only'))
    .option('--from <day>').option('--to <day>')
    .option('--period <preset>', 'Q1 | Q2 | Q3 | Q4 | H1 (6 months) | 9M | Y').option('--year <year>')
    .option('--agency <id>', 'agency id (default: your own)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .action(async (o: StaffOptions & { from?: string; to?: string; period?: string; year?: string; agency?: string; format: string }) => {
      const { from, to } = resolvePeriod(o);
      const query = new URLSearchParams({ from, to, ...(o.agency ? { agency: o.agency } : {}) });
      const r = await client(o).get<ReportFigures>(`/v1/staff/reports?${query}`);
      const json = o.json || o.format === 'json';
      emit({ json }, r, () => (o.format === 'csv' ? reportCsv(r) : `${from} – ${to}\n${table(['figure', 'value'], reportRows(r))}`));
    });
}

function registerProtection(program: Command): void {
  const protection = program.command('protection').description('protection requests (Law ch. VI)');
  staffCommand(protection.command('decide <requestId> <decision>').description('grant or refuse a protection request (supervisors)'))
    .requiredOption('--sealed <file>', 'JSON with the sealed reason and notice')
    .action(async (requestId: string, decision: string, o: StaffOptions & { sealed: string }) => {
      if (decision !== 'granted' && decision !== 'refused') throw new CliError('decision is granted or refused');
      const r = await client(o).json<{ status: string; decidedOn: string }>('POST', `/v1/staff/protection/${requestId}/decision`, { ...sealedFile(o.sealed), decision });
      emit(o, r, () => `${r.status} on ${r.decidedOn}`);
    });
}

export function register(program: Command): void {
  registerTransition(program);
  registerDeadlines(program);
  registerReport(program);
  registerProtection(program);
}
