import {
  agencyFingerprint,
  deriveReceiptKeys,
  encryptKeyFile,
  generateAgencyKeys,
  generateReceipt,
  generateStaffKeys,
  solvePow,
  staffKeyFingerprint,
  toBase64Url,
  type Backend,
} from '../../src/protocol/index.js';
import { caughtTypo } from '../helpers/receipt.js';
import { flip, hex, seededBackend, seededRandom, staffId } from './fixtures.js';

export function buildReceiptVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/receipt');
  const receipt = generateReceipt(be);
  const keys = deriveReceiptKeys(be, receipt);
  const ok = (name: string, input: string) => ({
    name,
    expect: 'ok',
    input,
    normalized: receipt,
    authKey: hex(keys.authKey),
    verifier: hex(keys.verifier),
    replySecretKey: hex(keys.replyKeyPair.secretKey),
    replyPublicKey: hex(keys.replyKeyPair.publicKey),
  });
  const bad = (name: string, input: string) => ({ name, expect: 'receipt_invalid', input });
  const symbols = receipt.replaceAll('-', '');
  const wrongCheck = symbols.slice(0, 24) + (symbols[24] === '0' ? '1' : '0');
  const typo = caughtTypo(symbols);
  return [
    ok('canonical form', receipt),
    ok('lower case with spaces', group(symbols.toLowerCase(), ' ')),
    ok('no separators, dots and underscores', symbols.slice(0, 10) + '.' + symbols.slice(10, 20) + '_' + symbols.slice(20)),
    ok('look-alikes O, I and L', symbols.replaceAll('0', 'O').replaceAll('1', 'l')),
    bad('wrong check symbol', wrongCheck),
    bad('one data symbol changed', typo),
    bad('one symbol missing', symbols.slice(1)),
    bad('one symbol extra', symbols + '0'),
    bad('letter U is not in the alphabet', 'U' + symbols.slice(1)),
  ];
}

function group(symbols: string, separator: string): string {
  return symbols.match(/.{1,5}/g)!.join(separator);
}

/** Agency and staff key fingerprints (§9): what people read to each other to confirm a key. */
export function buildFingerprintVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/fingerprint');
  const agency = generateAgencyKeys(be);
  const staff = generateStaffKeys(be);
  return [
    { name: 'agency key fingerprint', expect: 'ok', kind: 'agency', agencyPublicKey: hex(agency.publicKey), fingerprint: agencyFingerprint(be, agency.publicKey) },
    {
      name: 'staff key fingerprint', expect: 'ok', kind: 'staff', signPublicKey: hex(staff.signPublicKey), boxPublicKey: hex(staff.boxPublicKey),
      fingerprint: staffKeyFingerprint(be, staff.signPublicKey, staff.boxPublicKey),
    },
    {
      name: 'staff key fingerprint with the keys swapped', expect: 'ok', kind: 'staff', signPublicKey: hex(staff.boxPublicKey), boxPublicKey: hex(staff.signPublicKey),
      fingerprint: staffKeyFingerprint(be, staff.boxPublicKey, staff.signPublicKey),
    },
    { name: 'staff box key one byte short', expect: 'input_invalid', kind: 'staff', signPublicKey: hex(staff.signPublicKey), boxPublicKey: hex(staff.boxPublicKey.subarray(1)) },
  ];
}

export function buildPowVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/pow');
  const challenge = be.randomBytes(32);
  const solution = solvePow(be, challenge, 12);
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}) => ({
    name, expect, challenge: hex(challenge), difficulty: 12, solution: hex(solution), ...over,
  });
  return [
    vector('solution meets the difficulty', 'ok'),
    vector('easier difficulty also met', 'ok', { difficulty: 4 }),
    vector('solution does not meet a harder difficulty', 'rejected', { difficulty: 40 }),
    vector('solution for another challenge', 'rejected', { challenge: hex(flip(challenge, 0)) }),
    vector('solution too short', 'rejected', { solution: hex(solution.slice(1)) }),
  ];
}

export async function buildKeyFileVectors(base: Backend): Promise<object[]> {
  const be = seededBackend(base, 'tipline/vectors/keyfile');
  const keys = generateStaffKeys(be);
  const text = await encryptKeyFile(keys, 'correct horse battery staple', { staffId: staffId(1), label: 'laptop' }, {
    opslimit: 1, memlimit: 8192, randomBytes: seededRandom('tipline/vectors/keyfile/salt'),
  });
  const file = JSON.parse(text) as Record<string, unknown>;
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}) => ({
    name, expect, passphrase: 'correct horse battery staple', file: { ...file, ...over },
    ...(expect === 'ok' ? { signPublicKey: hex(keys.signPublicKey), boxPublicKey: hex(keys.boxPublicKey), signSecretKey: hex(keys.signSecretKey), boxSecretKey: hex(keys.boxSecretKey) } : {}),
  });
  return [
    vector('key file opens', 'ok'),
    { ...vector('wrong passphrase', 'open_failed'), passphrase: 'correct horse battery stapler' },
    vector('meta label changed', 'open_failed', { meta: { staffId: staffId(1), label: 'desktop' } }),
    vector('public key swapped', 'open_failed', { boxPublicKey: toBase64Url(generateStaffKeys(be).boxPublicKey) }),
  ];
}
