import { readFileSync } from 'node:fs';
import t from 'tap';
import { signAuditAnchor, verifyAuditAnchor } from '../../src/protocol/audit-anchor.js';
import { AuditVerifier } from '../../src/protocol/audit-verify.js';
import { fromHex, hex } from '../../src/protocol/bytes.js';
import { loadBackend } from '../../src/protocol/index.js';
import { anchorFromJson, anchorToJson } from '../../src/client/staff-audit.js';

// The vectors of §14 through the code a verifier runs (test/vectors/run.ts rebuilds
// the bytes; this walks them with AuditVerifier and signs the anchor with the API an
// auditor's client uses): the chain verifies with its signature checked, and the
// anchor over its head is reproduced byte for byte from the seed.

/* eslint-disable @typescript-eslint/no-explicit-any */
const load = (file: string): any[] => JSON.parse(readFileSync(new URL(`../vectors/${file}`, import.meta.url), 'utf8')).vectors;
const rows = load('audit-row.json');
const chain = rows.filter((v) => v.expect === 'ok');
const anchorVector = load('signature.json').find((v) => v.kind === 'audit-anchor' && v.expect === 'ok');

const asRow = (v: any) => ({
  seq: v.seq, at: v.at, agencyId: v.agencyId, staffId: v.staffId, action: v.action, caseId: v.caseId, detail: v.detail,
  prevHash: fromHex(v.prevHash), hash: fromHex(v.hash),
});

for (const name of ['sodium', 'noble'] as const) {
  t.test(`${name}: the vector chain verifies, its signed grant checked against the signer's key`, async (t) => {
    const be = await loadBackend(name);
    const signer = chain.find((v) => v.signPublicKey);
    const signKeys = new Map([[signer.agencyId, new Map([[signer.staffId, [fromHex(signer.signPublicKey)]]])]]);
    const v = new AuditVerifier(be, { signKeys });
    for (const r of chain) t.ok(v.push(asRow(r)), r.name);
    t.equal(v.finish(), null);
    t.equal(v.signaturesChecked, 1, 'the one signed row');
    const head = v.head(chain[0].agencyId)!;
    t.same([head.seq, hex(head.hash)], [anchorVector.fields.seq, anchorVector.fields.hash], 'the anchor vector anchors this head');
  });

  t.test(`${name}: a row the vectors refuse breaks the chain where it stands`, async (t) => {
    const be = await loadBackend(name);
    const altered = rows.find((v) => v.name === 'grant row whose detail was altered after hashing');
    const v = new AuditVerifier(be);
    for (const r of chain) {
      if (r.seq === altered.seq) v.push({ ...asRow(r), detail: altered.detail });
      else v.push(asRow(r));
    }
    t.same(v.finish(), { seq: altered.seq, reason: 'hash_mismatch' });
  });

  t.test(`${name}: the anchor is signed again byte for byte from its seed, and round-trips its file`, async (t) => {
    const be = await loadBackend(name);
    const { publicKey, secretKey } = be.signSeedKeyPair(fromHex(anchorVector.signSeed));
    const f = anchorVector.fields;
    const auditor = '5a7e0000-0000-4000-8000-000000000006';
    const anchor = signAuditAnchor(be, { agencyId: f.agencyId, seq: f.seq, hash: fromHex(f.hash) }, auditor, secretKey);
    t.equal(hex(anchor.signature), anchorVector.signature);
    t.ok(verifyAuditAnchor(be, anchor, [publicKey]));
    const read = anchorFromJson(anchorToJson(anchor));
    t.same({ ...read, hash: hex(read.hash), signature: hex(read.signature) }, { ...anchor, hash: f.hash, signature: anchorVector.signature });
    t.notOk(verifyAuditAnchor(be, { ...read, seq: `0${f.seq}` }, [publicKey]), 'the same seq written with a leading zero is refused');
  });
}
