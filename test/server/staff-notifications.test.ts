import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import t, { type Test } from 'tap';
import { ApiClientError } from '../../src/client/http.js';
import { requestIdentity } from '../../src/client/staff-identity.js';
import { NOTIFICATION_KINDS, notifications, optOutOfNotifications, setNotificationPreferences, type NotificationKind } from '../../src/client/staff-notifications.js';
import { buildApp } from '../../src/server/app.js';
import { postMessage } from '../../src/server/db/messages.js';
import { createTestApp, unlimited } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf, type Person } from './staff-kit.js';

// Notifications carry counts and a link, nothing else. A real SMTP server (smtp-server)
// on a random port receives the digests; the tests read the exact bytes it was sent.

interface Received { to: string[]; raw: string }

/** An SMTP server on 127.0.0.1 that keeps every message; `refuse` makes it turn recipients away. */
async function mailbox(t: Test) {
  const received: Received[] = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true, logger: false,
    onRcptTo(_address, _session, done) { done(state.refuse ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined); },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let open = true;
  const close = () => (open ? new Promise<void>((resolve) => { open = false; server.close(() => resolve()); }) : Promise.resolve());
  t.teardown(close);
  return { received, state, close, port: (server.server.address() as AddressInfo).port };
}

const LINK = 'https://tipline.agency.test/staff/';

async function setup(t: Test) {
  const box = await mailbox(t);
  const made = await createTestApp(t, { ...unlimited, smtpUrl: `smtp://127.0.0.1:${box.port}`, mailFrom: 'tipline <tipline@agency.test>', consoleLink: LINK });
  const db = made.database.db;
  const agency = await newAgency(made.app, db, 'thanh-tra-notify');
  const intake = await newStaff(made.app, agency, ['intake'], 'Tran Thi Tiep Nhan');
  const investigator = await newStaff(made.app, agency, ['investigator'], 'Le Van Xac Minh');
  const head = await newStaff(made.app, agency, ['supervisor'], 'Pham Thu Truong');
  const custodians = [await newStaff(made.app, agency, ['custodian'], 'Hoang Giu Khoa'), await newStaff(made.app, agency, ['custodian'], 'Vu Giu Khoa')];
  await publishBundleOf(agency, { threshold: 2 });
  return { ...made, db, box, agency, intake, investigator, head, custodians };
}

const optIn = (p: Person, address: string, kinds: NotificationKind[] = [...NOTIFICATION_KINDS], withinDays = 30) =>
  setNotificationPreferences(p.client.http, { address, kinds, withinDays });

/** Quoted-printable and RFC 2047 encoded words, as nodemailer writes them, back to text. */
function unfold(raw: string): { headers: Map<string, string>; body: string } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of head!.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const at = line.indexOf(':');
    headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
  }
  const bytes = (s: string) => Buffer.from(s.replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  const words = (v: string) => v.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    (enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : bytes(text.replace(/_/g, ' '))));
  for (const [k, v] of headers) headers.set(k, words(v));
  const body = rest.join('\r\n\r\n');
  return { headers, body: headers.get('content-transfer-encoding') === 'quoted-printable' ? bytes(body.replace(/=\r\n/g, '')) : body };
}

t.setTimeout(300_000);

