import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';

// The results table: one row per figure, tipline beside its ceiling, the ratio and
// the target. `--write` replaces the generated block of docs/PERFORMANCE.md and
// leaves the hand-written explanation around it alone.

export interface ResultRow {
  benchmark: string;
  measure: string;
  tipline: string;
  ceiling: string;
  ratio: string;
  target: string;
  verdict: 'met' | 'short' | 'n/a';
}

export const fmt = {
  rate: (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`,
  ms: (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`,
  mbps: (n: number) => `${n.toFixed(0)} MB/s`,
  mib: (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`,
  pct: (n: number) => `${Math.round(n * 100)} %`,
};

/** A throughput row: tipline against its ceiling, target as a minimum share. */
export function ratioRow(benchmark: string, measure: string, tipline: number, ceiling: number, minShare: number, unit: (n: number) => string): ResultRow {
  const share = ceiling > 0 ? tipline / ceiling : 0;
  return {
    benchmark,
    measure,
    tipline: unit(tipline),
    ceiling: unit(ceiling),
    ratio: fmt.pct(share),
    target: `≥ ${fmt.pct(minShare)}`,
    verdict: share >= minShare ? 'met' : 'short',
  };
}

export function machineLine(now = new Date()): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${now.toISOString().slice(0, 10)} · ${os.cpus().length} cores (${cpu}) · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM · Node ${process.version} · ${os.platform()} ${os.release()}`;
}

export function markdownTable(rows: ResultRow[]): string {
  const head = '| benchmark | measure | tipline | ceiling | ratio | target | |\n|---|---|---:|---:|---:|---|---|';
  const body = rows.map((r) => `| ${r.benchmark} | ${r.measure} | ${r.tipline} | ${r.ceiling} | ${r.ratio} | ${r.target} | ${r.verdict} |`);
  return [head, ...body].join('\n');
}

export function textTable(rows: ResultRow[]): string {
  const cells = [['benchmark', 'measure', 'tipline', 'ceiling', 'ratio', 'target', ''], ...rows.map((r) => [r.benchmark, r.measure, r.tipline, r.ceiling, r.ratio, r.target, r.verdict])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

const start = '<!-- bench:results:start -->';
const end = '<!-- bench:results:end -->';

export function writePerformanceDoc(path: string, rows: ResultRow[], settings: string, notes: string[]): void {
  const block = [
    start,
    `Measured ${machineLine()}.`,
    '',
    `Settings: ${settings}.`,
    '',
    markdownTable(rows),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    end,
  ].join('\n');
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n## Results\n\n${start}\n${end}\n`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  const next = from >= 0 && to > from ? doc.slice(0, from) + block + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n## Results\n\n${block}\n`;
  writeFileSync(path, next);
}
