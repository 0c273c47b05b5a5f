import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import t, { type Test } from 'tap';
import { ATTACHMENT_CHUNK_SIZE, attachmentReader, attachmentWriter, loadBackend } from '../../src/protocol/index.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { presealCases, seedAgency, type PresealedCase } from '../../bench/lib/seed.js';
import { startServer, type ServerProcess } from '../../bench/lib/server.js';
import { uploadChunks } from '../../bench/lib/attachment-transfer.js';
import { createPgCluster, postgresBinaries } from './pg-cluster.js';

// Faults a deployment meets: the database restarting under load, the server killed in
// the middle of an upload. Runs a private PostgreSQL on its own port and real server
// processes. Opt in with TIPLINE_FAULT_TESTS=1 (needs /usr/lib/postgresql/*/bin).

const enabled = process.env['TIPLINE_FAULT_TESTS'] === '1';
const skip = !enabled ? 'set TIPLINE_FAULT_TESTS=1 to run' : postgresBinaries() ? false : 'no PostgreSQL binaries';
const serverEnv = { TIPLINE_POW_DIFFICULTY: '0', TIPLINE_RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'warn', TIPLINE_CHECK_RESPONSES: '1' };

async function setUp(t: Test) {
  const cluster = await createPgCluster();
  t.teardown(() => cluster.destroy());
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database tipline');
  await admin.end();
  const url = cluster.url.replace(/\/postgres$/, '/tipline');
  const be = await loadBackend('sodium');
  const db = await connectDatabase({ databaseUrl: url, dataDir: 'unused' });
  await migrateToLatest(db);
  const agency = await seedAgency(db, be);
  await db.destroy();
  const start = async () => {
    const s = await startServer({ kind: 'tipline', env: { DATABASE_URL: url, ...serverEnv } });
    t.teardown(() => s.kill());
    return s;
  };
  return { cluster, be, agency, start };
}

async function readiness(server: ServerProcess): Promise<number> {
  return fetch(`${server.baseUrl}/readyz`).then((r) => r.status, () => 0);
}