t.test('a digest carries the counts and the link, and nothing else', async (t) => {
  const { app, db, box, agency, intake, investigator, custodians } = await setup(t);
  const { caseId, receipt } = await newCase(db, agency, { intake: [intake], custodians, threshold: 2 }, 'ông chủ tịch nhận hối lộ 500 triệu');
  const publicNumber = (await db.selectFrom('cases').select('public_number').where('id', '=', caseId).executeTakeFirstOrThrow()).public_number;
  await optIn(intake, 'tiep.nhan@agency.test', ['inbox', 'deadlines']);

  t.same(await app.notificationDigest(), { sent: 1, unchanged: 0, failed: 0 });
  t.equal(box.received.length, 1);
  const mail = box.received[0]!;
  t.same(mail.to, ['tiep.nhan@agency.test']);
  const { headers, body } = unfold(mail.raw);
  t.same([...headers.keys()].sort(), ['content-transfer-encoding', 'content-type', 'date', 'from', 'message-id', 'mime-version', 'subject', 'to'], 'no header beyond the usual eight');
  t.equal(headers.get('subject'), 'tipline: 2 mục đang chờ / 2 items waiting');
  t.equal(headers.get('from'), 'tipline <tipline@agency.test>');
  t.equal(headers.get('to'), 'tiep.nhan@agency.test');
  t.equal(headers.get('content-type'), 'text/plain; charset=utf-8');
  t.match(headers.get('message-id'), /^<[0-9a-f-]+@agency\.test>$/, 'a random message id on the From domain');
  t.equal(body.replace(/\r\n/g, '\n'), [
    'Bạn có 2 mục đang chờ trong tipline:',
    '- 1 hồ sơ mới chờ xử lý',
    '- 1 thời hạn đến hạn trong 30 ngày làm việc (kể cả quá hạn)',
    `Mở bảng điều khiển: ${LINK}`,
    '',
    'You have 2 item(s) waiting in tipline:',
    '- 1 new case(s) waiting in your inbox',
    '- 1 deadline(s) due within 30 working day(s), overdue ones included',
    `Open the console: ${LINK}`,
    '',
    '--',
    'Thư này chỉ có số lượng, không có nội dung hồ sơ. Thay đổi hoặc tắt thông báo trong bảng điều khiển.',
    'This message carries counts only, no case content. Change or stop these messages in the console.',
    '',
  ].join('\n'), 'the body, word for word: counts of the chosen kinds and the link');
  for (const secret of [publicNumber, caseId, receipt, intake.staffId, investigator.staffId, agency.agencyId, agency.slug, 'Tran Thi', 'Nguyen Van A', 'hối lộ', 'h=E1=BB=91i']) {
    t.notOk(mail.raw.toLowerCase().includes(secret.toLowerCase()), `the bytes sent do not hold ${secret}`);
  }
  t.notOk(body.includes('http') && body.replaceAll(LINK, '').includes('http'), 'the one link is the console\'s');

  t.same(await app.notificationDigest(), { sent: 0, unchanged: 1, failed: 0 }, 'counts unchanged: no mail');
  t.equal(box.received.length, 1);
  await newCase(db, agency, { intake: [intake] });
  t.same(await app.notificationDigest(), { sent: 1, unchanged: 0, failed: 0 }, 'a new case changes the count: one mail');
  t.equal(unfold(box.received[1]!.raw).headers.get('subject'), 'tipline: 4 mục đang chờ / 4 items waiting');
});

t.test('each member\'s counts, the same in the console as in the mail', async (t) => {
  const { app, db, box, agency, intake, investigator, head, custodians } = await setup(t);
  const { caseId } = await newCase(db, agency, { intake: [intake], custodians, threshold: 2 });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  const posted = await postMessage(db, { id: randomUUID(), caseId, direction: 'from_denouncer', authorId: null, ciphertext: new Uint8Array(296), signature: null });
  t.equal(posted.outcome, 'created');
  await requestIdentity(investigator.client, caseId, 'need to call the witness', investigator.keys);
  const counts = async (p: Person) => (await notifications(p.client.http)).counts;
  t.same(await counts(intake), { inbox: 1, replies: 1, deadlines: 0, identity: 0 }, 'intake: the case awaits triage and the denouncer wrote');
  t.same(await counts(investigator), { inbox: 1, replies: 1, deadlines: 0, identity: 0 }, 'investigator: assigned and unread');
  t.same(await counts(custodians[0]!), { inbox: 0, replies: 0, deadlines: 0, identity: 1 }, 'a custodian: one request awaits their decision');
  const ahead = await notifications(head.client.http);
  t.same(ahead.counts.inbox + ahead.counts.replies + ahead.counts.identity, 0, 'the head of agency reads no thread and holds no share');
  t.equal(ahead.withinDays, 3, 'three working days ahead until the member chooses');
  t.equal(ahead.mail, true);
  t.equal(ahead.preferences, null);

  await optIn(head, 'thu.truong@agency.test', ['deadlines'], 30);
  t.same((await notifications(head.client.http)).counts.deadlines, 1, 'thirty working days ahead: the triage deadline counts');
  await app.notificationDigest();
  t.match(unfold(box.received.at(-1)!.raw).body, /- 1 thời hạn đến hạn trong 30 ngày làm việc/);
});

