import t from 'tap';
import {
  agencyFingerprint,
  decryptKeyFile,
  encryptKeyFile,
  generateAgencyKeys,
  generateStaffKeys,
  loginMessage,
  grantContentKey,
  noticeDigest,
  openMessage,
  openRequestReason,
  sealRequestReason,
  signBundle,
  signDetached,
  transitionSigningBytes,
  unwrapContentKey,
  unwrapRequestKey,
  wrapRequestKey,
  solvePow,
  staffKeyFingerprint,
  toBase64Url,
  verifyBundle,
  verifyDetached,
  verifyPow,
  type BundleContent,
  type SignedKind,
} from '../../src/protocol/index.js';
import { BACKENDS, CTX, PAIRS, codeOf, noble, sodium, uuid } from './helpers.js';

const KINDS: SignedKind[] = ['login', 'grant', 'message', 'transition', 'identity-request', 'identity-decision', 'protection-decision', 'proposal', 'bundle'];

t.test('a signature verifies only for its own kind, on both backends', async (t) => {
  for (const [signer, verifier] of PAIRS) {
    const keys = generateStaffKeys(signer);
    const message = new TextEncoder().encode('assign case to investigator');
    for (const kind of KINDS) {
      const signature = signDetached(signer, kind, message, keys.signSecretKey);
      t.equal(signature.length, 64);
      for (const other of KINDS) {
        t.equal(verifyDetached(verifier, other, signature, message, keys.signPublicKey), other === kind, `${kind} as ${other}`);
      }
    }
  }
});

t.test('the login message binds origin, nonce and staff id', async (t) => {
  const nonce = sodium.randomBytes(32);
  const base = loginMessage('https://a.example', nonce, uuid(1));
  t.notSame(loginMessage('https://b.example', nonce, uuid(1)), base);
  t.notSame(loginMessage('https://a.example', sodium.randomBytes(32), uuid(1)), base);
  t.notSame(loginMessage('https://a.example', nonce, uuid(2)), base);
  t.equal(await codeOf(() => loginMessage('https://a.example', nonce.subarray(1), uuid(1))), 'input_invalid');
});

t.test('a transition signature binds every field of the decision', async (t) => {
  for (const be of BACKENDS) {
    const base = {
      caseId: uuid(1), action: 'conclude', from: 'VERIFYING', to: 'CONCLUDED', onDay: '2025-06-30', reason: Uint8Array.of(1, 2, 3),
      notice: { messageId: uuid(2), ciphertext: Uint8Array.of(4, 5) }, finding: 'true', extension: null, legalBasis: 'Art. 35',
    };
    const bytes = transitionSigningBytes(base, be);
    t.equal(bytes[0], 1, 'starts with the version byte');
    const changes: Record<string, unknown>[] = [
      { caseId: uuid(3) }, { action: 'close' }, { from: 'ACCEPTED' }, { to: 'CLOSED' }, { onDay: '2025-07-01' }, { reason: Uint8Array.of(1, 2, 4) },
      { notice: null }, { notice: { messageId: uuid(4), ciphertext: Uint8Array.of(4, 5) } }, { finding: 'false' },
      { extension: { complexity: 'complex', days: 30 } }, { legalBasis: 'Art. 36' },
    ];
    for (const change of changes) t.notSame(transitionSigningBytes({ ...base, ...change }, be), bytes, `${Object.keys(change)[0]} is bound`);
    // Length prefixes: moving a byte from one name to the next changes the bytes.
    t.notSame(transitionSigningBytes({ ...base, from: 'VERIFYINGC', to: 'ONCLUDED' }, be), bytes);
    t.equal(await codeOf(() => transitionSigningBytes({ ...base, onDay: '30/06/2025' }, be)), 'input_invalid', 'a day is YYYY-MM-DD');
    // A staff client checking a recorded transition holds the notice's stored digest, not its ciphertext.
    const digest = noticeDigest(be, base.notice.ciphertext);
    t.same(transitionSigningBytes({ ...base, notice: { messageId: uuid(2), digest } }, be), bytes, 'the notice by its digest: the same bytes');
    t.notSame(transitionSigningBytes({ ...base, notice: { messageId: uuid(2), digest: noticeDigest(be, Uint8Array.of(4, 6)) } }, be), bytes);
    t.equal(await codeOf(() => transitionSigningBytes({ ...base, notice: { messageId: uuid(2), digest: digest.subarray(1) } }, be)), 'input_invalid', 'a digest is 32 bytes');
  }
});