/** Submits one case until acknowledged; retries are safe because the case id is the submission id. */
async function submitUntilAcknowledged(server: ServerProcess, c: PresealedCase, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const status = await fetch(`${server.baseUrl}/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: c.body }).then((r) => r.status, () => 0);
    if (status === 201 || status === 200) return true;
    if (status >= 400 && status < 500) throw new Error(`submission refused with ${status}`);
    await sleep(100);
  }
  return false;
}

t.test('PostgreSQL restarted during a submission load', { skip }, async (t) => {
  const { cluster, be, agency, start } = await setUp(t);
  const server = await start();
  const cases = await presealCases(be, agency, 300);
  const acknowledged = new Set<string>();
  const deadline = Date.now() + 90_000;
  let next = 0;
  const sawNotReady: number[] = [];

  const clients = Array.from({ length: 8 }, async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      if (await submitUntilAcknowledged(server, c, deadline)) acknowledged.add(c.caseId);
    }
  });
  const fault = (async () => {
    while (acknowledged.size < 80) await sleep(20);
    cluster.crash();
    for (let i = 0; i < 20 && !sawNotReady.length; i++) {
      const s = await readiness(server);
      if (s === 503) sawNotReady.push(s);
      await sleep(100);
    }
    await sleep(1500);
    cluster.start();
  })();
  await Promise.all([...clients, fault]);

  t.same(sawNotReady, [503], 'the server reported not-ready while the database was down');
  let ready = 0;
  for (let i = 0; i < 50 && ready !== 200; i++, await sleep(200)) ready = await readiness(server);
  t.equal(ready, 200, 'ready again without a restart');
  if (ready !== 200) t.comment(`server stderr:\n${server.stderr()}`);
  t.equal(acknowledged.size, cases.length, 'every submission was eventually acknowledged');
  let retrievable = 0;
  for (const c of cases.filter((x) => acknowledged.has(x.caseId))) {
    const res = await fetch(`${server.baseUrl}/v1/case`, { headers: { authorization: `Receipt ${c.authKey}` } });
    if (res.status === 200 && ((await res.json()) as { caseId: string }).caseId === c.caseId) retrievable++;
  }
  t.equal(retrievable, acknowledged.size, 'every acknowledged case is retrievable by its receipt');
});

t.test('server killed mid-upload: nothing acknowledged is lost and the upload resumes', { skip }, async (t) => {
  const { be, agency, start } = await setUp(t);
  let server = await start();
  const [c] = await presealCases(be, agency, 1);
  t.ok(await submitUntilAcknowledged(server, c!, Date.now() + 10_000), 'case submitted');
  const auth = { authorization: `Receipt ${c!.authKey}`, 'content-type': 'application/json' };
  const attachmentId = randomUUID();
  const created = await fetch(`${server.baseUrl}/v1/case/attachments`, { method: 'POST', headers: auth, body: JSON.stringify({ attachmentId }) });
  t.ok(created.ok, 'attachment created');

  // 400 distinct chunks (about 26 MB), each sealed at its own index so the end result can be opened.
  const ctx = { agencyId: agency.agencyId, caseId: c!.caseId };
  // One byte short of 400 chunks: Padmé leaves it at 400, the last ending in 0x80.
  const total = 400;
  const file = new Uint8Array(total * ATTACHMENT_CHUNK_SIZE - 1).map((_, at) => Math.floor(at / ATTACHMENT_CHUNK_SIZE) % 251);
  const sealer = attachmentWriter(be, ctx, attachmentId, file.length);
  const chunks: Buffer[] = [];
  for await (const c of sealer.seal([file])) chunks.push(Buffer.from(c));
  t.equal(chunks.length, total, 'the padded file takes 400 chunks');

  const first = uploadChunks(`${server.baseUrl}/v1/attachments/${attachmentId}/chunks/0`, c!.authKey, chunks, 0, total, () => {}).catch(() => null);
  const info = async () => (await fetch(`${server.baseUrl}/v1/attachments/${attachmentId}`, { headers: auth })).json() as Promise<{ storedChunks: number; complete: boolean }>;
  for (let i = 0; i < 200; i++) {
    const stored = await fetch(`${server.baseUrl}/v1/attachments/${attachmentId}`, { headers: auth }).then((r) => r.json() as Promise<{ storedChunks: number }>, () => ({ storedChunks: 0 }));
    if (stored.storedChunks >= 50) break;
    await sleep(20);
  }
  await server.kill();
  const interrupted = await first;
  t.ok(interrupted === null || interrupted.status !== 200, 'the interrupted upload was not acknowledged as whole');

  server = await start();
  const after = await info();
  t.ok(after.storedChunks > 0 && after.storedChunks < total, `the new process sees ${after.storedChunks} chunks stored`);
  const rest = await uploadChunks(`${server.baseUrl}/v1/attachments/${attachmentId}/chunks/${after.storedChunks}`, c!.authKey, chunks.slice(after.storedChunks), 0, total - after.storedChunks, () => {});
  t.equal(rest.status, 200, 'the upload resumes where the stored chunks end');
  const finished = await fetch(`${server.baseUrl}/v1/attachments/${attachmentId}/finish`, { method: 'POST', headers: auth, body: JSON.stringify({ chunkCount: total }) });
  t.equal(finished.status, 200, 'the upload finishes');

  const content = Buffer.from(await (await fetch(`${server.baseUrl}/v1/attachments/${attachmentId}/content`, { headers: { authorization: auth.authorization } })).arrayBuffer());
  t.equal(content.length, total * (ATTACHMENT_CHUNK_SIZE + 16), 'the whole file comes back');
  const reader = attachmentReader(be, ctx, attachmentId, sealer.fileKey);
  const opened = Buffer.concat([...reader.push(content), ...reader.end()]);
  t.ok(opened.equals(file), 'every chunk opens, in order, to what was sealed');
});
