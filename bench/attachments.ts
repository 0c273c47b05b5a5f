import type { BenchOptions } from './lib/options.js';
import type { ResultRow } from './lib/report.js';

export async function benchAttachments(_options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  return { rows: [], notes: ['attachments: not measured yet'] };
}