t.test('a staff key fingerprint covers both keys', async (t) => {
  for (const [one, other] of PAIRS) {
    const keys = generateStaffKeys(one);
    const fingerprint = staffKeyFingerprint(one, keys.signPublicKey, keys.boxPublicKey);
    t.match(fingerprint, /^([0-9A-HJKMNP-TV-Z]{4} ){7}[0-9A-HJKMNP-TV-Z]{4}$/, 'eight groups of four, as an agency fingerprint');
    t.equal(staffKeyFingerprint(other, keys.signPublicKey, keys.boxPublicKey), fingerprint, 'the same on the other backend');
    const swapped = generateStaffKeys(one);
    t.not(staffKeyFingerprint(one, swapped.signPublicKey, keys.boxPublicKey), fingerprint, 'another signing key');
    t.not(staffKeyFingerprint(one, keys.signPublicKey, swapped.boxPublicKey), fingerprint, 'another box key');
    t.not(staffKeyFingerprint(one, keys.signPublicKey, keys.signPublicKey), agencyFingerprint(one, keys.signPublicKey), 'never an agency fingerprint');
  }
});

t.test('an identity request key and reason are their own kind: never a content key or a message', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    const reader = { publicKey: sealer.x25519Base(Uint8Array.from({ length: 32 }, (_, i) => i + 1)), secretKey: Uint8Array.from({ length: 32 }, (_, i) => i + 1) };
    const key = sealer.randomBytes(32);
    const wrapped = wrapRequestKey(sealer, CTX, key, reader.publicKey);
    t.same(unwrapRequestKey(opener, CTX, wrapped, reader), key);
    t.equal(await codeOf(() => unwrapContentKey(opener, CTX, wrapped, reader)), 'open_failed', 'a request key is not a content key');
    t.equal(await codeOf(() => unwrapRequestKey(opener, CTX, grantContentKey(sealer, CTX, key, reader.publicKey), reader)), 'open_failed', 'nor the other way round');
    const sealed = sealRequestReason(sealer, CTX, key, uuid(5), new TextEncoder().encode('witness contact'));
    t.equal(new TextDecoder().decode(openRequestReason(opener, CTX, key, uuid(5), sealed)), 'witness contact');
    t.equal(await codeOf(() => openRequestReason(opener, CTX, key, uuid(6), sealed)), 'open_failed', 'bound to its id');
    t.equal(await codeOf(() => openMessage(opener, CTX, key, { messageId: uuid(5), direction: 'to_denouncer', ciphertext: sealed })), 'open_failed', 'a reason is not a message');
  }
});

t.test('a key file opens with its passphrase and only with it', async (t) => {
  const keys = generateStaffKeys(noble);
  const meta = { staffId: uuid(3), agencyId: uuid(4), label: 'laptop' };
  const text = await encryptKeyFile(keys, 'mật khẩu dài', meta, { opslimit: 1, memlimit: 8192 });
  const opened = await decryptKeyFile(text, 'mật khẩu dài'.normalize('NFD'));
  t.same(opened.keys, keys, 'NFC and NFD spellings of one passphrase both open');
  t.same(opened.meta, meta);
  t.equal(await codeOf(() => decryptKeyFile(text, 'wrong')), 'open_failed');
  t.equal(await codeOf(() => decryptKeyFile(text.replace('laptop', 'desktop'), 'mật khẩu dài')), 'open_failed');
  t.equal(await codeOf(() => decryptKeyFile('{not json', 'mật khẩu dài')), 'open_failed');
  const file = JSON.parse(text);
  file.kdf.memlimit = 2 ** 40;
  t.equal(await codeOf(() => decryptKeyFile(JSON.stringify(file), 'mật khẩu dài')), 'open_failed', 'absurd limits refused');
});

