import {
  TiplineCryptoError,
  agencyFingerprint,
  attachmentReader,
  combineShares,
  combineSubShares,
  splitShare,
  unwrapSubShare,
  decryptKeyFile,
  deriveReceiptKeys,
  normalizeReceipt,
  openCase,
  openIdentity,
  openMessage,
  openRecoveryKey,
  parseRecoveryShare,
  openRequestReason,
  sealRequestReason,
  staffKeyFingerprint,
  unwrapContentKey,
  unwrapIdentityKey,
  unwrapRequestKey,
  unwrapShare,
  signDetached,
  verifyBundle,
  verifyDetached,
  agencyKeyTransitionBytes,
  verifyAgencyKeyTransition,
  verifyPinnedBundle,
  puzzleHash,
  verifyPow,
  wrapRequestKey,
  type Backend,
  type SignedKind,
} from '../../src/protocol/index.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { auditRowBytes } from '../../src/protocol/audit-chain.js';
import { checkSignedRow } from '../../src/protocol/audit-signed.js';
import { concat, fromHex, hex } from '../../src/protocol/bytes.js';
import { fixedRandomBackend } from './fixtures.js';
import { SIGNED_BYTES } from './signature-fields.js';
import { RUNNERS_V2, ResealMismatch } from './run-v2.js';

