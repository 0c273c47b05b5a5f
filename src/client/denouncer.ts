import {
  TiplineCryptoError, agencyFingerprint, canonicalFingerprint, deriveReceiptKeys, fromBase64Url, generateReceipt, loadBackend, sealCase, toBase64Url,
  transitionsFromJson, verifyBundle, verifyPinnedBundle, type AgencyKeyTransition, type Backend, type BundleContent, type CaseContext, type SealedCase, bundleUsesV2, deriveReplyKeyPairV2, recipientOf, type ReceiptKeys,
} from '../protocol/index.js';
import { isUuid } from '../protocol/bytes.js';
import { describeFile, uploadFile, type FileSource } from './files.js';
import { ApiClientError, HttpClient, type FetchLike } from './http.js';
import { encodeJson, type AttachmentRef, type CaseBody, type CaseKind, type CaseSummary, type IdentityBody } from './plaintext.js';
import { powHeaders, retryDelay, solveAhead, solverFor, type PowAhead, type PowOptions, type PowProgress } from './pow.js';
import { receiptHttp } from './receipt.js';

// The denouncer's SDK: find an agency, seal a case on this device and send it. Runs in
// browsers and Node (fetch, Web Crypto, Uint8Array/Blob); nothing here touches a disk.

export { openReceipt } from './receipt.js';
export type { ReceiptSession, CaseStatus, OpenedMessage } from './receipt.js';
export { bytesFile, blobFile, type FileSource } from './files.js';
export { ApiClientError } from './http.js';
export type { AttachmentRef, CaseBody, CaseKind, CaseSummary, IdentityBody, MessageBody, WithdrawalScope } from './plaintext.js';

export interface ServerOptions extends PowOptions { server: string; fetch?: FetchLike; backend?: Backend }

export interface AgencyListing {
  agencyId: string;
  slug: string;
  name: string;
  profile: string;
  signingPublicKey: Uint8Array;
  bundle: { serial: number; payload: Uint8Array; signature: Uint8Array; publishedOn: string } | null;
  /** The agency's signing-key hand-overs (PROTOCOL.md §9.2), as served: checked from the pin. */
  keyTransitions: AgencyKeyTransition[];
}

interface AgencyJson {
  agencyId: string; slug: string; name: string; profile: string; signingPublicKey: string;
  bundle: { serial: number; payload: string; signature: string; publishedOn: string } | null;
  keyTransitions?: unknown;
}

export const httpFor = (o: ServerOptions) => new HttpClient({ baseUrl: o.server, ...(o.fetch ? { fetch: o.fetch } : {}) });

/** An agency as the directory names it: no key, so nothing to verify and nothing to seal to. */
export type DirectoryEntry = Pick<AgencyListing, 'agencyId' | 'slug' | 'name' | 'profile'>;

/** Every agency with its key bundle. The full list: a page offering the choice wants listDirectory. */
export async function listAgencies(options: ServerOptions): Promise<AgencyListing[]> {
  const { agencies } = await httpFor(options).get<{ agencies: AgencyJson[] }>('/v1/agencies');
  return agencies.map(fromJson);
}

/** Every agency by name (GET /v1/directory), small enough for a slow link at a country's scale. */
export async function listDirectory(options: ServerOptions): Promise<DirectoryEntry[]> {
  const { agencies } = await httpFor(options).get<{ agencies: DirectoryEntry[] }>('/v1/directory');
  return agencies.map(({ agencyId, slug, name, profile }) => ({ agencyId, slug, name, profile }));
}

/**
 * One agency with its key bundle, by slug or id; undefined when the server lists none
 * by that name, or answers with another agency than the one asked for.
 */
export async function fetchAgency(options: ServerOptions, agency: string): Promise<AgencyListing | undefined> {
  return agencyFrom(httpFor(options), agency);
}

async function agencyFrom(http: HttpClient, agency: string): Promise<AgencyListing | undefined> {
  let json: AgencyJson;
  try {
    json = await http.get<AgencyJson>(`/v1/agencies/${encodeURIComponent(agency)}`);
  } catch (err) {
    if (err instanceof ApiClientError && (err.status === 404 || err.code === 'validation_failed')) return undefined;
    throw err;
  }
  const found = fromJson(json);
  // Asked by id, the answer must carry that id; asked by slug, that slug: never either.
  return (isUuid(agency) ? found.agencyId === agency.toLowerCase() : found.slug === agency) ? found : undefined;
}

