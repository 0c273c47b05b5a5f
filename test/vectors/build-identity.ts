import { deriveReceiptKeys, generateReceipt, generateStaffKeys, resealShare, type Backend } from '../../src/protocol/index.js';
import { sealIdentity } from '../../src/protocol/identity.js';
import { AGENCY_ID, CASE_ID, CTX, OTHER_CASE_ID, flip, hex, referenceSplit, seededBackend, seededRandom, staffId } from './fixtures.js';

const IDENTITY = new TextEncoder().encode(JSON.stringify({ name: 'Nguyễn Văn A', address: 'Hà Nội', contact: '+84 90 000 0000' }));
/** Protection details (PROTOCOL.md §6.1): the identity block format, the protection request's id in the case id's place. */
const DETAILS = new TextEncoder().encode(JSON.stringify({ reasons: 'Bị đe dọa cho nghỉ việc.', measures: 'Giữ nguyên vị trí công tác.', urgent: true }));
const PROTECTION_REQUEST_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';

type Staff = ReturnType<typeof generateStaffKeys>;

function holder(keys: Staff, wrapped: Uint8Array) {
  return { secretKey: hex(keys.boxSecretKey), publicKey: hex(keys.boxPublicKey), wrapped: hex(wrapped) };
}

async function sealFor(be: Backend, custodians: Staff[], threshold: number, seed: string, caseId = CASE_ID, data = IDENTITY) {
  const reply = deriveReceiptKeys(be, generateReceipt(be)).replyKeyPair;
  const ctx = { agencyId: AGENCY_ID, caseId };
  const recipients = custodians.map((c, i) => ({ staffId: staffId(100 + i), boxPublicKey: c.boxPublicKey }));
  const sealed = await sealIdentity(be, ctx, { data, custodians: recipients, threshold }, reply.publicKey, referenceSplit(seededRandom(seed)));
  return { sealed, reply };
}

/** Each vector: unwrap every listed share with its holder's key, combine, open the block. */
export async function buildIdentityVectors(base: Backend): Promise<object[]> {
  const be = seededBackend(base, 'tipline/vectors/identity');
  const custodians = [generateStaffKeys(be), generateStaffKeys(be), generateStaffKeys(be)];
  const investigator = generateStaffKeys(be);
  const { sealed, reply } = await sealFor(be, custodians, 2, 'tipline/vectors/identity/2of3');
  const shares = sealed.shares.map((s, i) => holder(custodians[i]!, s.wrapped));
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}) => ({
    name,
    expect,
    agencyId: AGENCY_ID,
    caseId: CASE_ID,
    block: hex(sealed.block),
    shares: shares.slice(0, 2),
    ...over,
    ...(expect === 'ok' ? { identity: hex(IDENTITY) } : {}),
  });
  const single = await sealFor(be, [custodians[0]!], 1, 'tipline/vectors/identity/1of1');
  const all = await sealFor(be, custodians, 3, 'tipline/vectors/identity/3of3');
  const elsewhere = await sealFor(be, custodians, 2, 'tipline/vectors/identity/other', OTHER_CASE_ID);
  const share0 = be.boxSealOpen(sealed.shares[0]!.wrapped, custodians[0]!.boxPublicKey, custodians[0]!.boxSecretKey)!.slice(34);
  const vectors = [
    vector('2 of 3 custodian shares open the identity', 'ok'),
    vector('shares 2 and 3 of 3 open the identity', 'ok', { shares: shares.slice(1) }),
    vector('1 of 1 custodian share opens the identity', 'ok', { block: hex(single.sealed.block), shares: [holder(custodians[0]!, single.sealed.shares[0]!.wrapped)] }),
    vector('3 of 3 custodian shares open the identity', 'ok', { block: hex(all.sealed.block), shares: all.sealed.shares.map((s, i) => holder(custodians[i]!, s.wrapped)) }),
    vector('share re-sealed to an investigator', 'ok', { shares: [holder(investigator, resealShare(be, CTX, share0, investigator.boxPublicKey)), shares[1]] }),
    { ...vector('denouncer opens their own copy', 'ok', { shares: [] }), denouncer: holder2(reply, sealed.denouncerKey) },
    vector('threshold minus one share', 'open_failed', { shares: shares.slice(0, 1) }),
    vector('3 of 3 block with two shares', 'open_failed', { block: hex(all.sealed.block), shares: all.sealed.shares.slice(0, 2).map((s, i) => holder(custodians[i]!, s.wrapped)) }),
    vector('same share twice', 'open_failed', { shares: [shares[0], shares[0]] }),
    vector('share from another case', 'open_failed', { shares: [holder(custodians[0]!, elsewhere.sealed.shares[0]!.wrapped), shares[1]] }),
    vector('share opened by the wrong custodian', 'open_failed', { shares: [{ ...shares[0]!, secretKey: shares[1]!.secretKey, publicKey: shares[1]!.publicKey }, shares[1]] }),
    vector('block threshold byte changed', 'open_failed', { block: hex(flip(sealed.block, 38)) }),
    vector('block commitment flipped', 'open_failed', { block: hex(flip(sealed.block, 39)) }),
    vector('block ciphertext flipped', 'open_failed', { block: hex(flip(sealed.block, 71 + 24)) }),
    vector('block truncated by one byte', 'open_failed', { block: hex(sealed.block.slice(0, -1)) }),
    vector('opened as another case', 'open_failed', { caseId: OTHER_CASE_ID }),
  ];
  // Appended after the others so their seeded randomness, and so their bytes, stay as committed.
  const protection = await sealFor(be, custodians, 2, 'tipline/vectors/identity/protection', PROTECTION_REQUEST_ID, DETAILS);
  const details = (name: string, expect: string, over: Record<string, unknown>) => ({
    ...vector(name, expect, { caseId: PROTECTION_REQUEST_ID, block: hex(protection.sealed.block), ...over }),
    ...(expect === 'ok' ? { identity: hex(DETAILS) } : {}),
  });
  const detailShares = protection.sealed.shares.map((s, i) => holder(custodians[i]!, s.wrapped));
  return [
    ...vectors,
    details('protection details: 2 of 3 shares open them under the request id', 'ok', { shares: detailShares.slice(1) }),
    details("protection details: the case's identity share offered as one of theirs", 'open_failed', { shares: [shares[0], detailShares[1]] }),
    details('protection details opened under the case id', 'open_failed', { caseId: CASE_ID, shares: detailShares.slice(0, 2) }),
  ];
}

function holder2(keys: { publicKey: Uint8Array; secretKey: Uint8Array }, wrapped: Uint8Array) {
  return { secretKey: hex(keys.secretKey), publicKey: hex(keys.publicKey), wrapped: hex(wrapped) };
}