/**
 * Runs one vector the way an independent implementation would, returning the
 * outcome name ('ok', an error code, or 'rejected') and, on success, the
 * recovered bytes as hex. Vectors are untyped JSON, hence the loose shapes.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export type Runner = (be: Backend, v: any) => Promise<string | undefined>;

async function outcome(be: Backend, run: Runner, v: any): Promise<{ outcome: string; output?: string }> {
  try {
    const output = await run(be, v);
    return output === undefined ? { outcome: 'ok' } : { outcome: 'ok', output };
  } catch (error) {
    if (error instanceof TiplineCryptoError) return { outcome: error.code };
    throw error;
  }
}

// A receipt's keys cost an Argon2id run; the mutation test opens the same case vector
// thousands of times with its receipt untouched, so each receipt is derived once per backend.
const receiptKeys = new Map<string, ReturnType<typeof deriveReceiptKeys>>();
function receiptReplyKeys(be: Backend, receipt: string) {
  const key = `${be.name} ${receipt}`;
  let keys = receiptKeys.get(key);
  if (!keys) receiptKeys.set(key, (keys = deriveReceiptKeys(be, receipt)));
  return keys.replyKeyPair;
}

const keyPair = (h: any) => ({ publicKey: fromHex(h.publicKey), secretKey: fromHex(h.secretKey) });

export const RUNNERS: Record<string, { run: Runner; expected: (v: any) => string | undefined }> = {
  'receipt.json': {
    async run(be, v) {
      const normalized = normalizeReceipt(v.input);
      const keys = deriveReceiptKeys(be, v.input);
      return [normalized, hex(keys.authKey), hex(keys.verifier), hex(keys.replyKeyPair.secretKey), hex(keys.replyKeyPair.publicKey)].join(' ');
    },
    expected: (v) => [v.normalized, v.authKey, v.verifier, v.replySecretKey, v.replyPublicKey].join(' '),
  },
  'case.json': {
    async run(be, v) {
      const ctx = { agencyId: v.agencyId, caseId: v.caseId };
      const recipient = v.receipt === undefined
        ? { publicKey: fromHex(v.recipientPublicKey), secretKey: fromHex(v.recipientSecretKey) }
        : receiptReplyKeys(be, v.receipt);
      const contentKey = unwrapContentKey(be, ctx, fromHex(v.wrapped), recipient);
      return hex(openCase(be, ctx, fromHex(v.envelope), contentKey));
    },
    expected: (v) => v.body,
  },
  'identity.json': {
    async run(be, v) {
      const ctx = { agencyId: v.agencyId, caseId: v.caseId };
      const block = fromHex(v.block);
      const identityKey = v.denouncer !== undefined
        ? unwrapIdentityKey(be, ctx, fromHex(v.denouncer.wrapped), keyPair(v.denouncer))
        : await combineShares(be, ctx, v.shares.map((s: any) => unwrapShare(be, ctx, fromHex(s.wrapped), keyPair(s))), block);
      return hex(openIdentity(be, ctx, block, identityKey));
    },
    expected: (v) => v.identity,
  },
  'reshare.json': {
    // split: re-split `share` drawing exactly the recorded random bytes; open: each new
    // custodian sums their sub-shares at x, then m' sums open the block.
    async run(be, v) {
      if (v.kind === 'split') return splitShare(drawing(be, fromHex(v.random)), fromHex(v.share), v.newXs, v.threshold).map(hex).join(' ');
      const ctx = { agencyId: v.agencyId, caseId: v.caseId };
      const block = fromHex(v.block);
      const shares = v.newCustodians.map((c: any) => combineSubShares(c.subShares.map((w: string) => unwrapSubShare(be, ctx, fromHex(w), keyPair(c))), c.x));
      return hex(openIdentity(be, ctx, block, await combineShares(be, ctx, shares, block, v.threshold)));
    },
    expected: (v) => (v.kind === 'split' ? v.subShares.join(' ') : v.identity),
  },
  'message.json': {
    async run(be, v) {
      const ctx = { agencyId: v.agencyId, caseId: v.caseId };
      const m = { messageId: v.messageId, direction: v.direction, ciphertext: fromHex(v.ciphertext) };
      return hex(openMessage(be, ctx, fromHex(v.contentKey), m));
    },
    expected: (v) => v.plaintext,
  },
  'attachment.json': {
    async run(be, v) {
      // The reader finds the last chunk (the one the stream ends with) and strips the padding.
      const reader = attachmentReader(be, { agencyId: v.agencyId, caseId: v.caseId }, v.attachmentId, fromHex(v.fileKey));
      const parts = v.chunks.flatMap((c: any) => reader.push(fromHex(c.ciphertext)));
      return hex(concat(...parts, ...reader.end()));
    },
    expected: (v) => v.plaintext,
  },
  'bundle.json': {
    async run(be, v) {
      const content = verifyBundle(be, { payload: fromHex(v.payload), signature: fromHex(v.signature) }, {
        agencyPublicKey: fromHex(v.agencyPublicKey), pinnedFingerprint: v.pinnedFingerprint, minSerial: v.minSerial, today: v.today,
      });
      // The serial, the jurisdiction (null: signed before it was) and each member's signed name in order (null: listed without one).
      // And the recovery recipient (§9.1), only where one is listed.
      const listed = content.staff.map((s) => s.displayName ?? null);
      return JSON.stringify([content.serial, content.jurisdiction ?? null, listed, ...(content.recovery ? [content.recovery] : [])]);
    },
    expected: (v) => JSON.stringify([v.serial, v.jurisdiction, v.displayNames, ...(v.recovery ? [v.recovery] : [])]),
  },
  'agency-key.json': {
    // A statement's bytes are rebuilt from its fields (they MUST equal `message`); a chain is
    // checked from the pin as every client does (§9.2): the serial and the signer's fingerprint.
    async run(be, v) {
      if (v.kind === 'statement') {
        const t = statementOf(v.agencyId, v);
        let bytes: string;
        try { bytes = hex(agencyKeyTransitionBytes(t)); } catch { throw new Rejected(); }
        if (bytes !== v.message || !verifyAgencyKeyTransition(be, t)) throw new Rejected();
        return bytes;
      }
      const { content, signer } = verifyPinnedBundle(be, { payload: fromHex(v.payload), signature: fromHex(v.signature) }, {
        agencyId: v.agencyId, pinnedFingerprint: v.pinnedFingerprint, revokedFingerprints: v.revoked, offeredKey: fromHex(v.offeredKey),
        transitions: v.transitions.map((t: any) => statementOf(v.agencyId, t)), minSerial: v.minSerial, today: v.today,
      });
      return JSON.stringify([content.serial, signer]);
    },
    expected: (v) => (v.kind === 'statement' ? v.message : JSON.stringify([v.serial, v.signer])),
  },
  'fingerprint.json': {
    async run(be, v) {
      return v.kind === 'agency'
        ? agencyFingerprint(be, fromHex(v.agencyPublicKey))
        : staffKeyFingerprint(be, fromHex(v.signPublicKey), fromHex(v.boxPublicKey));
    },
    expected: (v) => v.fingerprint,
  },
  'signature.json': {
    // The bytes are rebuilt from the fields (§8.3), never taken from the vector: a
    // message that is not the fields' bytes is refused like a bad signature.
    async run(be, v) {
      const build = SIGNED_BYTES[v.kind];
      if (build === undefined) throw new Rejected();
      const message = build(be, v.fields);
      if (hex(message) !== v.message) throw new Rejected();
      if (!verifyDetached(be, v.kind as SignedKind, fromHex(v.signature), message, fromHex(v.signPublicKey))) throw new Rejected();
      if (v.signSeed !== undefined) {
        // Ed25519 is deterministic: the seed's key pair signs these bytes to exactly this signature.
        const seed = fromHex(v.signSeed);
        if (seed.length !== 32) throw new Rejected();
        const signer = be.signSeedKeyPair(seed);
        if (hex(signer.publicKey) !== v.signPublicKey) throw new Rejected();
        if (hex(signDetached(be, v.kind as SignedKind, message, signer.secretKey)) !== v.signature) throw new Rejected();
      }
      return hex(message);
    },
    expected: (v) => v.message,
  },
  'request-reason.json': {
    async run(be, v) {
      const ctx = { agencyId: v.agencyId, caseId: v.subjectId };
      const recipient = keyPair({ publicKey: v.recipientPublicKey, secretKey: v.recipientSecretKey });
      const requestKey = unwrapRequestKey(be, ctx, fromHex(v.wrapped), recipient);
      const sealed = fromHex(v.sealedReason);
      const reason = openRequestReason(be, ctx, requestKey, v.reasonId, sealed);
      if (v.ephemeralSecretKey !== undefined) {
        // Sealing again with the vector's randomness (the ephemeral key; the nonce that
        // opens the sealed reason) must give the same bytes.
        const wrapped = wrapRequestKey(fixedRandomBackend(be, fromHex(v.ephemeralSecretKey)), ctx, requestKey, recipient.publicKey);
        const resealed = sealRequestReason(fixedRandomBackend(be, sealed.slice(0, 24)), ctx, requestKey, v.reasonId, reason);
        if (hex(wrapped) !== v.wrapped || hex(resealed) !== v.sealedReason) throw new Rejected();
      }
      return `${hex(requestKey)} ${hex(reason)}`;
    },
    expected: (v) => `${v.requestKey} ${v.reason}`,
  },
  'audit-row.json': {
    // The bytes are rebuilt from the row's fields and its predecessor's hash (§14); a
    // listed `hashed` or `hash` that differs is a row the chain does not verify.
    async run(be, v) {
      const row = { seq: v.seq, at: v.at, agencyId: v.agencyId, staffId: v.staffId, action: v.action, caseId: v.caseId, detail: v.detail };
      const hashed = auditRowBytes(fromHex(v.prevHash), row);
      if (v.prevHash.length !== 64 || (v.hashed !== undefined && hex(hashed) !== v.hashed)) throw new Rejected();
      const hash = hex(sha256(hashed));
      if (hash !== v.hash) throw new Rejected();
      if (v.signPublicKey !== undefined && checkSignedRow(be, row, () => [fromHex(v.signPublicKey)]) !== null) throw new Rejected();
      return hash;
    },
    expected: (v) => v.hash,
  },
  'pow.json': {
    // The answers are judged puzzle by puzzle; an `ok` vector's hashes are each puzzle's.
    async run(be, v) {
      const p = { challenge: fromHex(v.challenge), puzzles: v.puzzles, difficulty: v.difficulty };
      const solution = fromHex(v.solution);
      if (!verifyPow(be, p, solution)) throw new Rejected();
      return Array.from({ length: p.puzzles }, (_, i) => hex(puzzleHash(be, p.challenge, i, solution.subarray(i * 8, i * 8 + 8)))).join(' ');
    },
    expected: (v) => v.hashes.join(' '),
  },
  'recovery.json': {
    // The paper shares are read, then combined against the listed public key (§9.1).
    async run(be, v) {
      const shares = v.shares.map((text: string) => parseRecoveryShare(be, text));
      const pair = await openRecoveryKey(be, shares, fromHex(v.publicKey));
      return hex(pair.secretKey);
    },
    expected: (v) => v.secretKey,
  },
  'keyfile.json': {
    async run(_be, v) {
      const { keys } = await decryptKeyFile(JSON.stringify(v.file), v.passphrase);
      return [keys.signPublicKey, keys.boxPublicKey, keys.signSecretKey, keys.boxSecretKey].map(hex).join(' ');
    },
    expected: (v) => [v.signPublicKey, v.boxPublicKey, v.signSecretKey, v.boxSecretKey].join(' '),
  },
  ...RUNNERS_V2,
};

function statementOf(agencyId: string, t: any) {
  return {
    agencyId, effectiveSerial: t.effectiveSerial, issuedOn: t.issuedOn, oldPublicKey: fromHex(t.oldPublicKey), newPublicKey: fromHex(t.newPublicKey),
    oldSignature: fromHex(t.oldSignature), newSignature: fromHex(t.newSignature),
  };
}

/** The backend drawing its random bytes in order from `bytes`, all of them and no more. */
function drawing(be: Backend, bytes: Uint8Array): Backend {
  let at = 0;
  return { ...be, randomBytes: (n: number) => {
    if (at + n > bytes.length) throw new Error('the vector recorded fewer random bytes');
    return bytes.slice(at, (at += n));
  } };
}

/** A verification that returns false rather than throwing. */
class Rejected extends Error {}

export async function runVector(be: Backend, file: string, v: any): Promise<{ outcome: string; output?: string }> {
  const runner = RUNNERS[file];
  if (runner === undefined) throw new Error(`no runner for ${file}`);
  try {
    return await outcome(be, runner.run, v);
  } catch (error) {
    if (error instanceof Rejected || error instanceof ResealMismatch) return { outcome: 'rejected' };
    throw error;
  }
}
