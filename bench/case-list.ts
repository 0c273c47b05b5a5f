import type { BenchOptions } from './lib/options.js';
import type { ResultRow } from './lib/report.js';

export async function benchCaseList(_options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  return { rows: [], notes: ['staff case list: not measured yet'] };
}