function fromJson(a: AgencyJson): AgencyListing {
  return {
    agencyId: a.agencyId, slug: a.slug, name: a.name, profile: a.profile,
    signingPublicKey: fromBase64Url(a.signingPublicKey),
    bundle: a.bundle && { ...a.bundle, payload: fromBase64Url(a.bundle.payload), signature: fromBase64Url(a.bundle.signature) },
    keyTransitions: transitionsFromJson(a.agencyId, a.keyTransitions),
  };
}

/** Why a submission was refused before anything was sent. */
export class SubmitRefusedError extends Error {
  constructor(
    readonly code: 'agency_unknown' | 'bundle_invalid' | 'bundle_rollback' | 'fingerprint_mismatch' | 'no_intake' | 'pin_missing',
    message: string,
  ) {
    super(message);
  }
}

/** The case was stored but a file could not be sent: keep the receipt, retry with `attach`. */
export class PartialSubmitError extends Error {
  constructor(readonly receipt: string, readonly publicNumber: string, override readonly cause: unknown) {
    super(`the case ${publicNumber} was submitted, but an attachment failed: ${(cause as Error).message}`);
  }
}

export type SubmitProgress =
  /**
   * The bundle verified: a client that keeps the highest serial seen raises it now, and
   * one that keeps a pin moves it to `signer`, the key a rotation handed over to (§9.2).
   */
  | { stage: 'verified'; serial: number; signer: string }
  | { stage: 'sealing' }
  | ({ stage: 'proof-of-work' } & PowProgress)
  | { stage: 'sending'; attempt: number }
  /** The case is stored (files may still follow): a client shows the receipt now. */
  | { stage: 'submitted'; receipt: string; publicNumber: string; receivedOn: string }
  | { stage: 'uploading'; name: string; done: number; total: number };

export interface SubmitCaseInput extends ServerOptions {
  /** Slug or id of the agency. */
  agency: string;
  /** Crockford fingerprint of the agency's signing key, from a trusted source (keys/). */
  pinnedFingerprint?: string;
  /** Highest bundle serial this client has seen (rollback protection). */
  minSerial?: number;
  /** Agency keys revoked by a re-pin (a leaked key): never followed nor used. */
  revokedFingerprints?: readonly string[];
  /** Refuse to seal without a pin (a production page: its promise rests on the pin). */
  requirePin?: boolean;
  kind?: CaseKind;
  /** The report: plain text (stored as summary.what) or the structured summary. */
  body: string | CaseSummary;
  identity?: IdentityBody;
  attachments?: FileSource[];
  onProgress?: (p: SubmitProgress) => void;
  retries?: number;
  /**
   * Where the sealed case goes. Unset: POST /v1/cases with a proof of work. An intake
   * officer recording a case received in person posts it through their session
   * (staff-intake.ts); everything else — the bundle check, the sealing, the files — is this.
   */
  deliver?: (payload: Record<string, unknown>) => Promise<{ publicNumber: string; receivedOn: string }>;
}

export interface SubmittedCase { receipt: string; caseId: string; publicNumber: string; receivedOn: string; attachments: AttachmentRef[] }

