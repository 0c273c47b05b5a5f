import {
  grantSigningBytes, identityDecisionSigningBytes, identityRequestSigningBytes, loginMessage, messageSigningBytes,
  proposalSigningBytes, protectionDecisionSigningBytes, protectionIntakeSigningBytes, protectionStepSigningBytes, rekeySigningBytes, resharePartSigningBytes, resharePlanSigningBytes, rotationSigningBytes, transitionSigningBytes, type Backend,
} from '../../src/protocol/index.js';
import { auditAnchorBytes } from '../../src/protocol/audit-anchor.js';
import { fromHex } from '../../src/protocol/bytes.js';

/**
 * The signed bytes of each kind, rebuilt from a vector's `fields` (ids as UUID strings,
 * bytes as hex), exactly as PROTOCOL.md §8.3 (and §14 for the audit anchor) lays them out. A verifier never trusts a
 * message it is handed: it rebuilds the bytes from what it is asked to accept.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const notice = (n: any) => (n === null ? null : { messageId: n.messageId, ciphertext: fromHex(n.ciphertext) });

export const SIGNED_BYTES: Record<string, (be: Backend, f: any) => Uint8Array> = {
  login: (_be, f) => loginMessage(f.origin, fromHex(f.nonce), f.staffId),
  grant: (be, f) => grantSigningBytes(f.caseId, f.recipientId, fromHex(f.wrapped), be),
  message: (be, f) => messageSigningBytes(f.caseId, f.messageId, fromHex(f.ciphertext), be),
  'identity-request': (be, f) => identityRequestSigningBytes(f.subjectId, f.requestId, fromHex(f.reason), be),
  'identity-decision': (be, f) => identityDecisionSigningBytes(f.requestId, f.approve, fromHex(f.payload), be),
  transition: (be, f) => transitionSigningBytes({
    caseId: f.caseId, action: f.action, from: f.from, to: f.to, onDay: f.onDay, reason: fromHex(f.reason), notice: notice(f.notice),
    finding: f.finding, extension: f.extension, legalBasis: f.legalBasis, ground: f.ground ?? null, figures: f.figures ?? null,
  }, be),
  'protection-decision': (be, f) => protectionDecisionSigningBytes({
    protectionRequestId: f.protectionRequestId, caseId: f.caseId, granted: f.granted, onDay: f.onDay, reason: fromHex(f.reason), notice: notice(f.notice)!,
  }, be),
  proposal: (be, f) => proposalSigningBytes({
    caseId: f.caseId, proposalId: f.proposalId, action: f.action, onDay: f.onDay, body: fromHex(f.body), finding: f.finding, extension: f.extension,
  }, be),
  'audit-anchor': (_be, f) => auditAnchorBytes(f.agencyId, f.seq, fromHex(f.hash)),
  'reshare-plan': (_be, f) => resharePlanSigningBytes(f),
  'reshare-part': (be, f) => resharePartSigningBytes(f.reshareId, f.subjectId, f.wrapped.map(fromHex), be),
  rotation: (_be, f) => rotationSigningBytes({
    agencyId: f.agencyId, staffId: f.staffId,
    old: { signPublicKey: fromHex(f.oldSignPublicKey), boxPublicKey: fromHex(f.oldBoxPublicKey) },
    next: { signPublicKey: fromHex(f.newSignPublicKey), boxPublicKey: fromHex(f.newBoxPublicKey) },
  }),
  'protection-step': (be, f) => protectionStepSigningBytes({
    protectionRequestId: f.protectionRequestId, caseId: f.caseId, seq: f.seq, previous: f.previous === null ? null : fromHex(f.previous),
    step: f.step, ground: f.ground, onDay: f.onDay, record: fromHex(f.record), notice: notice(f.notice),
  }, be),
  'protection-intake': (be, f) => protectionIntakeSigningBytes({
    protectionRequestId: f.protectionRequestId, caseId: f.caseId, channel: f.channel, onDay: f.onDay, threshold: f.threshold, details: fromHex(f.details),
  }, be),
  rekey: (be, f) => rekeySigningBytes({ wrapKind: f.wrapKind, subjectId: f.subjectId, staffId: f.staffId, originDigest: fromHex(f.originDigest), wrapped: fromHex(f.wrapped) }, be),
};
