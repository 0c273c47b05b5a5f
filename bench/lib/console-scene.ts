import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { submitCase } from '../../src/client/denouncer.js';
import { HttpClient } from '../../src/client/http.js';
import { openReceipt } from '../../src/client/receipt.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { reply } from '../../src/client/staff-messages.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { buildConsole } from '../../src/console/build.js';
import { agencyFingerprint, encryptKeyFile, loadBackend } from '../../src/protocol/index.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { bulkInsertCases } from '../case-list.js';
import { tiplineBenchEnv } from '../cases.js';
import { freshDatabase } from './database.js';
import { progress } from './progress.js';
import { seedAgency } from './seed.js';
import { startServer } from './server.js';

// The staff console's bench scene: `tipline serve` on 127.0.0.1 serving the built
// console at /staff/, an agency with `cases` bulk-inserted cases (bench/case-list.ts)
// and, newest of all, one real case sent through the SDK with a thread of `messages`
// messages, every other one a reply the intake officer signed; and that officer's key
// file, unlocked in the page as a staff member would.

export interface ConsoleScene {
  consoleUrl: string;
  keyFile: string;
  passphrase: string;
  fingerprint: string;
  /** The real case: first in the intake officer's inbox. */
  publicNumber: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

export async function consoleScene(databaseUrl: string, cases: number, messages: number): Promise<ConsoleScene> {
  const be = await loadBackend('sodium');
  const database = await freshDatabase('postgres', databaseUrl);
  const consoleDir = await mkdtemp(join(tmpdir(), 'tipline-bench-console-'));
  const cleanup: (() => Promise<void>)[] = [() => rm(consoleDir, { recursive: true, force: true }), () => database.drop()];
  const stop = async () => { for (const step of cleanup.splice(0).reverse()) await step(); };
  try {
    const db = await connectDatabase({ databaseUrl: database.url, dataDir: 'unused' });
    await migrateToLatest(db);
    const agency = await seedAgency(db, be);
    await bulkInsertCases(db, agency, cases);
    // None of the filler is today's: the real case, sent today, heads the inbox.
    await sql`update cases set received_on = received_on - 1 where received_on >= current_date`.execute(db);
    await db.destroy();

    progress('console: building the console');
    await buildConsole({ outDir: consoleDir });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const server = await startServer({
      kind: 'tipline',
      env: { ...database.env, ...tiplineBenchEnv, PORT: String(port), TIPLINE_ORIGIN: origin, TIPLINE_CONSOLE_DIR: consoleDir },
    });
    cleanup.push(() => server.stop());

    progress(`console: sending the real case and its ${messages} messages`);
    const fingerprint = agencyFingerprint(be, agency.publicKey);
    const summary = { who: 'Phó giám đốc sở X', what: 'Nhận hối lộ để cấp phép xây dựng. '.repeat(20), when: 'Tháng 3/2026', where: 'Hà Nội', evidence: 'Sao kê ngân hàng' };
    const sent = await submitCase({ server: origin, agency: agency.slug, pinnedFingerprint: fingerprint, body: summary });
    const officer = agency.staff.find((s) => s.roles.includes('intake'))!;
    const http = new HttpClient({ baseUrl: origin });
    const client = new StaffClient(http, await login(http, officer.staffId, officer.keys, origin), new MemoryTrustStore({ [agency.agencyId]: fingerprint }));
    const denouncer = await openReceipt(sent.receipt, { server: origin });
    for (let i = 0; i < messages; i++) {
      const text = `Tin nhắn ${i + 1}: ${'thêm chi tiết về hồ sơ cấp phép và các khoản chuyển tiền. '.repeat(4)}`;
      if (i % 2 === 0) await denouncer.reply(text);
      else await reply(client, sent.caseId, text, officer.keys);
    }
    await client.logout();

    const passphrase = 'mật khẩu rất dài 2026';
    // Low Argon2id limits: unlocking is not what is measured; the file carries its own limits.
    const keyFile = await encryptKeyFile(officer.keys, passphrase, { staffId: officer.staffId, agencyId: agency.agencyId, label: 'staff' }, { opslimit: 1, memlimit: 8192 * 1024 });
    return { consoleUrl: `${origin}/staff/`, keyFile, passphrase, fingerprint, publicNumber: sent.publicNumber, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
