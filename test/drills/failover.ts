import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openReceipt } from '../../src/client/denouncer.js';
import { agencyFingerprint, loadBackend } from '../../src/protocol/index.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { seedAgency } from '../../bench/lib/seed.js';
import { startServer, type ServerProcess } from '../../bench/lib/server.js';
import { newDenouncer, playDenouncer, type Denouncer, type WriteAnswer } from './denouncers.js';
import { createReplicatedCluster, type ReplicatedCluster } from './replicated-cluster.js';

// `npm run drill:failover` (docs/OPERATIONS.md, "Failover drill"): two tipline instances
// behind HAProxy on a primary with a synchronous standby; under a submission and message
// load the primary is stopped hard and the standby promoted. Exits 1 unless every
// acknowledged case and message is there and opens, none is duplicated, and both
// instances answer writes again within RECOVERY_BOUND_S, without a restart.

const help = `npm run drill:failover [-- --cases N]

Diễn tập chuyển đổi dự phòng: một máy chủ PostgreSQL chính và một máy dự phòng đồng bộ
(cổng 5433, 5434), HAProxy theo máy chính (cổng 5435), hai phiên bản tipline. Dưới tải gửi
ca và tin nhắn, máy chính bị dừng đột ngột và máy dự phòng được thăng cấp. Mã thoát khác 0
nếu có ca hay tin nhắn bị mất hoặc trùng lặp.

Failover drill: a primary PostgreSQL and a synchronous standby (ports 5433, 5434), HAProxy
following the primary (port 5435), two tipline instances. Under a case and message load the
primary is stopped hard and the standby promoted. Exits non-zero when a case or message is
lost or duplicated.

  --cases N   số ca gửi / cases submitted (default 120), each with 2 messages
  --help      this text / trợ giúp
`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(help);
  process.exit(0);
}
const casesAt = args.indexOf('--cases');
const CASES = casesAt >= 0 ? Number(args[casesAt + 1]) : 120;
if (!Number.isInteger(CASES) || CASES < 3 || (args.length > 0 && casesAt < 0)) {
  console.error(`--cases expects a whole number ≥ 3\n\n${help}`);
  process.exit(2);
}
const CONCURRENCY = 8;
const MESSAGES_PER_CASE = 2;
const RECOVERY_BOUND_S = 10;
const serverEnv = {
  TIPLINE_POW_DIFFICULTY: '0', LOG_LEVEL: 'warn', TIPLINE_RATE_LIMIT_PER_MINUTE: '1000000', TIPLINE_RATE_LIMIT_POW_PER_MINUTE: '1000000',
  TIPLINE_RATE_LIMIT_RECEIPTS_PER_MINUTE: '1000000', TIPLINE_RATE_LIMIT_PER_RECEIPT_PER_MINUTE: '1000000', TIPLINE_RATE_LIMIT_RECEIPT_CREATES_PER_HOUR: '1000000',
};
const line = (vi: string, en: string, value: string | number) => console.log(`${`${vi} / ${en}`.padEnd(58)} ${value}`);

/** HAProxy from the system, installed with apt when this runs as root on a machine without it. */
function haproxyBinary(): string {
  const found = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  if (found()) return found();
  if (process.getuid?.() !== 0) throw new Error('haproxy is not installed: run `apt-get install -y haproxy` as root, then the drill again');
  console.log('cài haproxy / installing haproxy (apt-get install -y haproxy)');
  execFileSync('sh', ['-c', 'apt-get install -y -qq haproxy >/dev/null || (apt-get update -qq && apt-get install -y -qq haproxy >/dev/null)'], {
    stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!found()) throw new Error('haproxy could not be installed');
  return found();
}

const cleanups: (() => void | Promise<void>)[] = [];
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

async function prepare(cluster: ReplicatedCluster) {
  const admin = new pg.Client({ connectionString: cluster.proxyUrl });
  await admin.connect();
  await admin.query('create database tipline');
  await admin.end();
  const url = cluster.proxyUrl.replace(/\/postgres$/, '/tipline');
  const be = await loadBackend('sodium');
  const db = await connectDatabase({ databaseUrl: url, dataDir: 'unused' });
  await migrateToLatest(db);
  const agency = await seedAgency(db, be);
  await db.destroy();
  const servers: ServerProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const s = await startServer({ kind: 'tipline', env: { DATABASE_URL: url, ...serverEnv } });
    cleanups.push(() => s.kill());
    servers.push(s);
  }
  return { url, be, agency, servers };
}

