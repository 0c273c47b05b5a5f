import { reportPeriod, reportPresets, type ReportPreset } from '../../domain/index.js';
import { reportForm } from '../../client/report-form.js';
import type { ReportFigures } from '../../client/staff-oversight.js';
import { CliError } from '../common/output.js';

// Report periods from the command line and the report as rows (src/client/report-form.ts: the form's order and words).

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

/** The form's lines as a table: the Vietnamese label, the English, the figure (— where not kept yet). */
export function reportRows(r: ReportFigures): Array<[string, string, string]> {
  return reportForm(r).map((l) => [l.vi, l.en, l.value === null ? '—' : String(l.value)]);
}
