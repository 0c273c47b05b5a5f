import { NOTIFIED_STEPS, protectionStepProblem, rulesInForce, utcToDay, type ProtectionStep, type ProtectionStepGround } from '../domain/index.js';
import { fromBase64Url, loadBackend, protectionStepSigningBytes, signDetached, toBase64Url, type StaffKeys } from '../protocol/index.js';
import { ApiClientError } from './http.js';
import { protectionRequest, type CheckedProtectionRequest } from './staff-protection.js';
import type { StaffClient } from './staff.js';
import { StaffTrustError } from './staff-trust.js';
import { openCaseKey, sealNotice, sealReason, signedJurisdiction, type ProtectionRequestSummary } from './staff-workflow.js';

// What follows a protection decision, signed here (PROTOCOL.md §8.3.13): the head of
// agency changes, adds or ends measures on a ground of Law Art. 54, and the protected
// person gets a signed notice (Art. 54(3)); an intake officer or the head records the
// written confirmation of an urgent request made by phone or in person (Art. 50(3)). The
// step is signed over the place the checked chain gives it — never the server's count —
// and only on a chain every step of which verified.

export interface ProtectionStepInput {
  step: ProtectionStep;
  /** The limb of Art. 54 (none for a written confirmation). */
  ground?: ProtectionStepGround | undefined;
  /** What is decided (the measures changed, added or ended, and why) or, for a confirmation, what the letter says: sealed. */
  record: string;
  /** For a change or addition: the measures as they now stand, and the body carrying them out. */
  measures?: string | undefined;
  responsibleBody?: string | undefined;
  /** The notice to the protected person; by default the step with its measures. */
  notice?: string | undefined;
  onDay?: string | undefined;
}

/** Default notices, Vietnamese then English (Art. 54(3)). */
export const stepNotices: Readonly<Record<ProtectionStep, string>> = {
  change: 'Biện pháp bảo vệ đối với bạn đã được thay đổi. / The measures protecting you have been changed.',
  add: 'Biện pháp bảo vệ đối với bạn đã được bổ sung. / Measures have been added to your protection.',
  end: 'Việc áp dụng biện pháp bảo vệ đối với bạn đã chấm dứt. / Your protection has ended.',
  confirm_writing: 'Cơ quan đã nhận văn bản xác nhận đề nghị bảo vệ của bạn. / The agency has received the written confirmation of your request for protection.',
};

/** Why an end names its ground, in the notice: the words of Art. 54(2) and Law 136, both languages. */
const endGrounds: Readonly<Record<string, string>> = {
  conclusion: 'đã có kết luận nội dung tố cáo / the conclusion on the denunciation has been issued',
  termination: 'việc giải quyết tố cáo đã bị đình chỉ / the settlement of the denunciation has been discontinued',
  grounds_gone: 'căn cứ áp dụng biện pháp bảo vệ không còn / the grounds for protection no longer exist',
  on_request: 'theo đề nghị bằng văn bản của người được bảo vệ / at the written request of the protected person',
  breach: 'người được bảo vệ cố ý vi phạm nghĩa vụ / the protected person deliberately breached their obligations',
};

/** The default notice of a step (its ground for an end, the measures as they now stand); a form shows it editable before it is sealed. */
export function protectionStepNotice(input: Pick<ProtectionStepInput, 'step' | 'ground' | 'measures' | 'responsibleBody'>): string {
  const lines = [stepNotices[input.step]];
  if (input.step === 'end' && input.ground) lines.push(`Lý do / Ground: ${endGrounds[input.ground] ?? input.ground}`);
  if (input.measures) lines.push(`Biện pháp bảo vệ / Measures: ${input.measures}`);
  if (input.responsibleBody) lines.push(`Cơ quan thực hiện / Responsible body: ${input.responsibleBody}`);
  return lines.join('\n');
}

/** Signs and records a step on the protection request; returns it as checked afterwards. */
export async function takeProtectionStep(c: StaffClient, requestId: string, input: ProtectionStepInput, keys: StaffKeys): Promise<CheckedProtectionRequest> {
  const be = await loadBackend();
  const request = await protectionRequest(c, requestId);
  const h = request.history;
  if (!h.intact) throw new StaffTrustError('history_refused', `a step of protection request ${requestId} does not verify: nothing was signed (${h.steps.find((s) => s.authenticity === 'refused')?.problem ?? ''})`);
  if (h.intake.authenticity === 'refused') throw new StaffTrustError('history_refused', `the intake record of protection request ${requestId} does not verify: nothing was signed (${h.intake.problem ?? ''})`);
  const onDay = input.onDay ?? utcToDay(Date.now());
  const ground = input.ground ?? '';
  const jurisdiction = signedJurisdiction(await c.verifiedBundles(request.agencyId));
  const problem = protectionStepProblem(rulesInForce(jurisdiction, onDay), h.standing, { step: input.step, ground, onDay });
  if (problem) throw new ApiClientError(409, 'conflict', problem);
  const { detail, contentKey } = await openCaseKey(c, request.caseId, keys);
  try {
    const ctx = { agencyId: detail.agencyId, caseId: request.caseId };
    const notified = NOTIFIED_STEPS.includes(input.step) || input.notice !== undefined;
    const notice = notified ? sealNotice(be, ctx, contentKey, keys, { text: input.notice ?? protectionStepNotice(input), transition: `protection.${input.step}`, on: onDay }) : undefined;
    const record = sealReason(be, ctx, contentKey, JSON.stringify({
      step: input.step, ground: ground || null, record: input.record, measures: input.measures ?? null, responsibleBody: input.responsibleBody ?? null,
    }));
    const signed = protectionStepSigningBytes({
      protectionRequestId: request.protectionRequestId, caseId: request.caseId, seq: h.next.seq, previous: h.next.previous, step: input.step, ground, onDay, record,
      notice: notice ? { messageId: notice.messageId, ciphertext: fromBase64Url(notice.ciphertext) } : null,
    }, be);
    await c.http.post<ProtectionRequestSummary>(`/v1/staff/protection/${requestId}/steps`, {
      step: input.step, ...(ground ? { ground } : {}), onDay, record: toBase64Url(record), ...(notice ? { notice } : {}),
      signature: toBase64Url(signDetached(be, 'protection-step', signed, keys.signSecretKey)),
    });
  } finally {
    contentKey.fill(0);
  }
  return protectionRequest(c, requestId);
}
