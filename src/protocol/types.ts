/** Shapes shared by the protocol's formats. Ids are UUID strings; keys are raw bytes. */

export interface KeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Binds every ciphertext of a case to its agency and case (both UUID strings). */
export interface CaseContext {
  agencyId: string;
  caseId: string;
}

/**
 * Who a key is wrapped to: the X25519 key, and the X-Wing key when the verified bundle
 * lists version 2 for them (§16.5), which makes the wrap a version-2 one.
 */
export interface WrapRecipient {
  boxPublicKey: Uint8Array;
  xwingPublicKey?: Uint8Array;
}

export interface StaffRecipient extends WrapRecipient {
  staffId: string;
}

/** A reader's keys: the X25519 pair, and the X-Wing pair of a reader who accepts version 2 (§16). */
export interface ReaderKeys extends KeyPair {
  xwing?: KeyPair;
}

export interface ReceiptKeys {
  authKey: Uint8Array;
  verifier: Uint8Array;
  replyKeyPair: KeyPair;
}

export interface SealedIdentity {
  block: Uint8Array;
  denouncerKey: Uint8Array;
  threshold: number;
  shares: { staffId: string; wrapped: Uint8Array }[];
}

export interface SealedCase {
  /** Header + padded AEAD body. */
  envelope: Uint8Array;
  /** Content key wrapped to the receipt's reply key. */
  denouncerKey: Uint8Array;
  recipientKeys: { staffId: string; wrapped: Uint8Array }[];
  /** Content key wrapped to the bundle's recovery recipient (§9.1), when it lists one. */
  recoveryKey?: Uint8Array;
  identity?: SealedIdentity;
}

export type Direction = 'to_denouncer' | 'from_denouncer';

export interface StaffKeys {
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
  /** Protocol v2 (§16.4): the X-Wing pair (public 1216 bytes, secret a 32-byte seed). Absent in v1 keys. */
  xwingPublicKey?: Uint8Array;
  xwingSecretKey?: Uint8Array;
}

export interface KeyFileMeta {
  staffId?: string;
  agencyId?: string;
  label?: string;
}

export type SignedKind =
  | 'login'
  | 'grant'
  | 'message'
  | 'transition'
  | 'identity-request'
  | 'identity-decision'
  | 'protection-decision'
  | 'protection-step'
  | 'protection-intake'
  | 'proposal'
  | 'reshare-plan'
  | 'reshare-part'
  | 'rotation'
  | 'rekey'
  | 'bundle'
  | 'agency-key-transition'
  | 'audit-anchor';

export interface AgencyKeys {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Every staff role, the one list (the bundle's schema, the API's and the CLI's read it). */
export const STAFF_ROLES = ['admin', 'intake', 'investigator', 'custodian', 'supervisor', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface BundleStaff {
  staffId: string;
  /**
   * The name clients show beside what this member signed (§9). Every bundle signed now
   * names every member; absent only in bundles published before names were signed.
   */
  displayName?: string;
  roles: StaffRole[];
  /** base64url */
  signPublicKey: string;
  /** base64url */
  boxPublicKey: string;
  /** base64url, 1216 bytes: the member's X-Wing key (§16.5). Absent: the member accepts only v1. */
  xwingPublicKey?: string;
  /** The protocol versions the member accepts wraps under (§16.5), ascending. Absent: [1]. */
  versions?: number[];
}

export interface BundleContent {
  version: 1;
  agencyId: string;
  agencySlug: string;
  /**
   * The rule sets staff clients check the agency's workflow by (`VN`, `EU`), signed so a
   * server cannot hand clients another law. Absent only in bundles signed before it was.
   */
  jurisdiction?: string;
  serial: number;
  threshold: number;
  /** YYYY-MM-DD */
  issuedOn: string;
  /** YYYY-MM-DD */
  expiresOn: string;
  staff: BundleStaff[];
  /**
   * The agency's offline recovery recipient (§9.1): when listed, every new case's content
   * key is also wrapped to it. Absent: no case is.
   */
  recovery?: BundleRecovery;
}

/** The recovery recipient's public key and how its private key is split on paper (§9.1). */
export interface BundleRecovery {
  /** base64url X25519 public key */
  boxPublicKey: string;
  /** m: shares needed to rebuild the private key */
  threshold: number;
  /** n: shares made */
  shares: number;
}

/** payload = the exact UTF-8 JSON bytes that were signed. */
export interface SignedBundle {
  payload: Uint8Array;
  signature: Uint8Array;
}

export interface BundleTrust {
  agencyPublicKey: Uint8Array;
  pinnedFingerprint?: string;
  minSerial?: number;
  /** YYYY-MM-DD; when given, the bundle must be valid on that day. */
  today?: string;
}
