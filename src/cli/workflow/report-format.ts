import { reportPeriod, reportPresets, type ReportPreset } from '../../domain/index.js';
import { CliError } from '../common/output.js';

// Report periods from the command line and the report as rows (form 03/KQGQ order).

export interface ReportFigures {
  from: string; to: string;
  cases: {
    carriedOver: number; received: number; accepted: number; notAccepted: number;
    receivedBy?: { online: number; inPerson: number; letter: number };
    resolved: { total: number; true: number; partlyTrue: number; false: number; onTime: number; late: number };
    extended: number; suspended: number; transferred: number; terminated: number; withdrawn: number; followUps: number;
  };
  protection: { received: number; urgent: number; granted: number; refused: number };
  retaliationReports: number;
  publications?: { published: number; withdrawn: number };
  petitions?: { reclassified: number; answered: number; onTime: number; late: number };
}

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

export function reportRows(r: ReportFigures): Array<[string, number]> {
  const c = r.cases;
  return [
    ['cases carried over', c.carriedOver], ['cases received', c.received],
    ...(c.receivedBy ? [
      ['received online', c.receivedBy.online], ['received in person', c.receivedBy.inPerson], ['received by letter', c.receivedBy.letter],
    ] as Array<[string, number]> : []),
    ['accepted', c.accepted], ['not accepted', c.notAccepted],
    ['resolved', c.resolved.total], ['finding true', c.resolved.true], ['finding partly true', c.resolved.partlyTrue],
    ['finding false', c.resolved.false], ['resolved on time', c.resolved.onTime], ['resolved late', c.resolved.late],
    ['extended', c.extended], ['suspended', c.suspended], ['transferred', c.transferred], ['terminated', c.terminated],
    ['withdrawn', c.withdrawn], ['follow-up denunciations', c.followUps],
    ['protection requests', r.protection.received], ['urgent protection requests', r.protection.urgent],
    ['protection granted', r.protection.granted], ['protection refused', r.protection.refused],
    ['retaliation reports', r.retaliationReports],
    ...(r.petitions ? [
      ['petitions reclassified', r.petitions.reclassified], ['petitions answered', r.petitions.answered],
      ['petitions answered on time', r.petitions.onTime], ['petitions answered late', r.petitions.late],
    ] as Array<[string, number]> : []),
    ...(r.publications ? [['conclusions published', r.publications.published], ['publications taken down', r.publications.withdrawn]] as Array<[string, number]> : []),
  ];
}

export function reportCsv(r: ReportFigures): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return ['figure,value', ...reportRows(r).map(([k, v]) => `${quote(k)},${v}`)].join('\n');
}