async function trustedBundle(be: Backend, http: HttpClient, input: SubmitCaseInput): Promise<{ content: BundleContent; signer: string }> {
  const agency = await agencyFrom(http, input.agency);
  if (!agency) throw new SubmitRefusedError('agency_unknown', `no agency "${input.agency}" on this server`);
  const pinned = input.pinnedFingerprint;
  if (pinned === undefined && input.requirePin) {
    throw new SubmitRefusedError('pin_missing', `no pinned fingerprint for ${agency.name}: its keys cannot be checked; nothing was sent`);
  }
  if (!agency.bundle) throw new SubmitRefusedError('bundle_invalid', `${agency.name} has published no keys yet`);
  let checked: { content: BundleContent; signer: string };
  try {
    checked = pinned === undefined
      ? { content: verifyBundle(be, agency.bundle, { agencyPublicKey: agency.signingPublicKey, today: today(), ...(input.minSerial !== undefined ? { minSerial: input.minSerial } : {}) }), signer: agencyFingerprint(be, agency.signingPublicKey) }
      : verifyPinnedBundle(be, agency.bundle, {
        agencyId: agency.agencyId, pinnedFingerprint: pinned, offeredKey: agency.signingPublicKey, transitions: agency.keyTransitions, today: today(),
        ...(input.revokedFingerprints ? { revokedFingerprints: input.revokedFingerprints } : {}), ...(input.minSerial !== undefined ? { minSerial: input.minSerial } : {}),
      });
  } catch (err) {
    if (err instanceof TiplineCryptoError && err.code === 'bundle_rollback') {
      // An older list than one already seen is what deleting the newest bundle row looks like.
      throw new SubmitRefusedError('bundle_rollback',
        `the server offered an older key list for ${agency.name} than serial ${input.minSerial}, already seen; nothing was sent`);
    }
    if (pinned !== undefined && !chainReaches(be, agency, pinned)) {
      throw new SubmitRefusedError('fingerprint_mismatch',
        `the signing key offered for ${agency.name} does not match the pinned fingerprint, nor one it handed over to; nothing was sent`);
    }
    throw new SubmitRefusedError('bundle_invalid', `the keys offered for ${agency.name} are not validly signed, out of date, or signed by a revoked key; nothing was sent`);
  }
  // The bundle must speak for the agency asked for, not for another one the key also signs.
  if (checked.content.agencyId !== agency.agencyId || checked.content.agencySlug !== agency.slug) {
    throw new SubmitRefusedError('bundle_invalid', `the keys offered for ${agency.name} are another agency's; nothing was sent`);
  }
  return checked;
}

const today = () => new Date().toISOString().slice(0, 10);

/** Whether the pinned key is among those the server names at all: a mismatch, told apart from a bad bundle. */
function chainReaches(be: Backend, agency: AgencyListing, pinned: string): boolean {
  const keys = [agency.signingPublicKey, ...agency.keyTransitions.flatMap((t) => [t.oldPublicKey, t.newPublicKey])];
  return keys.some((k) => canonicalFingerprint(agencyFingerprint(be, k)) === canonicalFingerprint(pinned));
}

function submissionJson(ctx: CaseContext, kind: CaseKind, verifier: Uint8Array, s: SealedCase): Record<string, unknown> {
  const b = toBase64Url;
  const body: Record<string, unknown> = {
    caseId: ctx.caseId, agencyId: ctx.agencyId, kind,
    envelope: b(s.envelope), verifier: b(verifier), denouncerKey: b(s.denouncerKey),
    recipientKeys: s.recipientKeys.map((k) => ({ staffId: k.staffId, wrapped: b(k.wrapped) })),
    ...(s.recoveryKey ? { recoveryKey: b(s.recoveryKey) } : {}),
  };
  if (s.identity) {
    const { block, denouncerKey, threshold, shares } = s.identity;
    body['identity'] = { block: b(block), denouncerKey: b(denouncerKey), threshold, shares: shares.map((k) => ({ staffId: k.staffId, wrapped: b(k.wrapped) })) };
  }
  return body;
}

/** The verified bundle's recovery recipient, and only that: a key the server names is never sealed to. */
export const recoveryOf = (bundle: BundleContent): { recoveryPublicKey?: Uint8Array } =>
  bundle.recovery ? { recoveryPublicKey: fromBase64Url(bundle.recovery.boxPublicKey) } : {};

/** The denouncer's reply keys to seal to: the v2 one too once the agency uses version 2 (PROTOCOL.md §16.3). */
export const denouncerOf = (be: Backend, receipt: string, keys: ReceiptKeys, bundle: BundleContent) => ({
  denouncerPublicKey: keys.replyKeyPair.publicKey,
  ...(bundleUsesV2(bundle) ? { denouncerXWingPublicKey: deriveReplyKeyPairV2(be, receipt).publicKey } : {}),
});

