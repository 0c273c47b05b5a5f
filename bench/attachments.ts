import { randomUUID } from 'node:crypto';
import { loadBackend } from '../src/protocol/index.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { tiplineBenchEnv } from './cases.js';
import { CIPHERTEXT_CHUNK, chunkPool, download, uploadChunks } from './lib/attachment-transfer.js';
import { freshDatabase } from './lib/database.js';
import type { BenchOptions } from './lib/options.js';
import { done, progress } from './lib/progress.js';
import { fmt, type ResultRow } from './lib/report.js';
import { presealCases, seedAgency } from './lib/seed.js';
import { rssSampler, startServer } from './lib/server.js';

// A large attachment up and down through a server running as its own process:
// throughput, and how far the server's resident memory rises above its idle level.
// Streaming means the rise stays flat whatever the file size; buffering would not.

const RSS_TARGET = 64 * 1048576;

export async function benchAttachments(options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const be = await loadBackend('sodium');
  const database = await freshDatabase('postgres', options.databaseUrl);
  const chunks = Math.max(1, Math.round((options.attachmentMiB * 1048576) / (CIPHERTEXT_CHUNK - 16)));
  const server = { stop: async () => {} };
  try {
    const db = await connectDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    await migrateToLatest(db);
    const agency = await seedAgency(db, be);
    await db.destroy();
    const [kase] = await presealCases(be, agency, 1);
    const running = await startServer({
      kind: 'tipline',
      env: { ...database.env, ...tiplineBenchEnv, TIPLINE_MAX_ATTACHMENT_BYTES: String(chunks * CIPHERTEXT_CHUNK + 1) },
    });
    server.stop = running.stop;
    const base = running.baseUrl;
    const auth = { authorization: `Receipt ${kase!.authKey}`, 'content-type': 'application/json' };
    const submitted = await fetch(`${base}/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: kase!.body });
    if (submitted.status !== 201) throw new Error(`case submission answered ${submitted.status}: ${await submitted.text()}`);

    const attachmentId = randomUUID();
    const created = await fetch(`${base}/v1/case/attachments`, { method: 'POST', headers: auth, body: JSON.stringify({ attachmentId }) });
    if (!created.ok) throw new Error(`attachment creation answered ${created.status}: ${await created.text()}`);
    const pool = await chunkPool(be, { agencyId: agency.agencyId, caseId: kase!.caseId }, attachmentId);

    const idle = running.rss();
    const label = `attachments: ${options.attachmentMiB} MiB`;
    const upSampler = rssSampler(running.rss);
    const up = await uploadChunks(`${base}/v1/attachments/${attachmentId}/chunks/0`, kase!.authKey, pool, 0, chunks, (n) =>
      progress(`${label} upload ${fmt.mib(n)}, server RSS ${fmt.mib(running.rss())}`),
    );
    const upPeak = upSampler.stop();
    if (up.status !== 200) throw new Error(`upload answered ${up.status}: ${up.body.slice(0, 300)}`);
    done(`${label} uploaded in ${up.seconds.toFixed(1)} s, server RSS peak +${fmt.mib(upPeak - idle)}`);
    const finished = await fetch(`${base}/v1/attachments/${attachmentId}/finish`, { method: 'POST', headers: auth, body: JSON.stringify({ chunkCount: chunks }) });
    if (!finished.ok) throw new Error(`finish answered ${finished.status}: ${await finished.text()}`);

    const downIdle = running.rss();
    const downSampler = rssSampler(running.rss);
    const down = await download(`${base}/v1/attachments/${attachmentId}/content`, kase!.authKey, pool, (n) =>
      progress(`${label} download ${fmt.mib(n)}, server RSS ${fmt.mib(running.rss())}`),
    );
    const downPeak = downSampler.stop();
    done(`${label} downloaded in ${down.seconds.toFixed(1)} s, server RSS peak +${fmt.mib(downPeak - downIdle)}`);
    // A fast wrong answer must not pass: every byte is checked against what was sent.
    if (down.status !== 200 || down.bytes !== up.bytes || down.mismatchAt !== undefined) {
      throw new Error(`download returned ${down.bytes} of ${up.bytes} bytes (status ${down.status})${down.mismatchAt === undefined ? '' : `, differing from byte ${down.mismatchAt}`}`);
    }
    const notes: string[] = [];

    const row = (measure: string, t: { bytes: number; seconds: number }, growth: number): ResultRow[] => [
      { benchmark: `attachment ${options.attachmentMiB} MiB, PostgreSQL`, measure: `${measure} throughput`, tipline: fmt.mbps(t.bytes / 1e6 / t.seconds), ceiling: '', ratio: '', target: 'info', verdict: 'n/a' },
      { benchmark: `attachment ${options.attachmentMiB} MiB, PostgreSQL`, measure: `${measure}: server peak RSS growth`, tipline: fmt.mib(growth), ceiling: '', ratio: '', target: '< 64 MiB', verdict: growth < RSS_TARGET ? 'met' : 'short' },
    ];
    return { rows: [...row('upload', up, upPeak - idle), ...row('download', down, downPeak - downIdle)], notes };
  } finally {
    await server.stop();
    await database.drop();
  }
}
