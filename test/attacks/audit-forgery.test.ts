import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { anchorAudit, verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { approveIdentity, requestIdentity } from '../../src/client/staff-identity.js';
import { reply } from '../../src/client/staff-messages.js';
import { verifyAuditIn } from '../../src/cli/staff/audit-direct.js';
import { signAuditAnchor, type AuditAnchor } from '../../src/protocol/audit-anchor.js';
import { auditRowHash, type ChainedAuditRow } from '../../src/protocol/audit-chain.js';
import { signedEntryJson } from '../../src/protocol/audit-signed.js';
import {
  agencyFingerprint, generateAgencyKeys, generateStaffKeys, loadBackend, signBundle, signDetached, TiplineCryptoError, toBase64Url,
} from '../../src/protocol/index.js';
import { identityRequestSigningBytes } from '../../src/protocol/signing-bytes.js';
import { listAudit } from '../../src/server/db/audit.js';
import type { Database } from '../../src/server/db/connect.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// An attacker with write access to the database (the trigger disabled, every hash
// recomputed with the public algorithm) forges, moves, cuts and rewrites audit rows.
// `audit verify` must name each one: signed actions through the agency's pinned
// bundles, truncation and rewriting through an anchor the auditor kept.

const chain = (db: Database) => listAudit(db, { agencyId: 'all', limit: 1000 });

/** What a database writer can do: replace the log with rows of their choosing, hashes recomputed, seqs renumbered. */
async function rewriteChain(db: Database, rows: ChainedAuditRow[], seqs: string[]): Promise<void> {
  const heads = new Map<string, Uint8Array>();
  const rebuilt = rows.map((r, i) => {
    const prevHash = heads.get(r.agencyId ?? '') ?? new Uint8Array(32);
    const row = { ...r, seq: seqs[i] ?? String(BigInt(seqs[seqs.length - 1]!) + BigInt(i - seqs.length + 1)), prevHash };
    const hash = auditRowHash(prevHash, row);
    heads.set(r.agencyId ?? '', hash);
    return { ...row, hash };
  });
  await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db);
  await sql`delete from audit_log`.execute(db);
  for (const r of rebuilt) {
    await sql`insert into audit_log (seq, at, agency_id, staff_id, action, case_id, detail, prev_hash, hash)
      values (${r.seq}::bigint, ${r.at}::timestamptz, ${r.agencyId}::uuid, ${r.staffId}::uuid, ${r.action}, ${r.caseId}::uuid,
              ${JSON.stringify(r.detail)}::jsonb, ${r.prevHash}, ${r.hash})`.execute(db);
  }
  // Past every seq written (a delete does not move the sequence back).
  await sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), greatest((select max(seq) from audit_log), nextval(pg_get_serial_sequence('audit_log', 'seq'))))`.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db);
}

t.setTimeout(600_000);

t.test('a database writer cannot forge, move, cut or rewrite what audit verify checks', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const be = await loadBackend();
  const agency = await newAgency(app, db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator'], 'investigator-1');
  const custodians = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])];
  const auditor = await newStaff(app, agency, ['auditor']);
  await publishBundleOf(agency, { threshold: 2 });
  const pin = agencyFingerprint(be, agency.agencyKeys.publicKey);
  const { caseId } = await newCase(db, agency, { intake: [intake], custodians, threshold: 2 });
  const { caseId: otherCase } = await newCase(db, agency, { intake: [intake] });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  await reply(investigator.client, caseId, 'please send the receipts', investigator.keys);
  const requestId = await requestIdentity(investigator.client, caseId, 'we must interview the witness', investigator.keys);
  for (const c of custodians) await approveIdentity(c.client, requestId, c.keys);

  const viaApi = (anchors: AuditAnchor[] = []) => verifyAuditViaApi(auditor.client, { pinnedFingerprint: pin, anchors });
  const direct = (anchors: AuditAnchor[] = []) => verifyAuditIn(db, { pinnedFingerprint: pin, anchors });

  const clean = await viaApi();
  t.equal(clean.firstBreak, null, 'the untouched log verifies over the API');
  t.equal(clean.signaturesChecked, 5, 'grant, message, identity request and two decisions carry checked signatures');
  t.equal((await direct()).firstBreak, null, 'and straight from the database');
  const { anchor } = await anchorAudit(auditor.client, auditor.keys, { pinnedFingerprint: pin });
  t.ok(anchor, 'the auditor anchors the verified head');

  const original = await chain(db);
  const seqs = original.map((r) => r.seq);
  const restore = () => rewriteChain(db, original, seqs);
  const real = original.find((r) => r.action === 'identity.request')!;
  const at = real.at.replace(/^(\d{4})/, (y) => String(Number(y) - 1)); // backdated a year
  const insertBefore = (row: ChainedAuditRow) => {
    const i = original.indexOf(real);
    return [...original.slice(0, i), row, ...original.slice(i)];
  };
  const forgedId = randomUUID();
  const forged = { ...real, at, detail: { requestId: forgedId } };
  const realSigned = (real.detail as { signed: unknown }).signed;

  const attacks: [string, ChainedAuditRow[], string][] = [
    ['an unsigned backdated identity.request "by investigator-1"', insertBefore(forged), 'signature_missing'],
    ['the real request\'s signed entry copied into a second row', insertBefore({ ...real, at }), 'signature_reused'],
    ['the real request\'s signed entry moved to another case', insertBefore({ ...real, at, caseId: otherCase }), 'signature_mismatch'],
    ['a signed entry naming another request id', insertBefore({ ...real, at, detail: { requestId: forgedId, signed: realSigned } }), 'signature_mismatch'],
  ];
  // Signed with a key the attacker made: it is in no bundle the agency signed.
  const attackerKeys = generateStaffKeys(be);
  const bytes = identityRequestSigningBytes(caseId, forgedId, new Uint8Array(32), be);
  const badSigned = signedEntryJson({ kind: 'identity-request', signer: investigator.staffId, bytes, signature: signDetached(be, 'identity-request', bytes, attackerKeys.signSecretKey) });
  attacks.push(['a request signed with a key of the attacker\'s', insertBefore({ ...forged, detail: { requestId: forgedId, signed: badSigned } }), 'signature_invalid']);

  for (const [what, rows, reason] of attacks) {
    await rewriteChain(db, rows, seqs);
    const api = await viaApi();
    t.equal(api.firstBreak?.reason, reason, `API: ${what} is found (${reason})`);
    t.equal((await direct()).firstBreak?.reason, reason, `direct: ${what} is found (${reason})`);
    await restore();
  }

  // The attacker also swaps the agency key and publishes a bundle of their own.
  const attackerAgency = generateAgencyKeys(be);
  const content = {
    version: 1 as const, agencyId: agency.agencyId, agencySlug: agency.slug, jurisdiction: 'VN', serial: 2, threshold: 1, issuedOn: '2020-01-01', expiresOn: '2099-01-01',
    staff: [{ staffId: investigator.staffId, displayName: 'investigator', roles: ['investigator' as const], signPublicKey: toBase64Url(attackerKeys.signPublicKey), boxPublicKey: toBase64Url(attackerKeys.boxPublicKey) }],
  };
  const fake = signBundle(be, content, attackerAgency.secretKey);
  await sql`update agencies set signing_public_key = ${attackerAgency.publicKey} where id = ${agency.agencyId}::uuid`.execute(db);
  await sql`insert into key_bundles (agency_id, serial, payload, signature) values (${agency.agencyId}::uuid, 2, ${fake.payload}, ${fake.signature})`.execute(db);
  await rewriteChain(db, attacks[4]![1], seqs);
  await t.rejects(viaApi(), TiplineCryptoError, 'API: a substituted agency key fails the pin; nothing is accepted from its bundles');
  await t.rejects(direct(), /no agency in this database has the pinned signing key/, 'direct: likewise');
  await sql`update agencies set signing_public_key = ${agency.agencyKeys.publicKey} where id = ${agency.agencyId}::uuid`.execute(db);
  await t.rejects(viaApi(), TiplineCryptoError, 'a forged bundle in the history fails closed even with the real key back');
  await sql`delete from key_bundles where serial = 2 and agency_id = ${agency.agencyId}::uuid`.execute(db);
  await restore();

  // Truncation: the tail is deleted. Only an anchor kept outside can tell.
  const agencyRows = original.filter((r) => r.agencyId === agency.agencyId);
  const cut = original.filter((r) => r !== agencyRows[agencyRows.length - 1] && r !== agencyRows[agencyRows.length - 2]);
  await rewriteChain(db, cut, seqs);
  t.equal((await viaApi()).firstBreak, null, 'without an anchor a cut tail looks like a shorter log');
  t.equal((await viaApi([anchor!])).firstBreak?.reason, 'anchor_missing', 'API: with the anchor, the cut is found');
  t.equal((await direct([anchor!])).firstBreak?.reason, 'anchor_missing', 'direct: with the anchor, the cut is found');
  await restore();

  // Rewriting an unsigned row's detail and recomputing every hash after it.
  const open = original.find((r) => r.action === 'case.open')!;
  await rewriteChain(db, original.map((r) => (r === open ? { ...r, detail: { withKey: false } } : r)), seqs);
  t.equal((await viaApi()).firstBreak, null, 'without an anchor a recomputed chain verifies');
  t.equal((await viaApi([anchor!])).firstBreak?.reason, 'anchor_mismatch', 'API: with the anchor, the rewrite is found');
  t.equal((await direct([anchor!])).firstBreak?.reason, 'anchor_mismatch', 'direct: with the anchor, the rewrite is found');
  await restore();

  // An anchor not signed by an auditor in the agency's bundles is refused.
  const forgedAnchor = signAuditAnchor(be, { agencyId: anchor!.agencyId, seq: anchor!.seq, hash: new Uint8Array(32) }, auditor.staffId, attackerKeys.signSecretKey);
  await t.rejects(viaApi([forgedAnchor]), TiplineCryptoError, 'a forged anchor is refused');
  t.equal((await viaApi([anchor!])).firstBreak, null, 'the restored log verifies against the anchor again');
});
