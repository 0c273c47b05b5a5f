import type { IntakeChannel } from '../domain/index.js';
import type { Backend } from '../protocol/index.js';
import { submitCase, type FileSource, type SubmitProgress, type SubmittedCase } from './denouncer.js';
import type { CaseKind, CaseSummary, IdentityBody } from './plaintext.js';
import type { StaffClient } from './staff.js';
import { unpinned } from './staff-trust.js';

// A denunciation received in person or by letter (Law Art. 22), recorded by an intake
// officer: sealed on the officer's machine exactly as the page seals one (submitCase) —
// a receipt made here for the person, the content sealed to the intake officers of the
// agency's bundle as the officer's own pin verifies it, the identity block to its
// custodians — and delivered through the officer's session with its channel
// (POST /v1/staff/intake, PROTOCOL.md §5.3). The signed record (biên bản) and the scanned
// letter go in as its files. The receipt goes to the person on a printed slip
// (intakeSlip) and is not kept here.

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
      // and a key the agency handed over to becomes the pin (PROTOCOL.md §9.1).
      if (p.stage === 'verified') void c.trust.followKey(agencyId, p.signer).then(() => c.trust.sawSerial(agencyId, p.serial)).catch(() => undefined);
      input.onProgress?.(p);
    },
    ...(input.backend ? { backend: input.backend } : {}),
    deliver: (payload) => c.http.post('/v1/staff/intake', { ...payload, channel: input.channel }),
  });
}
