import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import t from 'tap';
import { AuditVerifier } from '../../src/protocol/audit-verify.js';
import { fromHex, hex } from '../../src/protocol/bytes.js';
import { loadBackend } from '../../src/protocol/index.js';
import { LABEL } from '../../src/protocol/labels.js';
import { insertAgency } from '../../src/server/db/agencies.js';
import { appendAudit, listAudit } from '../../src/server/db/audit.js';
import { audited, inTransaction } from '../../src/server/db/audited.js';
import { createTestDatabase } from '../helpers/db.js';

// The database computes each row's hash (audit_append); a verifier that trusts nothing
// but src/protocol/audit-chain.ts must get the same bytes for every kind of detail.

t.test('hashes made in the database verify with the client code', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  const agencyId = '00000000-0000-4000-8000-0000000000aa';
  const staffId = '00000000-0000-4000-8000-0000000000bb';
  const caseId = '00000000-0000-4000-8000-0000000000cc';
  const details: Record<string, unknown>[] = [
    {},
    { scope: 'agency', count: 50 },
    { quote: 'a "quoted" \\ back\\slash', control: '\u0001\t\n', unicode: 'Trần Hưng Đạo — ✓ 𝔘', z: [3, { y: null, x: true }], n: -1.5e-7 },
    { big: 12345678901234, nested: { b: { d: 1, c: 2 }, a: [] } },
  ];
  const seqs: string[] = [];
  for (const detail of details) {
    seqs.push(await appendAudit(db, { agencyId, staffId, action: 'case.list', caseId, detail }));
    seqs.push(await appendAudit(db, { agencyId: null, staffId: null, action: 'operator.é', detail }));
  }
  const rows = await listAudit(db, { agencyId: 'all', limit: 100 });
  t.same(rows.map((r) => r.seq), seqs, 'the returned seq is the row’s');
  const v = new AuditVerifier(await loadBackend());
  for (const r of rows) v.push(r);
  t.equal(v.firstBreak, null);
  t.equal(v.verified, details.length * 2);
});

t.test('the database hashes the rows of test/vectors/audit-row.json to their listed hashes', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  const file = JSON.parse(readFileSync(new URL('../vectors/audit-row.json', import.meta.url), 'utf8')) as { vectors: any[] };
  const chain = file.vectors.filter((v) => v.expect === 'ok');
  t.ok(chain.length >= 4, 'the vectors hold a chain');
  for (const v of chain) {
    // audit_append draws the seq and hashes `["seq","at",` + tail; the tail is the rest of
    // the listed bytes after the label, 0x00 and prev_hash (32), so nothing here
    // canonicalises: the database must agree with the vector as written.
    const text = new TextDecoder().decode(fromHex(v.hashed).subarray(LABEL.auditRow.length + 1 + 32));
    const head = `["${v.seq}","${v.at}",`;
    t.ok(text.startsWith(head), `${v.name}: the bytes start with seq and at`);
    await sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), ${Number(v.seq)}, false)`.execute(db);
    await sql`select audit_append(${v.agencyId}::uuid, ${v.staffId}::uuid, ${v.action}::text, ${v.caseId}::uuid,
      ${JSON.stringify(v.detail)}::jsonb, ${v.at}::text, ${text.slice(head.length)}::text, ${LABEL.auditRow}::text)`.execute(db);
  }
  const rows = await listAudit(db, { agencyId: chain[0].agencyId, limit: 100 });
  t.same(rows.map((r) => [r.seq, hex(r.prevHash), hex(r.hash)]), chain.map((v) => [v.seq, v.prevHash, v.hash]), 'the same seqs, links and hashes');
  t.same(rows.map((r) => r.detail), chain.map((v) => v.detail), 'detail read back as written, non-ASCII text included');
  const verifier = new AuditVerifier(await loadBackend());
  for (const r of rows) verifier.push(r);
  t.equal(verifier.finish(), null, 'and the chain read back verifies');
});

t.test('inside a caller’s transaction the row appears only when it commits', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  await db.transaction().execute(async (trx) => {
    await appendAudit(trx, { agencyId: null, staffId: null, action: 'kept' });
  });
  await t.rejects(
    db.transaction().execute(async (trx) => {
      await appendAudit(trx, { agencyId: null, staffId: null, action: 'rolled.back' });
      throw new Error('abort');
    }),
  );
  await appendAudit(db, { agencyId: null, staffId: null, action: 'after' });
  const rows = await listAudit(db, { agencyId: null, limit: 10 });
  t.same(rows.map((r) => r.action), ['kept', 'after']);
  const v = new AuditVerifier(await loadBackend());
  for (const r of rows) v.push(r);
  t.equal(v.firstBreak, null, 'a rolled-back append leaves no gap in the chain');
});

t.test('audited(): the action and its row commit together or not at all', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  const agency = (slug: string) => ({ slug, name: slug, signingPublicKey: new Uint8Array(32) });
  const count = async () => ({
    agencies: (await db.selectFrom('agencies').select('id').execute()).length,
    rows: (await listAudit(db, { agencyId: 'all', limit: 100 })).length,
  });

  await audited(db, async (trx) => {
    const agencyId = await insertAgency(trx, agency('kept'));
    return { result: agencyId, audit: { agencyId, staffId: null, action: 'agency.create' } };
  });
  t.same(await count(), { agencies: 1, rows: 1 }, 'a committed action has its row');

  // A crash after the action's write, before its row: neither survives.
  await t.rejects(audited(db, async (trx) => {
    await insertAgency(trx, agency('crashed'));
    throw new Error('the process dies here');
  }));
  t.same(await count(), { agencies: 1, rows: 1 }, 'a failure after the write leaves neither the action nor a row');

  // The audit insert itself fails (here: an agency id that is not a uuid): the action is rolled back.
  await t.rejects(audited(db, async (trx) => {
    await insertAgency(trx, agency('unrecorded'));
    return { result: null, audit: { agencyId: 'not-a-uuid', staffId: null, action: 'agency.create' } };
  }));
  t.same(await count(), { agencies: 1, rows: 1 }, 'a failed audit insert rolls the action back');

  // An action that must carry a signature cannot be recorded without one.
  await t.rejects(audited(db, async (trx) => {
    await insertAgency(trx, agency('unsigned'));
    return { result: null, audit: { agencyId: null, staffId: null, action: 'case.grant' } };
  }), /must carry its signature/);
  t.same(await count(), { agencies: 1, rows: 1 }, 'an unsigned signed action is refused, and rolled back');

  // Database functions that open their own transaction join the caller's instead.
  await t.rejects(audited(db, async (trx) => {
    await inTransaction(trx, (inner) => insertAgency(inner, agency('nested')));
    throw new Error('abort');
  }));
  t.same(await count(), { agencies: 1, rows: 1 }, 'a nested inTransaction is part of the outer one');
});