t.test('opting out, deactivation and a refused mail', async (t) => {
  const { app, db, box, agency, intake, investigator, logs } = await setup(t);
  await newCase(db, agency, { intake: [intake] });
  await optIn(intake, 'tiep.nhan@agency.test');
  const { caseId } = await newCase(db, agency, { intake: [intake] });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  await optIn(investigator, 'xac.minh@agency.test', ['inbox']);

  box.state.refuse = true;
  t.same(await app.notificationDigest(), { sent: 0, unchanged: 0, failed: 2 }, 'refused by the mail server: nothing recorded as sent');
  t.notOk(logs.join('').includes('agency.test'), 'no address in the logs');
  t.match(logs.join(''), /a mail was not sent; retried next run/);
  box.state.refuse = false;
  t.same(await app.notificationDigest(), { sent: 2, unchanged: 0, failed: 0 }, 'retried on the next run');

  await agency.admin.client.deactivate(investigator.staffId);
  await newCase(db, agency, { intake: [intake] });
  t.same(await app.notificationDigest(), { sent: 1, unchanged: 0, failed: 0 }, 'a deactivated member is mailed nothing');
  t.same(box.received.at(-1)!.to, ['tiep.nhan@agency.test']);
  t.equal((await db.selectFrom('staff_notifications').select('staff_id').where('staff_id', '=', investigator.staffId).execute()).length, 0, 'and their address is deleted');

  t.same(await optOutOfNotifications(intake.client.http), { optedOut: true, removed: true });
  await newCase(db, agency, { intake: [intake] });
  t.same(await app.notificationDigest(), { sent: 0, unchanged: 0, failed: 0 }, 'opted out: no mail');
  t.equal((await db.selectFrom('staff_notifications').select('staff_id').where('staff_id', '=', intake.staffId).execute()).length, 0, 'and the address is gone');

  const audit = await db.selectFrom('audit_log').select(['action', 'staff_id', 'detail']).where('action', 'like', 'notifications.%').orderBy('seq').execute();
  t.same(audit.map((a) => [a.action, a.staff_id]), [['notifications.set', intake.staffId], ['notifications.set', investigator.staffId], ['notifications.clear', intake.staffId]], 'each choice is audited');
  t.notOk(JSON.stringify(audit).includes('@'), 'never with the address');
});

t.test('two instances on one database mail a change once', async (t) => {
  const { app, db, box, agency, intake, config } = await setup(t);
  const twin = await buildApp(config, { db, logStream: new Writable({ write: (_c, _e, done) => done() }) });
  t.teardown(() => twin.close());
  await newCase(db, agency, { intake: [intake] });
  await optIn(intake, 'tiep.nhan@agency.test');
  const runs = await Promise.all([app.notificationDigest(), twin.notificationDigest()]);
  t.same(runs.map((r) => r!.sent).sort(), [0, 1], 'one instance sends, the other finds it claimed');
  t.equal(box.received.length, 1, 'one mail');
});

t.test('refusals', async (t) => {
  const { app, intake } = await setup(t);
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ApiClientError ? `${e.status} ${e.code}` : String(e)));
  t.equal(await code(optIn(intake, 'not an address')), '400 validation_failed');
  t.equal(await code(optIn(intake, 'a@agency.test\r\nBcc: b@evil.test')), '400 validation_failed', 'no header smuggled in the address');
  t.equal(await code(setNotificationPreferences(intake.client.http, { address: 'a@agency.test', kinds: [], withinDays: 3 })), '400 validation_failed', 'at least one kind');
  t.equal(await code(optIn(intake, 'a@agency.test', ['inbox'], 31)), '400 validation_failed');
  t.same(await optOutOfNotifications(intake.client.http), { optedOut: true, removed: false }, 'opting out when out is no error');
  t.equal((await app.inject({ method: 'GET', url: '/v1/staff/notifications' })).statusCode, 401, 'a staff session is required');
});

