import { generateStaffKeys, newShareX, splitShare, unwrapShare, wrapSubShare, type Backend } from '../../src/protocol/index.js';
import { sealIdentity } from '../../src/protocol/identity.js';
import { concat } from '../../src/protocol/bytes.js';
import { AGENCY_ID, CASE_ID, CTX, OTHER_CASE_ID, hex, referenceSplit, seededBackend, seededRandom, staffId } from './fixtures.js';

// Resharing (PROTOCOL.md §6.2): a block sealed 2-of-3 whose custodians 1 and 2 re-split
// their shares to five new custodians at 3. `split` vectors give one old share, the new
// x's, m' and the random bytes drawn (m' − 1 per key byte, in byte order): the sub-shares
// MUST come out byte for byte. `open` vectors give, for each new custodian taking part,
// their key pair, x and the sealed sub-shares from each old custodian: unwrap (kind 0x05),
// sum at x, combine with the current threshold, open the block.

const IDENTITY = new TextEncoder().encode(JSON.stringify({ name: 'Trần Thị B', address: 'Đà Nẵng', contact: '+84 91 000 0000' }));

type Staff = ReturnType<typeof generateStaffKeys>;

/** The backend, recording every random byte splitShare draws. */
function recording(be: Backend): { be: Backend; drawn: Uint8Array[] } {
  const drawn: Uint8Array[] = [];
  return { be: { ...be, randomBytes: (n: number) => { const b = be.randomBytes(n); drawn.push(b.slice()); return b; } }, drawn };
}

export async function buildReshareVectors(base: Backend): Promise<object[]> {
  const be = seededBackend(base, 'tipline/vectors/reshare');
  const old = [generateStaffKeys(be), generateStaffKeys(be), generateStaffKeys(be)];
  const fresh: Staff[] = Array.from({ length: 5 }, () => generateStaffKeys(be));
  const reply = generateStaffKeys(be);
  const recipients = old.map((c, i) => ({ staffId: staffId(200 + i), boxPublicKey: c.boxPublicKey }));
  const sealed = await sealIdentity(be, CTX, { data: IDENTITY, custodians: recipients, threshold: 2 }, reply.boxPublicKey, referenceSplit(seededRandom('tipline/vectors/reshare/2of3')));
  const shares = sealed.shares.map((s, i) => unwrapShare(be, CTX, s.wrapped, { publicKey: old[i]!.boxPublicKey, secretKey: old[i]!.boxSecretKey }));
  const xs = fresh.map((_, j) => newShareX(j));
  const parts = shares.slice(0, 2).map((share) => {
    const r = recording(be);
    const subs = splitShare(r.be, share, xs, 3);
    return { share, random: concat(...r.drawn), subs, wrapped: subs.map((s, j) => wrapSubShare(be, CTX, s, fresh[j]!.boxPublicKey)) };
  });
  const elsewhere = wrapSubShare(be, { ...CTX, caseId: OTHER_CASE_ID }, parts[0]!.subs[0]!, fresh[0]!.boxPublicKey);
  const split = (name: string, p: typeof parts[number]) => ({
    name, expect: 'ok', kind: 'split', share: hex(p.share), newXs: xs, threshold: 3, random: hex(p.random), subShares: p.subs.map(hex),
  });
  const member = (j: number, wrapped = parts.map((p) => p.wrapped[j]!)) => ({
    x: xs[j], secretKey: hex(fresh[j]!.boxSecretKey), publicKey: hex(fresh[j]!.boxPublicKey), subShares: wrapped.map(hex),
  });
  const open = (name: string, expect: string, members: object[], over: Record<string, unknown> = {}) => ({
    name, expect, kind: 'open', agencyId: AGENCY_ID, caseId: CASE_ID, block: hex(sealed.block), threshold: 3, newCustodians: members, ...over,
    ...(expect === 'ok' ? { identity: hex(IDENTITY) } : {}),
  });
  return [
    split("old custodian 1's share re-split to five at 3", parts[0]!),
    split("old custodian 2's share re-split to five at 3", parts[1]!),
    open('new custodians 1, 2, 3 of 5 open a block sealed 2-of-3', 'ok', [member(0), member(1), member(2)]),
    open('new custodians 5, 2, 4 of 5 open it', 'ok', [member(4), member(1), member(3)]),
    open("m' − 1 new custodians, even told the threshold is 2", 'open_failed', [member(0), member(1)], { threshold: 2 }),
    open('one sum missing an old custodian\'s sub-share', 'open_failed', [member(0, [parts[0]!.wrapped[0]!]), member(1), member(2)]),
    open('a sub-share sealed for another case', 'open_failed', [member(0, [elsewhere, parts[1]!.wrapped[0]!]), member(1), member(2)]),
    open('a sub-share opened by the wrong new custodian', 'open_failed', [member(0, parts.map((p) => p.wrapped[1]!)), member(1), member(2)]),
    open('the same new custodian twice', 'open_failed', [member(0), member(0), member(2)]),
    open('opened as another case', 'open_failed', [member(0), member(1), member(2)], { caseId: OTHER_CASE_ID }),
  ];
}
