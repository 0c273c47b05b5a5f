/**
 * tipline protocol v1 — the public API. docs/PROTOCOL.md is the specification;
 * every name here is a noun of that document.
 */
export type { Backend, BackendName, Blake2bHasher } from './backend.js';
export { loadBackend } from './backend.js';
export { TiplineCryptoError } from './errors.js';
export type { TiplineCryptoErrorCode } from './errors.js';
export { toBase64Url, fromBase64Url } from './bytes.js';
export type {
  KeyPair,
  ReaderKeys,
  WrapRecipient,
  CaseContext,
  StaffRecipient,
  ReceiptKeys,
  SealedCase,
  SealedIdentity,
  Direction,
  StaffKeys,
  KeyFileMeta,
  SignedKind,
  AgencyKeys,
  StaffRole,
  BundleStaff,
  BundleContent,
  BundleRecovery,
  SignedBundle,
  BundleTrust,
} from './types.js';
export { PROTOCOL_VERSION, PROTOCOL_VERSION_2, WRAP_KIND } from './labels.js';
export { STAFF_ROLES } from './types.js';
export { generateReceipt, normalizeReceipt, formatReceipt, deriveReceiptKeys, deriveReplyKeyPairV2, replyReaderKeys, receiptVerifier } from './receipt.js';
export { WRAP_V2_OVERHEAD, generateXWingKeyPair, readerKeysOf, unwrapKeyV2, wrapKeyV2, wrappedV2Length } from './wrap-v2.js';
export { sealCase, unwrapContentKey, openCase, grantContentKey } from './envelope.js';
export { sealMessage, openMessage } from './messages.js';
export {
  ATTACHMENT_CHUNK_SIZE, attachmentChunkCount, attachmentReader, attachmentStreamLength, attachmentWriter, isAttachmentStreamLength,
  type AttachmentReader, type AttachmentWriter,
} from './attachments.js';
export { MAX_CUSTODIANS, sealForCustodians, unwrapIdentityKey, unwrapShare, resealShare, combineShares, openIdentity } from './identity.js';
export { SUB_SHARE_BYTES, combineSubShares, newShareX, splitShare, unwrapSubShare, wrapSubShare } from './reshare.js';
export { resharePartSigningBytes, resharePlanSigningBytes, type ResharePlan } from './reshare-signing.js';
export { generateStaffKeys, generateStaffKeysV2, loginMessage, signDetached, verifyDetached } from './signing.js';
export {
  grantSigningBytes, messageSigningBytes, identityRequestSigningBytes, identityDecisionSigningBytes,
  transitionSigningBytes, protectionDecisionSigningBytes, proposalSigningBytes, noticeDigest, SIGNED_FIGURES,
} from './signing-bytes.js';
export type { SignedNotice, SignedTransition, SignedProtectionDecision, SignedProposal, SignedFigures } from './signing-bytes.js';
export {
  protectionStepSigningBytes, protectionIntakeSigningBytes, type SignedProtectionStep, type SignedProtectionIntake,
} from './protection-signing.js';
export { rotationSigningBytes, rekeySigningBytes, wrappedDigest, type SignedRotation, type SignedRekey } from './rotation-bytes.js';
export { rewrapKey } from './wrap.js';
export { wrapRequestKey, unwrapRequestKey, sealRequestReason, openRequestReason } from './request-reason.js';
export { encryptKeyFile, decryptKeyFile } from './keyfile.js';
export { generateAgencyKeys, agencyFingerprint, staffKeyFingerprint, canonicalFingerprint, signBundle, verifyBundle, recipientOf, bundleUsesV2 } from './bundle.js';
export { isStaffName } from './bundle-schema.js';
export { makeRecoveryKey, openRecoveryKey, parseRecoveryShare, formatRecoveryShare, recoveryKeyId, type RecoveryShare } from './recovery.js';
export {
  agencyKeyChain, agencyKeyFor, agencyKeyTransitionBytes, signAgencyKeyTransition, transitionToJson, transitionsFromJson,
  verifyAgencyKeyTransition, verifyBundleUnderChain, verifyPinnedBundle, type AgencyKeyTransitionJson, type PinnedBundleTrust,
  type AgencyKeyEpoch, type AgencyKeyTransition, type AgencyKeyTransitionFields, type AgencyKeyTrust,
} from './agency-key.js';
export { MAX_PUZZLES, checkSolvable, powSearch, puzzleHash, solvePow, verifyPow, type PowPuzzles, type PowSearchState } from './pow.js';