t.test('a key file defaults to the interactive Argon2id limits', async (t) => {
  const text = await encryptKeyFile(generateStaffKeys(sodium), 'pass', {});
  t.match(JSON.parse(text).kdf, { alg: 'argon2id13', opslimit: 2, memlimit: 67108864 });
});

function content(serial: number, staffKeys = generateStaffKeys(sodium)): BundleContent {
  return {
    version: 1,
    agencyId: uuid(9),
    agencySlug: 'thanh-tra',
    jurisdiction: 'VN',
    serial,
    threshold: 1,
    issuedOn: '2025-01-01',
    expiresOn: '2025-12-31',
    staff: [{ staffId: uuid(1), displayName: 'Nguyễn Thị Lan', roles: ['intake', 'custodian'], signPublicKey: toBase64Url(staffKeys.signPublicKey), boxPublicKey: toBase64Url(staffKeys.boxPublicKey) }],
  };
}

t.test('bundles: pinned fingerprint, signature, serial and validity are checked', async (t) => {
  for (const [signer, verifier] of PAIRS) {
    const agency = generateAgencyKeys(signer);
    const pin = agencyFingerprint(verifier, agency.publicKey);
    t.match(pin, /^([0-9A-HJKMNP-TV-Z]{4} ){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    const bundle = signBundle(signer, content(5), agency.secretKey);
    const trust = { agencyPublicKey: agency.publicKey, pinnedFingerprint: pin.toLowerCase(), minSerial: 5, today: '2025-03-01' };
    t.same(verifyBundle(verifier, bundle, trust), JSON.parse(new TextDecoder().decode(bundle.payload)));
    t.equal(await codeOf(() => verifyBundle(verifier, bundle, { ...trust, minSerial: 6 })), 'bundle_rollback');
    t.equal(await codeOf(() => verifyBundle(verifier, bundle, { ...trust, today: '2026-01-01' })), 'bundle_invalid');
    const other = generateAgencyKeys(signer);
    t.equal(await codeOf(() => verifyBundle(verifier, bundle, { ...trust, agencyPublicKey: other.publicKey })), 'bundle_invalid');
    t.equal(await codeOf(() => verifyBundle(verifier, signBundle(signer, content(5), other.secretKey), trust)), 'bundle_invalid');
  }
});

t.test('a bundle no client would accept is not signed', async (t) => {
  const agency = generateAgencyKeys(sodium);
  const bad = { ...content(1), threshold: 2 }; // only one custodian
  t.equal(await codeOf(() => signBundle(sodium, bad, agency.secretKey)), 'input_invalid');
});

t.test('a bundle signed now names every member; one published before names still verifies', async (t) => {
  const agency = generateAgencyKeys(sodium);
  const { displayName: _left, ...nameless } = content(1).staff[0]!;
  t.equal(await codeOf(() => signBundle(sodium, { ...content(1), staff: [nameless] }, agency.secretKey)), 'input_invalid', 'a member without a name is not signed');
  const payload = new TextEncoder().encode(JSON.stringify({ ...content(1), staff: [nameless] }));
  const earlier = { payload, signature: signDetached(sodium, 'bundle', payload, agency.secretKey) };
  t.same(verifyBundle(sodium, earlier, { agencyPublicKey: agency.publicKey }).staff, [nameless], 'an earlier bundle without names verifies, naming no one');
});

t.test('proof of work: 16 answers verify in 16 hashes on both backends', async (t) => {
  for (const be of BACKENDS) {
    const puzzles = { challenge: be.randomBytes(32), puzzles: 16, difficulty: 8 };
    const solution = solvePow(be, puzzles);
    t.equal(solution.length, 16 * 8);
    for (const other of BACKENDS) t.ok(verifyPow(other, puzzles, solution));
    t.notOk(verifyPow(be, { ...puzzles, difficulty: 64 }, solution));
  }
});
