import { fileURLToPath } from 'node:url';
import { benchAttachments } from './attachments.js';
import { benchCaseList } from './case-list.js';
import { benchCases } from './cases.js';
import { benchConsole } from './console.js';
import { benchPageLoad } from './page-load.js';
import { benchPow } from './pow.js';
import { benchReports } from './reports.js';
import { helpText, parseBenchOptions } from './lib/options.js';
import { fmt, machineLine, ratioRow, textTable, writePerformanceDoc, type ResultRow } from './lib/report.js';
import { benchSealing } from './sealing.js';
import { benchWraps } from './wraps.js';

// `npm run bench`: every figure in docs/PERFORMANCE.md, each beside the machine's
// ceiling measured in the same run. Not part of `npm test`.

let options;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n\n${helpText}`);
  process.exit(2);
}
if (!options) {
  process.stdout.write(helpText);
  process.exit(0);
}

const rows: ResultRow[] = [];
const notes: string[] = [];
process.stderr.write(`bench: ${machineLine()}\n`);

const wantCases = options.only.includes('submit') || options.only.includes('status');
if (wantCases) {
  for (const backend of options.backends) {
    const r = await benchCases(backend, options);
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
}
if (options.only.includes('list')) {
  const r = await benchCaseList(options);
  rows.push(...r.rows);
  notes.push(...r.notes);
}
if (options.only.includes('reports')) {
  for (const backend of options.backends) {
    const r = await benchReports(backend, options);
    rows.push(...r.rows);
    notes.push(...r.notes);
  }
}
if (options.only.includes('attachments')) {
  const r = await benchAttachments(options);
  rows.push(...r.rows);
  notes.push(...r.notes);
}
if (options.only.includes('sealing')) {
  const s = await benchSealing(options.sealMiB);
  rows.push(ratioRow('client sealing', 'Node, attachment chunks vs raw AEAD', s.node.tiplineSodium, s.node.rawAead, 0.9, fmt.mbps));
  rows.push(ratioRow('client sealing', 'Node, vs raw secretstream', s.node.tiplineSodium, s.node.rawSecretstream, 0.9, fmt.mbps));
  rows.push({ ...ratioRow('client sealing', 'Node, pure-JS backend vs raw AEAD', s.node.tiplineNoble, s.node.rawAead, 0, fmt.mbps), target: 'info', verdict: 'n/a' });
  if ('skipped' in s.chromium) {
    notes.push(`Chromium sealing skipped: ${s.chromium.skipped}.`);
  } else {
    rows.push(ratioRow('client sealing', 'Chromium, attachment chunks vs raw AEAD', s.chromium.tiplineSodium, s.chromium.rawAead, 0.9, fmt.mbps));
    rows.push(ratioRow('client sealing', 'Chromium, vs raw secretstream', s.chromium.tiplineSodium, s.chromium.rawSecretstream, 0.9, fmt.mbps));
    rows.push({ ...ratioRow('client sealing', 'Chromium, pure-JS backend vs raw AEAD', s.chromium.tiplineNoble, s.chromium.rawAead, 0, fmt.mbps), target: 'info', verdict: 'n/a' });
  }
}
if (options.only.includes('page-load')) {
  const r = await benchPageLoad();
  rows.push(...r.rows);
  notes.push(...r.notes);
}

if (options.only.includes('pow')) {
  const r = await benchPow();
  rows.push(...r.rows);
  notes.push(...r.notes);
}

if (options.only.includes('wraps')) {
  const r = await benchWraps();
  rows.push(...r.rows);
  notes.push(...r.notes);
}

if (options.only.includes('console')) {
  const r = await benchConsole(options);
  rows.push(...r.rows);
  notes.push(...r.notes);
}

const settings = [
  `${options.connections} connections`,
  `${options.requests} submissions and ${options.lookups} look-ups per run`,
  `${options.cases.toLocaleString('en-US')} cases for the list and the report`,
  `${options.attachmentMiB} MiB attachment`,
  `${options.sealMiB} MiB sealed per figure`,
].join(', ');

if (options.json) process.stdout.write(`${JSON.stringify({ machine: machineLine(), settings, rows, notes }, null, 2)}\n`);
else process.stdout.write(`\n${textTable(rows)}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);

if (options.write) {
  const doc = fileURLToPath(new URL('../docs/PERFORMANCE.md', import.meta.url));
  writePerformanceDoc(doc, rows, settings, notes);
  process.stderr.write(`bench: results written to docs/PERFORMANCE.md\n`);
}
const short = rows.filter((r) => r.verdict === 'short');
if (short.length) process.stderr.write(`bench: ${short.length} figure(s) short of target\n`);
