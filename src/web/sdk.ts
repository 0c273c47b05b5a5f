import {
  PartialSubmitError, SubmitRefusedError, blobFile, listAgencies, openReceipt, submitCase,
  type AgencyListing, type CaseSummary as ReportSummary, type ReceiptSession, type SubmitProgress,
} from '../client/denouncer.js';
import { uploadFile } from '../client/files.js';
import { HttpClient } from '../client/http.js';
import { receiptAuthorization } from '../client/receipt.js';
import { deriveReceiptKeys, type Backend } from '../protocol/index.js';
import { checkAgency } from './agencies.js';
import { pinnedFingerprint } from './pins.js';
import type { PickedFile } from './views/files.js';
import type { Identity } from './views/report-fields.js';
import { receiptWorkflow } from './workflow-client.js';

// The page's one door to the server: thin adapters over the SDK (src/client), so the
// views never build a URL or a request themselves.

export type AgencyEntry = AgencyListing;
export { PartialSubmitError, SubmitRefusedError };

export type SubmitStep = 'verify' | 'seal' | 'pow' | 'upload' | 'files';

export interface ReportValues { who: string; what: string; when: string; where: string; evidence: string }

export interface SubmitRequest {
  agency: AgencyEntry;
  report: ReportValues;
  identity: Identity | undefined;
  files: PickedFile[];
  onStep(step: SubmitStep): void;
}

export interface Submitted { receipt: string; publicNumber: string }

export interface CaseSummary {
  /** What the denouncer sent, opened here from their own sealed copy. */
  report: { fields: Partial<ReportValues>; attachments: { id: string; name: string; size: number }[] };
  publicNumber: string | undefined;
  status: string;
  deadline: string | undefined;
  timeline: { day: string; kind: string; status?: string }[];
  messages: {
    id: string;
    fromDenouncer: boolean;
    day: string;
    text: string;
    attachments: { id: string; name: string; size: number }[];
  }[];
}

export interface OpenedCase {
  summary(): Promise<CaseSummary>;
  reply(text: string, files: PickedFile[]): Promise<void>;
  download(attachmentId: string): Promise<Blob>;
  requestProtection?: (r: { reasons: string; measures: string; urgent: boolean }) => Promise<void>;
  /** Files a linked retaliation case; its own receipt comes back and must be shown. */
  reportRetaliation?: (r: { description: string }) => Promise<Submitted>;
  withdraw?: (r: { reason: string }) => Promise<void>;
  /** Drops the session (and with it the receipt-derived keys) held by the page. */
  forget(): void;
}

const server = () => location.origin;

export function fetchAgencies(): Promise<AgencyEntry[]> {
  return listAgencies({ server: server() });
}

/** Only what the denouncer wrote: empty guided fields are left out of the sealed body. */
function summaryOf(report: ReportValues): ReportSummary {
  const out: ReportSummary = {};
  for (const key of ['who', 'what', 'when', 'where', 'evidence'] as const) {
    const value = report[key].trim();
    if (value) out[key] = value;
  }
  return out;
}

/** Routes the SDK's upload events to the file rows; files go up one after another, in order. */
function fileProgress(files: PickedFile[]): (p: { name: string; done: number; total: number }) => void {
  let index = 0;
  let finished = false;
  return ({ name, done, total }) => {
    if (finished || files[index]?.file.name !== name) {
      const next = files.findIndex((f, i) => i > index && f.file.name === name);
      if (next >= 0) index = next;
      finished = false;
    }
    const current = files[index];
    if (!current) return;
    current.setProgress(total === 0 ? 1 : done / total);
    if (done === total) {
      current.setDone();
      finished = true;
    }
  };
}