/** A proof of work for the next submission, to start solving while the person writes (pow.ts, solveAhead). */
export function solveAheadFor(options: ServerOptions & { backend: Backend }): PowAhead {
  return solveAhead(httpFor(options), solverFor(options.backend, options));
}

/** Seals and sends a case; retries send the same bytes under the same case id, so none duplicates. */
export async function submitCase(input: SubmitCaseInput): Promise<SubmittedCase> {
  const be = input.backend ?? (await loadBackend());
  const http = httpFor(input);
  const progress = input.onProgress ?? (() => {});
  const { content: bundle, signer } = await trustedBundle(be, http, input);
  progress({ stage: 'verified', serial: bundle.serial, signer });
  const byRole = (role: 'intake' | 'custodian') =>
    bundle.staff.filter((s) => s.roles.includes(role)).map(recipientOf);
  const recipients = byRole('intake');
  if (recipients.length === 0) throw new SubmitRefusedError('no_intake', 'the agency lists no intake officer');
  progress({ stage: 'sealing' });
  const receipt = generateReceipt(be);
  const keys = deriveReceiptKeys(be, receipt);
  const ctx: CaseContext = { agencyId: bundle.agencyId, caseId: crypto.randomUUID() };
  const files = input.attachments ?? [];
  const refs: AttachmentRef[] = [];
  for (const f of files) refs.push(await describeFile(be, ctx, f));
  const kind = input.kind ?? 'denunciation';
  const caseBody: CaseBody = { kind, summary: typeof input.body === 'string' ? { what: input.body } : input.body, attachments: refs };
  const custodians = byRole('custodian');
  const sealed = await sealCase(be, {
    ctx, body: encodeJson(caseBody), recipients, ...denouncerOf(be, receipt, keys, bundle), ...recoveryOf(bundle),
    ...(input.identity ? { identity: { data: encodeJson(input.identity), custodians, threshold: Math.min(bundle.threshold, custodians.length) } } : {}),
  });
  const payload = submissionJson(ctx, kind, keys.verifier, sealed);
  const accepted = await sendWithRetries(be, http, payload, input, progress);
  progress({ stage: 'submitted', receipt, publicNumber: accepted.publicNumber, receivedOn: accepted.receivedOn });
  const authed = receiptHttp(be, keys.authKey, input);
  try {
    for (const [i, f] of files.entries()) {
      await uploadFile(be, authed, ctx, f, refs[i]!, (done, total) => progress({ stage: 'uploading', name: f.name, done, total }));
    }
  } catch (err) {
    throw new PartialSubmitError(receipt, accepted.publicNumber, err);
  }
  return { receipt, caseId: ctx.caseId, publicNumber: accepted.publicNumber, receivedOn: accepted.receivedOn, attachments: refs };
}

async function sendWithRetries(
  be: Backend, http: HttpClient, payload: Record<string, unknown>, input: SubmitCaseInput, progress: (p: SubmitProgress) => void,
): Promise<{ publicNumber: string; receivedOn: string }> {
  const retries = input.retries ?? 5;
  const solver = solverFor(be, input);
  for (let attempt = 0; ; attempt++) {
    try {
      if (input.deliver) {
        progress({ stage: 'sending', attempt });
        return await input.deliver(payload);
      }
      const onPow = (p: PowProgress) => progress({ stage: 'proof-of-work', ...p });
      // Solved ahead, while the person wrote, when it is still fresh; a refusal of it
      // (pow_invalid) is retried below with one solved now.
      const ahead = attempt === 0 ? await input.powAhead?.take(onPow) : undefined;
      const pow = ahead ?? (await powHeaders(http, solver, onPow));
      progress({ stage: 'sending', attempt });
      return await http.post('/v1/cases', payload, { headers: pow });
    } catch (err) {
      // A spent or expired challenge only needs a new one; a lost answer, the same bytes again.
      const again = err instanceof ApiClientError && (err.transient || err.code === 'pow_invalid');
      if (!again || attempt >= retries) throw err;
      await retryDelay(attempt, err.retryAfterSeconds);
    }
  }
}
