import { reportPeriod, reportPresets, type ReportPreset } from '../../domain/index.js';
import { reportRows as formRows, type ReportFigures } from '../../client/staff-oversight.js';
import { CliError } from '../common/output.js';

// Report periods from the command line and the report as rows (form 03/KQGQ order).

/** `--period Q3 --year 2026`, or explicit `--from/--to`; both at once is an error. */
export function resolvePeriod(o: { from?: string; to?: string; period?: string; year?: string }): { from: string; to: string } {
  if (o.period) {
    if (o.from || o.to) throw new CliError('give either --period or --from/--to');
    if (!reportPresets.includes(o.period as ReportPreset)) throw new CliError(`--period is one of ${reportPresets.join(', ')}`);
    const year = Number(o.year ?? new Date().getUTCFullYear());
    if (!Number.isInteger(year)) throw new CliError('--year must be a year');
    return reportPeriod(o.period as ReportPreset, year);
  }
  if (!o.from || !o.to) throw new CliError('give --from and --to (YYYY-MM-DD) or --period');
  return { from: o.from, to: o.to };
}

// The command's English words for the form's rows (src/client/staff-oversight.ts has their order).
const labels: Record<string, string> = {
  carriedOver: 'cases carried over', received: 'cases received',
  receivedOnline: 'received online', receivedInPerson: 'received in person', receivedByLetter: 'received by letter', accepted: 'accepted', notAccepted: 'not accepted',
  resolved: 'resolved', resolvedTrue: 'finding true', resolvedPartlyTrue: 'finding partly true', resolvedFalse: 'finding false',
  resolvedOnTime: 'resolved on time', resolvedLate: 'resolved late', extended: 'extended', suspended: 'suspended',
  transferred: 'transferred', terminated: 'terminated', withdrawn: 'withdrawn', followUps: 'follow-up denunciations',
  protectionReceived: 'protection requests', protectionOnline: 'protection requested online',
  protectionByPhone: 'protection requested by phone', protectionInPerson: 'protection requested in person', protectionUrgent: 'urgent protection requests',
  protectionGranted: 'protection granted', protectionRefused: 'protection refused', retaliationReports: 'retaliation reports',
  petitionsReclassified: 'petitions reclassified', petitionsAnswered: 'petitions answered',
  petitionsOnTime: 'petitions answered on time', petitionsLate: 'petitions answered late',
  published: 'conclusions published', publicationsWithdrawn: 'publications taken down',
};

export function reportRows(r: ReportFigures): Array<[string, number]> {
  return formRows(r).map((row) => [labels[row.id] ?? row.id, row.value]);
}

export function reportCsv(r: ReportFigures): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ['figure,value', ...reportRows(r).map(([k, v]) => `${quote(k)},${v}`)].join('\n');
}