export async function submitReport(be: Backend, request: SubmitRequest): Promise<Submitted> {
  const { onStep } = request;
  const onFile = fileProgress(request.files);
  onStep('verify');
  const submitted = await submitCase({
    server: server(),
    backend: be,
    agency: request.agency.id,
    pinnedFingerprint: pinnedFingerprint(request.agency.slug),
    body: summaryOf(request.report),
    ...(request.identity ? { identity: request.identity } : {}),
    attachments: request.files.map((p) => blobFile(p.file, p.file.name)),
    onProgress: (p: SubmitProgress) => {
      if (p.stage === 'sealing') onStep('seal');
      else if (p.stage === 'proof-of-work') onStep('pow');
      else if (p.stage === 'sending') onStep('upload');
      else if (p.stage === 'uploading') {
        onStep('files');
        onFile(p);
      }
    },
  });
  return { receipt: submitted.receipt, publicNumber: submitted.publicNumber };
}

export { openedCase as openByReceipt };

async function openedCase(be: Backend, receipt: string): Promise<OpenedCase> {
  let session: ReceiptSession | undefined = await openReceipt(receipt, { server: server(), backend: be });
  const live = () => session ?? Promise.reject(new Error('closed'));
  const workflow = receiptWorkflow(be, receipt, server());
  // Opening proves the receipt names a case before the view is shown.
  let status = await session.status();
  const ctx = { agencyId: status.agency.id, caseId: status.caseId };
  /** The agency's bundle, verified against the page's pin exactly as before a submission. */
  const trustedBundle = async () => {
    const agency = (await fetchAgencies()).find((a) => a.id === status.agency.id);
    const content = agency ? checkAgency(be, agency).content : undefined;
    if (!content) throw new SubmitRefusedError('bundle_invalid', "the agency's keys do not verify");
    return content;
  };
  return {
    async summary() {
      const s = await live();
      const [steps, messages, sent] = await Promise.all([workflow.timeline(), s.messages(), s.readCase()]);
      status = { ...status, status: steps.status };
      return {
        report: {
          fields: sent.body.summary,
          attachments: sent.body.attachments.map((a) => ({ id: a.id, name: a.name, size: a.size })),
        },
        publicNumber: status.publicNumber,
        status: steps.status,
        deadline: steps.due ?? undefined,
        timeline: [
          { day: status.receivedOn, kind: 'created' },
          ...steps.timeline.map((e) => ({ day: e.on, kind: e.event, ...(e.status ? { status: e.status } : {}) })),
        ],
        messages: messages
          .filter((m) => m.text.trim() !== '' || m.attachments.length > 0)
          .map((m) => ({
            id: m.id,
            fromDenouncer: m.direction === 'from_denouncer',
            day: m.sentOn,
            text: m.text,
            attachments: m.attachments.map((a) => ({ id: a.id, name: a.name, size: a.size })),
          })),
      };
    },
    async reply(text, files) {
      const s = await live();
      await s.reply(text, files.map((p) => blobFile(p.file, p.file.name)), (done, total) => {
        // One bar per message is enough here: the SDK reports bytes of the current file.
        for (const p of files) if (p.file.size === total) p.setProgress(total === 0 ? 1 : done / total);
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
    withdraw: async ({ reason }) => {
      const s = await live();
      // The reason travels sealed, as a message the agency can read; the server sees none.
      if (reason.trim()) await s.reply(reason);
      await workflow.withdraw();
    },
    requestProtection: async (details) => {
      await live();
      await workflow.requestProtection(ctx, await trustedBundle(), details);
    },
    reportRetaliation: async ({ description }) => {
      await live();
      return workflow.reportRetaliation(status.caseId, await trustedBundle(), description);
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
  const session = await openReceipt(receipt, { server: server(), backend: be });
  const [{ body }, status] = await Promise.all([session.readCase(), session.status()]);
  const ctx = { agencyId: status.agency.id, caseId: status.caseId };
  const http = new HttpClient({ baseUrl: server() }).withHeaders(receiptAuthorization(deriveReceiptKeys(be, receipt).authKey));
  const unused = [...body.attachments];
  for (const picked of files) {
    const i = unused.findIndex((r) => r.name === picked.file.name && r.size === picked.file.size);
    const ref = i >= 0 ? unused.splice(i, 1)[0] : undefined;
    if (!ref) continue;
    await uploadFile(be, http, ctx, blobFile(picked.file, picked.file.name), ref, (done, total) =>
      picked.setProgress(total === 0 ? 1 : done / total),
    );
    picked.setDone();
  }
}
