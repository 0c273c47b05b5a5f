import { z } from 'zod';
import { protectionIntakeChannels, protectionStepGrounds, protectionSteps } from '../../../domain/index.js';
import { toBase64Url } from '../../../protocol/index.js';
import type { ProtectionSummary } from '../../db/workflow-protection.js';
import { day } from '../workflow-schemas.js';

// A protection request as staff read it: what it is, the head's decision, the intake
// officer's record of an urgent request by phone or in person, and the steps after it —
// each with what a staff client needs to rebuild the signed bytes and check them against
// the agency's verified bundles (PROTOCOL.md §8.3.7, §8.3.13–14). Bytes as base64url.

const b64 = z.string().describe('base64url');

const step = z.object({
  seq: z.number().int().min(1), step: z.enum(protectionSteps),
  ground: z.enum(['', ...protectionStepGrounds]).describe('the limb of Law Art. 54 the step rests on; empty for a written confirmation'),
  onDay: day, by: z.uuid(), record: b64.nullable().describe('the sealed record of the step, exactly as signed'),
  noticeMessageId: z.uuid().nullable(), noticeDigest: b64.nullable(), signature: b64,
});

export const summary = z.object({
  protectionRequestId: z.uuid(), caseId: z.uuid(), urgent: z.boolean(), requestedOn: day, dueOn: day,
  channel: z.enum(['online', ...protectionIntakeChannels]).describe('online: the denouncer\'s own; phone, in_person: recorded by an intake officer (Art. 50(3))'),
  status: z.enum(['pending', 'granted', 'refused']), decidedOn: day.nullable(),
  // Who decided, with what they signed and the signature (PROTOCOL.md §8.3.7): the staff
  // client checks it before it shows the request as decided. Null while pending.
  decision: z.object({
    by: z.uuid(), reason: z.string().nullable(), noticeMessageId: z.uuid().nullable(), noticeDigest: z.string().nullable(), signature: z.string().nullable(),
  }).nullable(),
  endedOn: day.nullable().describe('the day a signed end step ended the protection (Art. 54(2))'),
  confirmedOn: day.nullable().describe('the day the written confirmation of an urgent request was recorded (Art. 50(3))'),
  intakeRecord: z.object({
    by: z.uuid().nullable(), threshold: z.number().int().describe('m the details were split at, as signed'), detailsDigest: b64.nullable(), signature: b64.nullable(),
    confirmDueOn: day.nullable().describe('when the written confirmation is owed (an agency default: the law sets no period)'),
  }).nullable().describe('the recording officer\'s signed record (§8.3.14); null for a request made online; unsigned fields null for records made before they were signed'),
  steps: z.array(step).describe('the signed steps after the request, in seq order (§8.3.13)'),
});

const b64OrNull = (bytes: Uint8Array | null) => (bytes ? toBase64Url(bytes) : null);

/** A summary as the API carries it. */
export function summaryView(s: ProtectionSummary): z.infer<typeof summary> {
  const d = s.decision;
  const r = s.intakeRecord;
  return {
    protectionRequestId: s.id, caseId: s.caseId, urgent: s.urgent, requestedOn: s.requestedOn, dueOn: s.dueOn, channel: s.channel, status: s.status, decidedOn: s.decidedOn,
    decision: d && { by: d.by, reason: b64OrNull(d.reason), noticeMessageId: d.noticeMessageId, noticeDigest: b64OrNull(d.noticeDigest), signature: b64OrNull(d.signature) },
    endedOn: s.endedOn, confirmedOn: s.confirmedOn,
    intakeRecord: r && { by: r.by, threshold: r.threshold, detailsDigest: b64OrNull(r.detailsDigest), signature: b64OrNull(r.signature), confirmDueOn: r.confirmDueOn },
    steps: s.steps.map((t) => ({
      seq: t.seq, step: t.step, ground: t.ground as z.infer<typeof step>['ground'], onDay: t.onDay, by: t.by, record: b64OrNull(t.record),
      noticeMessageId: t.noticeMessageId, noticeDigest: b64OrNull(t.noticeDigest), signature: toBase64Url(t.signature),
    })),
  };
}