t.test('a mail server that cannot be reached fails the mail, not the server', async (t) => {
  const closed = await mailbox(t);
  const { app, database } = await createTestApp(t, { ...unlimited, smtpUrl: `smtp://127.0.0.1:${closed.port}` });
  const agency = await newAgency(app, database.db, 'mail-down');
  const intake = await newStaff(app, agency, ['intake']);
  await newCase(database.db, agency, { intake: [intake] });
  await optIn(intake, 'a@agency.test');
  await closed.close();
  t.same(await app.notificationDigest(), { sent: 0, unchanged: 0, failed: 1 });
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the server still answers');
});

t.test("a demo's mail drop holds, one file per mail, the bytes an SMTP server receives", async (t) => {
  const box = await mailbox(t);
  const mailDir = join(await mkdtemp(join(tmpdir(), 'tipline-mail-')), 'mail');
  t.teardown(() => rm(dirname(mailDir), { recursive: true, force: true }));
  const config = { ...unlimited, mailFrom: 'tipline <tipline@agency.test>', consoleLink: LINK };
  const mailed = await createTestApp(t, { ...config, smtpUrl: `smtp://127.0.0.1:${box.port}` });
  const dropped = await buildApp({ ...mailed.app.config, smtpUrl: undefined, mailDir }, { db: mailed.database.db, logStream: new Writable({ write: (_c, _e, done) => done() }) });
  t.teardown(() => dropped.close());
  const agency = await newAgency(mailed.app, mailed.database.db, 'mail-drop');
  const intake = await newStaff(mailed.app, agency, ['intake']);
  await newCase(mailed.database.db, agency, { intake: [intake] });
  await optIn(intake, 'tiep.nhan@agency.test', ['inbox']);
  t.equal((await notifications(intake.client.http)).mail, true, 'the console says digests are sent');

  t.same(await dropped.notificationDigest(), { sent: 1, unchanged: 0, failed: 0 });
  const files = await readdir(mailDir);
  t.equal(files.length, 1);
  t.match(files[0], /^digest-\d+-0001-[0-9a-f]{6}\.eml$/);
  t.equal((await stat(join(mailDir, files[0]!))).mode & 0o777, 0o600, 'readable by the server\'s user only: it holds an address');
  t.equal((await stat(mailDir)).mode & 0o777, 0o700);
  const file = unfold((await readFile(join(mailDir, files[0]!))).toString('latin1'));
  t.equal(file.headers.get('to'), 'tiep.nhan@agency.test');
  t.equal(file.headers.get('subject'), 'tipline: 1 mục đang chờ / 1 items waiting');

  // The same counts, mailed by an instance with an SMTP server, as bytes: the same mail.
  await optIn(intake, 'tiep.nhan@agency.test', ['inbox']);
  t.same(await mailed.app.notificationDigest(), { sent: 1, unchanged: 0, failed: 0 });
  const sent = unfold(box.received[0]!.raw);
  t.equal(file.body, sent.body, 'the same body, word for word');
  t.same([...file.headers.keys()].sort(), [...sent.headers.keys()].sort(), 'the same headers');
  t.same(await dropped.notificationDigest(), { sent: 0, unchanged: 1, failed: 0 }, 'unchanged counts: no second file');
  t.equal((await readdir(mailDir)).length, 1);
});

t.test('no SMTP server: no digests, the console counts still', async (t) => {
  const { app, database } = await createTestApp(t, unlimited);
  const agency = await newAgency(app, database.db, 'no-mail');
  const intake = await newStaff(app, agency, ['intake']);
  await optIn(intake, 'a@agency.test');
  t.equal(await app.notificationDigest(), null);
  t.equal((await notifications(intake.client.http)).mail, false);
});
