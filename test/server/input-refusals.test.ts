import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { toBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, sealedNotice, transition } from './workflow-fixtures.js';

// Inputs that reached the database and came back as a 500 (NUL in text, an unpaired
// surrogate, non-canonical base64url, a day past any deadline arithmetic) are refused
// at the door with a stable 4xx code, and leave nothing behind.

const NUL = 'Tết\u0000Nguyên Đán';
const LONE = 'Giỗ Tổ \uD800 Hùng Vương';

t.test('each input that once gave a 500 is a 400 validation_failed', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agencyId = await makeAgency(db);
  const head = await makeStaff(db, agencyId, ['supervisor']);
  const admin = await makeStaff(db, agencyId, ['admin']);
  const intake = await makeStaff(db, agencyId, ['intake']);
  const kase = await makeCase(db, agencyId, '2026-03-02');
  await grant(db, kase.id, intake.id);

  const refused = async (what: string, req: { method: string; url: string; auth: string; payload?: object }) => {
    const res = await app.inject({ method: req.method as 'GET', url: req.url, headers: { authorization: req.auth }, ...(req.payload ? { payload: req.payload } : {}) });
    t.equal(res.statusCode, 400, `${what}: 400`);
    t.equal(res.json().error.code, 'validation_failed', `${what}: validation_failed`);
  };
  await refused('NUL in a holiday name', { method: 'POST', url: '/v1/staff/holidays', auth: head.auth, payload: { day: '2026-09-03', name: NUL } });
  await refused('lone surrogate in a holiday name', { method: 'POST', url: '/v1/staff/holidays', auth: head.auth, payload: { day: '2026-09-03', name: LONE } });
  await refused('lone low surrogate in a not-observed note', { method: 'POST', url: '/v1/staff/holidays/2026-09-02/not-observed', auth: head.auth, payload: { note: 'a\uDC00' } });
  await refused('NUL in an invite name', { method: 'POST', url: '/v1/admin/staff', auth: admin.auth, payload: { displayName: NUL, roles: ['intake'] } });
  await refused('NUL in a legal-hold basis', { method: 'PUT', url: `/v1/staff/cases/${kase.id}/legal-hold`, auth: head.auth, payload: { basis: `court ${NUL}` } });
  await refused('NUL in the case-list status filter', { method: 'GET', url: '/v1/staff/cases?status=RE%00CEIVED', auth: intake.auth });
  await refused('NUL in the case-list kind filter', { method: 'GET', url: '/v1/staff/cases?kind=%00', auth: intake.auth });
  await refused('a cursor naming no real day', { method: 'GET', url: `/v1/staff/cases?cursor=${Buffer.from(`2026-02-31|${randomUUID()}`).toString('base64url')}`, auth: intake.auth });
  await refused('deadlines as of 9999-12-31', { method: 'GET', url: '/v1/staff/deadlines?asOf=9999-12-31', auth: head.auth });
  await refused('retention as of 9999-12-31', { method: 'GET', url: '/v1/staff/retention?asOf=9999-12-31', auth: head.auth });
  await refused('a holiday in the year 9999', { method: 'POST', url: '/v1/staff/holidays', auth: head.auth, payload: { day: '9999-12-31', name: 'end' } });

  const transition = (body: Record<string, unknown>) => ({ method: 'POST', url: `/v1/staff/cases/${kase.id}/transitions`, auth: intake.auth, payload: { action: 'accept', ...body } });
  await refused('a lone base64url symbol in a reason', transition({ reason: 'AAAAA', notice: await sealedNotice(kase.id, intake.auth) }));
  await refused('padded base64 in a reason', transition({ reason: 'AAA=', notice: await sealedNotice(kase.id, intake.auth) }));
  await refused('non-zero trailing bits in a reason', transition({ reason: 'AB', notice: await sealedNotice(kase.id, intake.auth) }));
  await refused('invalid base64url in a notice signature', transition({ reason: 'AA', notice: { ...await sealedNotice(kase.id, intake.auth), signature: 'A' } }));
  await refused('NUL in a legal-basis citation', transition({ reason: 'AA', legalBasis: NUL, notice: await sealedNotice(kase.id, intake.auth) }));

  t.equal((await db.selectFrom('agency_holidays').select('day').where('agency_id', '=', agencyId).execute()).length, 0, 'no calendar edit was stored');
  t.equal((await db.selectFrom('staff').select('id').where('agency_id', '=', agencyId).execute()).length, 3, 'no one was invited');
  const withdraw = await app.inject({ method: 'POST', url: '/v1/case/withdraw', headers: { authorization: kase.receipt }, payload: { scope: 'all', letter: 'A' } });
  t.equal(withdraw.statusCode, 400, 'a denouncer letter of one base64url symbol is refused too');
  t.equal((await db.selectFrom('cases').select('status').where('id', '=', kase.id).executeTakeFirstOrThrow()).status, 'RECEIVED', 'the case did not move');
});

t.test('text that is storable still passes: the checks refuse only what cannot be stored', async (t) => {
  const { app, database } = await createTestApp(t);
  const agencyId = await makeAgency(database.db);
  const head = await makeStaff(database.db, agencyId, ['supervisor']);
  const res = await app.inject({ method: 'POST', url: '/v1/staff/holidays', headers: { authorization: head.auth }, payload: { day: '2026-09-03', name: 'Quốc khánh 👀 (bù)' } });
  t.equal(res.statusCode, 201, 'Vietnamese text and a surrogate pair are accepted');
  const intake = await makeStaff(database.db, agencyId, ['intake']);
  for (const n of [31, 32, 33]) {
    const kase = await makeCase(database.db, agencyId, '2026-03-02');
    await grant(database.db, kase.id, intake.id);
    const outcome = await transition(app, intake.auth, kase.id, { action: 'triage', reason: toBase64Url(randomBytes(n)) });
    t.equal(outcome.status, 201, `a reason of ${n} bytes in canonical base64url is accepted`);
  }
});
