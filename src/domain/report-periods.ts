import type { Day } from './dates.js';

// Reporting periods of Circular 02/2021: quarterly, 6-month, 9-month and yearly, as
// calendar periods of one year. An agency with a different cut-off passes from/to.

export const reportPresets = ['Q1', 'Q2', 'Q3', 'Q4', 'H1', '9M', 'Y'] as const;
export type ReportPreset = (typeof reportPresets)[number];

const ranges: Record<ReportPreset, [string, string]> = {
  Q1: ['01-01', '03-31'], Q2: ['04-01', '06-30'], Q3: ['07-01', '09-30'], Q4: ['10-01', '12-31'],
  H1: ['01-01', '06-30'], '9M': ['01-01', '09-30'], Y: ['01-01', '12-31'],
};

export function reportPeriod(preset: ReportPreset, year: number): { from: Day; to: Day } {
  const [from, to] = ranges[preset];
  return { from: `${year}-${from}`, to: `${year}-${to}` };
}
