import { sql } from 'kysely';
import t from 'tap';
import { AuditVerifier } from '../../src/protocol/audit-verify.js';
import { loadBackend } from '../../src/protocol/index.js';
import { appendAudit, listAudit } from '../../src/server/db/audit.js';
import { createTestApp } from '../helpers/app.js';

t.test('concurrent appends form one unbroken chain per agency', async (t) => {
  const { database } = await createTestApp(t);
  const db = database.db;
  const agencyA = '00000000-0000-4000-8000-00000000000a';
  const agencyB = '00000000-0000-4000-8000-00000000000b';
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      appendAudit(db, { agencyId: i % 2 ? agencyA : agencyB, staffId: null, action: 'test.append', detail: { i, z: 'x', a: [1, { b: 2 }] } }),
    ),
  );
  const rows = await listAudit(db, { agencyId: 'all', limit: 100 });
  t.equal(rows.length, 20);
  const v = new AuditVerifier(await loadBackend());
  for (const r of rows) v.push(r);
  t.equal(v.firstBreak, null);
  t.equal(v.verified, 20);
});

t.test('the database refuses to update or delete an audit row', async (t) => {
  const { database } = await createTestApp(t);
  await appendAudit(database.db, { agencyId: null, staffId: null, action: 'test.append' });
  await t.rejects(sql`update audit_log set action = 'forged'`.execute(database.db));
  await t.rejects(sql`delete from audit_log`.execute(database.db));
});

t.test('a row edited behind the trigger breaks the chain at that row', async (t) => {
  const { database } = await createTestApp(t);
  const db = database.db;
  for (let i = 0; i < 5; i++) await appendAudit(db, { agencyId: null, staffId: null, action: `test.${i}` });
  const before = await listAudit(db, { agencyId: 'all', limit: 100 });
  await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db);
  await sql`update audit_log set action = 'forged' where seq = ${before[2]!.seq}`.execute(db);
  const rows = await listAudit(db, { agencyId: 'all', limit: 100 });
  const v = new AuditVerifier(await loadBackend());
  for (const r of rows) v.push(r);
  t.same(v.firstBreak, { seq: before[2]!.seq, reason: 'hash_mismatch' });
});
