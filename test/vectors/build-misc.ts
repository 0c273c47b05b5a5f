import {
  agencyFingerprint,
  deriveReceiptKeys,
  encryptKeyFile,
  generateAgencyKeys,
  generateReceipt,
  generateStaffKeys,
  puzzleHash,
  solvePow,
  staffKeyFingerprint,
  toBase64Url,
  type Backend,
  type PowPuzzles,
} from '../../src/protocol/index.js';
import { concat } from '../../src/protocol/bytes.js';
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
  // 55 bytes: the reference server's token (§11). Each `ok` vector lists every puzzle's hash.
  const challenge = be.randomBytes(55);
  const vector = (name: string, expect: string, p: PowPuzzles, solution: Uint8Array, over: Record<string, unknown> = {}) => ({
    name, expect, challenge: hex(p.challenge), puzzles: p.puzzles, difficulty: p.difficulty, solution: hex(solution),
    ...(expect === 'ok' ? { hashes: Array.from({ length: p.puzzles }, (_, i) => hex(puzzleHash(be, p.challenge, i, solution.subarray(i * 8, i * 8 + 8)))) } : {}),
    ...over,
  });
  const sixteen = { challenge, puzzles: 16, difficulty: 6 };
  const answers = solvePow(be, sixteen);
  // At 16 bits a changed byte passes by chance once in 65536: the mutation test uses this one.
  const two = { challenge, puzzles: 2, difficulty: 16 };
  const strong = solvePow(be, two);
  const swapped = concat(strong.subarray(8), strong.subarray(0, 8));
  const repeated = concat(strong.subarray(0, 8), strong.subarray(0, 8));
  const one = { challenge, puzzles: 1, difficulty: 12 };
  return [
    vector('two puzzles of 16 bits solved', 'ok', two, strong),
    vector('sixteen puzzles solved', 'ok', sixteen, answers),
    vector('one puzzle solved', 'ok', one, solvePow(be, one)),
    vector('easier difficulty also met', 'ok', { ...sixteen, difficulty: 4 }, answers),
    vector('answers do not meet a harder difficulty', 'rejected', { ...two, difficulty: 40 }, strong),
    vector('answers for another challenge', 'rejected', { ...two, challenge: flip(challenge, 0) }, strong),
    vector('one answer short', 'rejected', two, strong.subarray(0, 8)),
    vector('one answer too many', 'rejected', two, concat(strong, strong.subarray(0, 8))),
    vector('answers in the wrong order', 'rejected', two, swapped),
    vector("puzzle 0's answer given for both puzzles", 'rejected', two, repeated),
    vector('an answer to the retired single puzzle (no index, label tipline/v1/pow)', 'rejected', { challenge, puzzles: 1, difficulty: 16 }, retiredAnswer(be, challenge)),
    vector('seventeen puzzles', 'input_invalid', { ...sixteen, puzzles: 17 }, concat(answers, answers.subarray(0, 8))),
    vector('no puzzle', 'input_invalid', { ...sixteen, puzzles: 0 }, new Uint8Array(0)),
    vector('challenge too short', 'input_invalid', { ...one, challenge: challenge.subarray(0, 15) }, new Uint8Array(8)),
  ];
}

/** Solves the version-1 puzzle at 16 bits, H(32, "tipline/v1/pow" || challenge || s), which §11 retired. */
function retiredAnswer(be: Backend, challenge: Uint8Array): Uint8Array {
  const label = new TextEncoder().encode('tipline/v1/pow');
  for (let s = 0; ; s++) {
    const answer = new Uint8Array(8);
    new DataView(answer.buffer).setUint32(4, s);
    const h = be.blake2b(32, concat(label, challenge, answer));
    if (h[0] === 0 && h[1] === 0) return answer;
  }
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
