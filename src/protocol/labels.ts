/**
 * Every domain-separation label of protocol v1, as in docs/PROTOCOL.md.
 * A label is used for exactly one purpose, so a value derived, hashed or
 * signed for one purpose can never be accepted for another.
 */
export const PROTOCOL_VERSION = 1;

export const LABEL = {
  receipt: 'tipline/v1/receipt',
  receiptCheck: 'tipline/v1/receipt/check',
  receiptAuth: 'tipline/v1/receipt/auth',
  receiptVerifier: 'tipline/v1/receipt/verifier',
  receiptReply: 'tipline/v1/receipt/reply-x25519',
  caseBody: 'tipline/v1/case/body',
  caseCommit: 'tipline/v1/case/commit',
  message: 'tipline/v1/case/message',
  attachment: 'tipline/v1/attachment',
  identityBody: 'tipline/v1/identity/body',
  identityCommit: 'tipline/v1/identity/commit',
  requestReason: 'tipline/v1/identity/request-reason',
  keyfile: 'tipline/v1/keyfile',
  loginChallenge: 'tipline/v1/login',
  login: 'tipline/v1/sign/login',
  grant: 'tipline/v1/sign/grant',
  signedMessage: 'tipline/v1/sign/message',
  transition: 'tipline/v1/sign/transition',
  identityRequest: 'tipline/v1/sign/identity-request',
  identityDecision: 'tipline/v1/sign/identity-decision',
  protectionDecision: 'tipline/v1/sign/protection-decision',
  protectionStep: 'tipline/v1/sign/protection-step',
  protectionIntake: 'tipline/v1/sign/protection-intake',
  proposal: 'tipline/v1/sign/proposal',
  resharePlan: 'tipline/v1/sign/reshare-plan',
  resharePart: 'tipline/v1/sign/reshare-part',
  rotation: 'tipline/v1/sign/rotation',
  rekey: 'tipline/v1/sign/rekey',
  bundle: 'tipline/v1/bundle',
  agencyKeyTransition: 'tipline/v1/agency-key-transition',
  fingerprint: 'tipline/v1/agency/fingerprint',
  staffFingerprint: 'tipline/v1/staff/fingerprint',
  powPuzzle: 'tipline/v1/pow/puzzle',
  auditRow: 'tipline/v1/audit-row',
  auditAnchor: 'tipline/v1/sign/audit-anchor',
  recoveryKeyId: 'tipline/v1/recovery/key-id',
  recoveryShareCheck: 'tipline/v1/recovery/share-check',
} as const;

/**
 * Protocol v2 (PROTOCOL.md §16): key wraps and the keys they are sealed to are
 * post-quantum hybrid (X-Wing); every other object stays v1. Its labels are new, so
 * nothing derived or sealed under v1 is ever valid under v2, nor the reverse.
 */
export const PROTOCOL_VERSION_2 = 2;

export const LABEL_V2 = {
  wrap: 'tipline/v2/wrap',
  wrapKey: 'tipline/v2/wrap/key',
  receiptReply: 'tipline/v2/receipt/reply-xwing',
  keyfile: 'tipline/v2/keyfile',
  staffFingerprint: 'tipline/v2/staff/fingerprint',
} as const;

/** Kind byte at the start of every wrapped (sealed-box) key payload. */
export const WRAP_KIND = {
  contentKey: 0x01,
  identityKey: 0x02,
  identityShare: 0x03,
  requestKey: 0x04,
  reshareSubShare: 0x05,
} as const;

/** Magic bytes opening a case envelope and an identity block. */
export const MAGIC = {
  envelope: 'TLC1',
  identity: 'TLI1',
} as const;

/** Algorithm identifier: XChaCha20-Poly1305-IETF body, X25519 sealed boxes, BLAKE2b. */
export const ALGORITHM_V1 = 0x01;

/** Message direction bytes bound into message associated data. */
export const DIRECTION_BYTE = {
  to_denouncer: 0x01,
  from_denouncer: 0x02,
} as const;
