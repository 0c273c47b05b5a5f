import t from 'tap';
import { auditAnchorBytes, signAuditAnchor, verifyAuditAnchor } from '../../src/protocol/audit-anchor.js';
import { signedBytesNameRow } from '../../src/protocol/audit-signed.js';
import { uuidBytes } from '../../src/protocol/bytes.js';
import { generateStaffKeys, loadBackend } from '../../src/protocol/index.js';
import { grantSigningBytes, identityDecisionSigningBytes } from '../../src/protocol/signing-bytes.js';

// The anchor's signed bytes are exactly PROTOCOL.md §14's, and a signed entry names its row.

const agencyId = '00000000-0000-4000-8000-0000000000aa';
const caseId = '00000000-0000-4000-8000-0000000000cc';
const recipient = '00000000-0000-4000-8000-0000000000dd';

t.test('anchor bytes: agency id || u64be(seq) || hash', async (t) => {
  const hash = new Uint8Array(32).fill(7);
  const bytes = auditAnchorBytes(agencyId, '258', hash);
  t.equal(bytes.length, 56);
  t.same([...bytes.subarray(0, 16)], [...uuidBytes(agencyId)]);
  t.same([...bytes.subarray(16, 24)], [0, 0, 0, 0, 0, 0, 1, 2]);
  t.same([...bytes.subarray(24)], [...hash]);
  t.throws(() => auditAnchorBytes(agencyId, '-1', hash), 'a seq is a decimal count');
  t.throws(() => auditAnchorBytes(agencyId, '0258', hash), 'written without leading zeros, as the chain writes it');
  t.throws(() => auditAnchorBytes(agencyId, '1000000000000000', hash), 'and below 10^15, exact as a number');
  t.same([...auditAnchorBytes(agencyId, '999999999999999', hash).subarray(16, 24)], [0, 0x03, 0x8d, 0x7e, 0xa4, 0xc6, 0x7f, 0xff]);
  t.throws(() => auditAnchorBytes(agencyId, '1', new Uint8Array(31)), 'a hash is 32 bytes');
});

t.test('an anchor verifies under its signer only, and only as signed', async (t) => {
  const be = await loadBackend();
  const auditor = generateStaffKeys(be);
  const other = generateStaffKeys(be);
  const anchor = signAuditAnchor(be, { agencyId, seq: '42', hash: new Uint8Array(32).fill(1) }, recipient, auditor.signSecretKey);
  t.ok(verifyAuditAnchor(be, anchor, [other.signPublicKey, auditor.signPublicKey]));
  t.notOk(verifyAuditAnchor(be, anchor, [other.signPublicKey]), 'another key');
  t.notOk(verifyAuditAnchor(be, { ...anchor, seq: '41' }, [auditor.signPublicKey]), 'another seq');
  t.notOk(verifyAuditAnchor(be, { ...anchor, hash: new Uint8Array(32) }, [auditor.signPublicKey]), 'another hash');
});

t.test('signed bytes must name the row they are stored in', async (t) => {
  const be = await loadBackend();
  const row = { seq: '1', at: '', agencyId, staffId: recipient, action: 'case.grant', caseId, detail: { recipient } };
  const grant = grantSigningBytes(caseId, recipient, new Uint8Array(10), be);
  t.ok(signedBytesNameRow('grant', grant, row));
  t.notOk(signedBytesNameRow('grant', grant, { ...row, caseId: agencyId }), 'another case');
  t.notOk(signedBytesNameRow('grant', grant, { ...row, detail: { recipient: caseId } }), 'another recipient');
  t.notOk(signedBytesNameRow('message', grant, row), 'read as another kind, the ids do not match the detail');
  const decision = identityDecisionSigningBytes(recipient, true, new Uint8Array(3), be);
  t.ok(signedBytesNameRow('identity-decision', decision, { ...row, detail: { requestId: recipient, decision: 'approve' } }));
  t.notOk(signedBytesNameRow('identity-decision', decision, { ...row, detail: { requestId: recipient, decision: 'refuse' } }), 'the decision byte');
});
