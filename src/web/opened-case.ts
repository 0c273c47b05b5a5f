import { SubmitRefusedError, blobFile, openReceipt, type CaseBody, type CaseStatus, type OpenedMessage, type ReceiptSession } from '../client/denouncer.js';
import { uploadFile } from '../client/files.js';
import { receiptHttp } from '../client/receipt.js';
import { deriveReceiptKeys, type Backend } from '../protocol/index.js';
import { checkAgency } from './agencies.js';
import { fetchAgencyEntry, serverFor, type CaseSummary, type OpenedCase } from './sdk.js';
import type { PickedFile } from './views/files.js';
import { receiptWorkflow, type PublicTimeline } from './workflow-client.js';

// A case opened with its receipt, for the follow-up view: a receipt session of the SDK
// plus the workflow calls, mapped to what the view shows. "Forget" drops both.

const fileInfo = (a: { id: string; name: string; size: number }) => ({ attachmentId: a.id, name: a.name, size: a.size });

function summarise(status: CaseStatus, steps: PublicTimeline, messages: OpenedMessage[], sent: CaseBody): CaseSummary {
  return {
    report: { fields: sent.summary, attachments: sent.attachments.map(fileInfo) },
    publicNumber: status.publicNumber,
    kind: status.kind,
    status: steps.status,
    deadline: steps.due ?? undefined,
    timeline: [
      { day: status.receivedOn, kind: 'created' },
      ...steps.timeline.map((e) => ({ day: e.on, kind: e.event, ...(e.status ? { status: e.status } : {}) })),
    ],
    // A message with neither text nor files (a bare workflow notice) is left to the timeline.
    messages: messages
      .filter((m) => m.text.trim() !== '' || m.attachments.length > 0)
      .map((m) => ({
        messageId: m.messageId,
        fromDenouncer: m.direction === 'from_denouncer',
        day: m.sentOn,
        text: m.text,
        attachments: m.attachments.map(fileInfo),
      })),
  };
}

export async function openByReceipt(be: Backend, receipt: string): Promise<OpenedCase> {
  const options = serverFor(be);
  let session: ReceiptSession | undefined = await openReceipt(receipt, options);
  const live = () => session ?? Promise.reject(new Error('closed'));
  const workflow = receiptWorkflow(be, receipt, options.server, options);
  // Opening proves the receipt names a case before the view is shown.
  const status = await session.status();
  const ctx = { agencyId: status.agency.agencyId, caseId: status.caseId };
  /** The agency's bundle, verified against the page's pin exactly as before a submission. */
  const trustedBundle = async () => {
    const agency = await fetchAgencyEntry(status.agency.agencyId);
    if (!agency) throw new SubmitRefusedError('agency_unknown', 'the agency is no longer listed');
    const trust = checkAgency(be, agency);
    if (trust.state !== 'refused') return trust.content;
    if (trust.reason === 'unpinned') throw new SubmitRefusedError('pin_missing', "the agency's keys cannot be checked");
    throw new SubmitRefusedError(trust.reason === 'rollback' ? 'bundle_rollback' : 'bundle_invalid', "the agency's keys do not verify");
  };
  return {
    async summary() {
      const s = await live();
      const [steps, messages, sent] = await Promise.all([workflow.timeline(), s.messages(), s.readCase()]);
      return summarise(status, steps, messages, sent.body);
    },
    async reply(text, files) {
      const s = await live();
      await s.reply(text, files.map((p) => blobFile(p.file, p.file.name)), (done, total) => {
        // One bar per message is enough here: the SDK reports bytes of the current file.
        for (const p of files) if (p.file.size === total) p.setProgress(done, total);
      });
    },
    async download(attachmentId) {
      const s = await live();
      const ref = (await s.attachments()).find((a) => a.id === attachmentId);
      if (!ref) throw new Error('unknown attachment');
      const parts: Uint8Array[] = [];
      for await (const piece of s.download(ref)) parts.push(piece);
      return new Blob(parts as BlobPart[], { type: ref.type || 'application/octet-stream' });
    },
    withdraw: async ({ scope, letter }) => {
      // The letter travels sealed, as a message the agency can read; the server sees only all or part.
      await (await live()).withdraw(scope, letter);
    },
    requestProtection: async (details) => {
      await live();
      await workflow.requestProtection(ctx, await trustedBundle(), details);
    },
    reportRetaliation: async ({ description }) => {
      await live();
      const filed = await workflow.reportRetaliation(status.caseId, await trustedBundle(), description);
      return { ...filed, agencyName: status.agency.name };
    },
    forget() {
      session = undefined;
      workflow.forget();
    },
  };
}

/**
 * Finishes the uploads of a case whose files were cut off: each file is matched to the
 * reference sealed in the case body (same name and size) and resumes from the number
 * of chunks the server already holds. Files already complete are skipped.
 */
export async function resumeUploads(be: Backend, receipt: string, files: PickedFile[]): Promise<void> {
  const session = await openReceipt(receipt, serverFor(be));
  const [{ body }, status] = await Promise.all([session.readCase(), session.status()]);
  const ctx = { agencyId: status.agency.agencyId, caseId: status.caseId };
  const http = receiptHttp(be, deriveReceiptKeys(be, receipt).authKey, serverFor(be));
  const unused = [...body.attachments];
  for (const picked of files) {
    const i = unused.findIndex((r) => r.name === picked.file.name && r.size === picked.file.size);
    const ref = i >= 0 ? unused.splice(i, 1)[0] : undefined;
    if (!ref) continue;
    await uploadFile(be, http, ctx, blobFile(picked.file, picked.file.name), ref, (done, total) => picked.setProgress(done, total));
    picked.setDone();
  }
}