async function drill(): Promise<boolean> {
  const cluster = await createReplicatedCluster(haproxyBinary());
  cleanups.push(() => cluster.destroy());
  const { url, be, agency, servers } = await prepare(cluster);
  const answers: WriteAnswer[] = [];
  const denouncers: Denouncer[] = Array.from({ length: CASES }, (_, n) => newDenouncer(servers[n % 2]!.baseUrl, n));
  const options = {
    be, agency: agency.slug, pinnedFingerprint: agencyFingerprint(be, agency.publicKey), messagesPerCase: MESSAGES_PER_CASE,
    giveUpAt: Date.now() + 180_000, onWrite: (a: WriteAnswer) => answers.push(a),
  };
  let next = 0;
  const clients = Array.from({ length: CONCURRENCY }, async () => {
    while (next < denouncers.length) await playDenouncer(denouncers[next++]!, options);
  });
  let stoppedAt = 0;
  let promotedAt = 0;
  let loadDone = false;
  const load = Promise.all(clients).finally(() => (loadDone = true));
  const fault = (async () => {
    while (denouncers.filter((d) => d.receipt).length < CASES / 3) {
      if (loadDone) throw new Error(`the load ended before a third of the cases were acknowledged: ${denouncers.find((d) => d.gaveUp)?.gaveUp}`);
      await sleep(20);
    }
    stoppedAt = Date.now();
    cluster.crashPrimary();
    cluster.promoteStandby();
    promotedAt = Date.now();
    await cluster.proxyRoutes('standby', true, 30_000);
  })();
  await Promise.all([load, fault]);
  const alive = servers.every((s) => s.pid && processAlive(s.pid));
  return report({ url, servers, denouncers, answers, stoppedAt, promotedAt, alive, be, serverLogs: cluster.serverLogs() });
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Outcome {
  url: string; servers: ServerProcess[]; denouncers: Denouncer[]; answers: WriteAnswer[];
  stoppedAt: number; promotedAt: number; alive: boolean; be: Awaited<ReturnType<typeof loadBackend>>;
  /** Both PostgreSQL servers' logs, read before the clean-up removes them. */
  serverLogs: string;
}

async function report(o: Outcome): Promise<boolean> {
  const acked = o.denouncers.filter((d) => d.receipt);
  // Every acknowledged case read back through its receipt and opened on this side, with its messages.
  let lostCases = 0;
  let lostMessages = 0;
  for (const d of acked) {
    const session = await openReceipt(d.receipt!, { server: o.servers[0]!.baseUrl, backend: o.be });
    const opened = await session.readCase().catch(() => undefined);
    if (opened?.body.summary.what !== d.text) lostCases++;
    const stored = new Map((await session.messages().catch(() => [])).map((m) => [m.messageId, m.text]));
    for (const [id, text] of d.messagesAcknowledged) if (stored.get(id) !== text) lostMessages++;
  }
  const db = new pg.Client({ connectionString: o.url });
  await db.connect();
  const caseIds = o.denouncers.flatMap((d) => [...d.caseIdsSent]);
  const messageIds = o.denouncers.flatMap((d) => [...d.messageIdsSent]);
  const retriedIds = o.denouncers.flatMap((d) => [...d.retried]);
  const count = async (text: string, ids?: string[]) => Number((await db.query<{ n: string }>(text, ids ? [ids] : [])).rows[0]!.n);
  const casesStored = await count('select count(*) as n from cases where id = any($1::uuid[])', caseIds);
  const messagesStored = await count('select count(*) as n from messages where id = any($1::uuid[])', messageIds);
  const retriedStored = await count('select (select count(*) from cases where id = any($1::uuid[])) + (select count(*) from messages where id = any($1::uuid[])) as n', retriedIds);
  const allCases = await count('select count(*) as n from cases');
  const allMessages = await count("select count(*) as n from messages where direction = 'from_denouncer'");
  await db.end();
  // A duplicate is a second row for one report or message: a retry under a new id, or rows no id accounts for.
  const extraIds = o.denouncers.reduce((n, d) => n + Math.max(0, d.caseIdsSent.size - 1) + Math.max(0, d.messageIdsSent.size - MESSAGES_PER_CASE), 0);
  const duplicated = extraIds + Math.max(0, allCases - caseIds.length) + Math.max(0, allMessages - messageIds.length);
  const retried = o.denouncers.reduce((n, d) => n + d.retried.size, 0);
  const outage = o.servers.map((s) => {
    const back = o.answers.filter((a) => a.server === s.baseUrl && a.ok && a.sentAt >= o.stoppedAt).map((a) => a.answeredAt);
    return back.length ? (Math.min(...back) - o.stoppedAt) / 1000 : Infinity;
  });
  const unavailable = Math.max(...outage);
  const messagesAcked = acked.reduce((n, d) => n + d.messagesAcknowledged.size, 0);
  const gaveUp = o.denouncers.filter((d) => d.gaveUp);
  // The quiet log settings at work: no statement, value or id of a denouncer's write in either server's log.
  const logged = [...caseIds, ...messageIds].filter((id) => o.serverLogs.includes(id)).length;

  console.log('\nDiễn tập chuyển đổi dự phòng / Failover drill');
  line('ca đã xác nhận (2xx)', 'cases acknowledged (2xx)', `${acked.length} / ${o.denouncers.length}`);
  line('tin nhắn đã xác nhận (2xx)', 'messages acknowledged (2xx)', messagesAcked);
  line('mất (phải là 0)', 'lost (must be 0)', lostCases + lostMessages);
  line('trùng lặp (phải là 0)', 'duplicated (must be 0)', duplicated);
  line('yêu cầu bị 5xx hoặc mất kết nối', 'requests answered 5xx or with a lost connection', o.denouncers.reduce((n, d) => n + d.failures, 0));
  line('yêu cầu ghi đã gửi lại', 'writes retried after a 5xx or a lost connection', retried);
  line('trong đó được lưu đúng một lần', 'of which stored exactly once', retriedStored);
  line('ca và tin nhắn trong cơ sở dữ liệu', 'cases and messages in the database', `${casesStored} + ${messagesStored}`);
  line('thăng cấp máy dự phòng sau', 'standby promoted after (s)', ((o.promotedAt - o.stoppedAt) / 1000).toFixed(2));
  line('giây không phục vụ (mỗi phiên bản)', 'seconds of unavailability (each instance)', outage.map((s) => s.toFixed(2)).join(', '));
  line('giây không phục vụ (tối đa)', 'seconds of unavailability (max)', unavailable.toFixed(2));
  line('mã ca/tin nhắn trong nhật ký PostgreSQL', 'case or message ids in the PostgreSQL logs (must be 0)', logged);
  line('phiên bản vẫn chạy, không khởi động lại', 'instances still running, never restarted', o.alive ? 'yes' : 'NO');
  for (const d of gaveUp.slice(0, 5)) console.log(`  bỏ cuộc / gave up: ${d.gaveUp}`);
  const ok = lostCases + lostMessages === 0 && duplicated === 0 && o.alive && unavailable <= RECOVERY_BOUND_S && gaveUp.length === 0 && retriedStored === retried && logged === 0;
  console.log(ok ? '\nĐẠT / PASSED' : `\nKHÔNG ĐẠT / FAILED: xem các số trên / see the figures above (bound: ${RECOVERY_BOUND_S} s)`);
  return ok;
}

let passed = false;
try {
  passed = await drill();
} catch (e) {
  console.error(`lỗi / error: ${(e as Error).stack ?? e}`);
} finally {
  await cleanUp();
}
process.exit(passed ? 0 : 1);
