import { utcToDay, type IntakeChannel, type ProtectionIntakeChannel } from '../domain/index.js';
import {
  loadBackend, protectionIntakeSigningBytes, recipientOf, sealForCustodians, signDetached, toBase64Url, type Backend, type StaffKeys,
} from '../protocol/index.js';
import { submitCase, type FileSource, type SubmitProgress, type SubmittedCase } from './denouncer.js';
import { encodeJson, type CaseKind, type CaseSummary, type IdentityBody } from './plaintext.js';
import { protectionDetailsContext } from './protection-context.js';
import type { StaffClient } from './staff.js';
import { unpinned } from './staff-trust.js';
import { resolveCaseId } from './staff-workflow.js';

// A denunciation received in person or by letter (Law Art. 22), recorded by an intake
// officer: sealed on the officer's machine exactly as the page seals one (submitCase) —
// a receipt made here for the person, the content sealed to the intake officers of the
// agency's bundle as the officer's own pin verifies it, the identity block to its
// custodians — and delivered through the officer's session with its channel
// (POST /v1/staff/intake, PROTOCOL.md §5.3). The signed record (biên bản) and the scanned
// letter go in as its files. The receipt goes to the person on a printed slip
// (intakeSlip) and is not kept here. An urgent protection request made by phone or in
// person is recorded here too (recordUrgentProtection, §5.4).

export interface IntakeInput {
  channel: IntakeChannel;
  kind?: CaseKind;
  body: string | CaseSummary;
  /** A formal denunciation's identity block (name, address, contact), sealed to the custodians. */
  identity?: IdentityBody;
  attachments?: FileSource[];
  onProgress?: (p: SubmitProgress) => void;
  backend?: Backend;
}

export async function recordIntake(c: StaffClient, input: IntakeInput): Promise<SubmittedCase> {
  const agencyId = c.session.agencyId;
  const pin = await c.trust.pinned(agencyId);
  if (!pin) throw unpinned(agencyId);
  return submitCase({
    server: c.http.baseUrl,
    fetch: c.http.fetchImpl,
    agency: agencyId,
    pinnedFingerprint: pin.fingerprint,
    minSerial: pin.highestSerial,
    ...(pin.revoked ? { revokedFingerprints: pin.revoked } : {}),
    requirePin: true,
    body: input.body,
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.identity ? { identity: input.identity } : {}),
    ...(input.attachments ? { attachments: input.attachments } : {}),
    onProgress: (p) => {
      // A verified bundle raises the serial this officer's pins will accept, as any staff check does.
      // and a key the agency handed over to becomes the pin (PROTOCOL.md §9.2).
      if (p.stage === 'verified') void c.trust.followKey(agencyId, p.signer).then(() => c.trust.sawSerial(agencyId, p.serial)).catch(() => undefined);
      input.onProgress?.(p);
    },
    ...(input.backend ? { backend: input.backend } : {}),
    deliver: (payload) => c.http.post('/v1/staff/intake', { ...payload, channel: input.channel }),
  });
}

/** What the caller asked for, as the officer wrote it down (Art. 50(1)): sealed, never seen by the server. */
export interface PhoneProtectionDetails {
  /** Who is to be protected: the denouncer, and any spouse, parent or child named (Art. 47). */
  protectedPersons: string;
  reasons: string;
  measures: string;
  /** How to reach the caller back, if they gave one. */
  contact?: string;
}

export interface UrgentProtectionInput {
  /** The case's id or public number (TL-…), among the cases the officer may see. */
  case: string;
  channel: ProtectionIntakeChannel;
  details: PhoneProtectionDetails;
  backend?: Backend;
}

/** The agency's verified bundle lists no custodian: there is no one to seal the details to. */
export class NoCustodianError extends Error {
  readonly code = 'no_custodian';
}

export interface RecordedProtection {
  protectionRequestId: string; caseId: string; requestedOn: string; dueOn: string; urgent: true; channel: ProtectionIntakeChannel;
  /** When the written confirmation is owed (Art. 50(3); the rules' period, an agency default); null when the rules track none. */
  confirmDueOn: string | null;
}

/**
 * An urgent protection request made by phone or in person (Law Art. 50(3)), for an
 * existing case: the details are sealed here as protection details (PROTOCOL.md §6.1) to
 * the custodians of the agency's bundle as this officer's pin verifies it — the same
 * block the denouncer's page seals, without the denouncer's copy, whose key only the
 * receipt holds (§5.4). The request is urgent by law; its clock is the urgent one. The
 * record is the officer's, signed here (§8.3.14) over the request, its case, the channel,
 * the day and the sealed details, so no one else can pass a request off as theirs.
 */
export async function recordUrgentProtection(c: StaffClient, input: UrgentProtectionInput, keys: StaffKeys): Promise<RecordedProtection> {
  const caseId = await resolveCaseId(c, input.case);
  const bundle = await c.verifiedBundle();
  const custodians = bundle.staff.filter((s) => s.roles.includes('custodian'))
    .map(recipientOf);
  if (custodians.length === 0) throw new NoCustodianError(`the agency's bundle lists no custodian to seal the details to`);
  const id = crypto.randomUUID();
  const d = input.details;
  const details = {
    protectedPersons: d.protectedPersons, reasons: d.reasons, measures: d.measures, urgent: true, channel: input.channel,
    ...(d.contact ? { contact: d.contact } : {}),
  };
  const be = input.backend ?? await loadBackend();
  const sealed = await sealForCustodians(be, protectionDetailsContext(bundle.agencyId, id), {
    data: encodeJson(details), custodians, threshold: bundle.threshold,
  });
  const recordedOn = utcToDay(Date.now());
  const signed = protectionIntakeSigningBytes({
    protectionRequestId: id, caseId, channel: input.channel, onDay: recordedOn, threshold: sealed.threshold, details: sealed.block,
  }, be);
  return c.http.post<RecordedProtection>('/v1/staff/intake/protection', {
    caseId, protectionRequestId: id, channel: input.channel, threshold: sealed.threshold,
    sealedDetails: toBase64Url(sealed.block), shares: sealed.shares.map((s) => ({ staffId: s.staffId, wrapped: toBase64Url(s.wrapped) })),
    recordedOn, signature: toBase64Url(signDetached(be, 'protection-intake', signed, keys.signSecretKey)),
  });
}
