import { makeRecoveryKey, parseRecoveryShare, formatRecoveryShare, type Backend } from '../../src/protocol/index.js';
import { hex, recordingBackend, referenceSplit, seededBackend, seededRandom } from './fixtures.js';

// recovery.json (PROTOCOL.md §9.1): paper shares of the recovery key read back and
// combined against the bundle's public key. Each vector is one success or one failure.

async function made(base: Backend, seed: string, m: number, n: number) {
  const { be, drawn } = recordingBackend(seededBackend(base, seed));
  const key = await makeRecoveryKey(be, m, n, referenceSplit(seededRandom(`${seed}/split`)));
  // The first 32 bytes drawn are the private key, which makeRecoveryKey never returns.
  return { ...key, secretKey: drawn[0]! };
}

/** The share with one data symbol changed (the check then fails). */
function typo(text: string): string {
  const at = 30;
  return text.slice(0, at) + (text[at] === '7' ? '8' : '7') + text.slice(at + 1);
}

export async function buildRecoveryVectors(base: Backend): Promise<object[]> {
  const k = await made(base, 'tipline/vectors/recovery/2of3', 2, 3);
  const other = await made(base, 'tipline/vectors/recovery/other', 2, 3);
  const k35 = await made(base, 'tipline/vectors/recovery/3of5', 3, 5);
  const [s1, s2, s3] = k.shares as [string, string, string];
  const ok = (name: string, shares: string[], key = k) => ({ name, expect: 'ok', publicKey: hex(key.publicKey), shares, secretKey: hex(key.secretKey) });
  const bad = (name: string, expect: string, shares: string[], key = k) => ({ name, expect, publicKey: hex(key.publicKey), shares });
  // Share 1 written again, with a valid check, as if of a 3-of-n key: the shares disagree on m.
  const relabelled = formatRecoveryShare(base, { ...parseRecoveryShare(base, s1), threshold: 3 });
  return [
    ok('2 of 3: shares 1 and 2', [s1, s2]),
    ok('2 of 3: shares 3 and 1, in any order', [s3, s1]),
    ok('2 of 3: all three', [s1, s2, s3]),
    ok('typed in lower case with dashes and look-alikes', [s1.toLowerCase().replaceAll(' ', '-').replaceAll('0', 'o'), s2]),
    ok('3 of 5: shares 2, 4 and 5', [k35.shares[1]!, k35.shares[3]!, k35.shares[4]!], k35),
    bad('2 of 3: one share is too few', 'open_failed', [s2]),
    bad('3 of 5: two shares are too few', 'open_failed', [k35.shares[0]!, k35.shares[2]!], k35),
    bad('the same share twice', 'open_failed', [s1, s1]),
    bad("a share of another recovery key", 'open_failed', [s1, other.shares[1]!]),
    bad("the right shares against another bundle's public key", 'open_failed', [s1, s2], other),
    bad('a typo in one symbol: its check fails', 'input_invalid', [typo(s1), s2]),
    bad('a symbol missing', 'input_invalid', [s1.slice(1), s2]),
    bad('the letter U is not in the alphabet', 'input_invalid', [`U${s1.slice(1)}`, s2]),
    ok('a share written again from its fields is the same text', [formatRecoveryShare(base, parseRecoveryShare(base, s1)), s2]),
    bad('a share re-labelled with another threshold', 'open_failed', [relabelled, s2, s3]),
  ];
}
