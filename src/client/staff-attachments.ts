import { loadBackend, type CaseContext } from '../protocol/index.js';
import { AttachmentDownload, downloadFile, type AttachmentRoute } from './attachment-download.js';
import type { TransferProgress } from './files.js';
import type { AttachmentRef } from './plaintext.js';
import type { StaffClient } from './staff.js';

// Attachments as staff fetch them: the staff route serves a case's ciphertext from any
// chunk (and audits the download); the file is opened here with the key listed in the
// sealed body or message.

export const staffAttachmentRoute = (caseId: string): AttachmentRoute => ({
  path: (ref, from) => `/v1/staff/cases/${caseId}/attachments/${ref.id}/content?from=${from}`,
});

/**
 * One attachment's download, to run and resume under the caller's control (the console
 * offers "Resume" after a cut rather than retrying by itself).
 */
export async function attachmentDownload(c: StaffClient, ctx: CaseContext, ref: AttachmentRef): Promise<AttachmentDownload> {
  return new AttachmentDownload(await loadBackend(), c.http, ctx, ref, staffAttachmentRoute(ctx.caseId));
}

/** Yields the attachment's plaintext chunk by chunk, resuming by itself after a cut; throws if any chunk, the size or the hash fails. */
export async function* downloadAttachment(
  c: StaffClient, ctx: CaseContext, ref: AttachmentRef, onProgress?: TransferProgress,
): AsyncGenerator<Uint8Array> {
  const be = await loadBackend();
  yield* downloadFile(be, c.http, ctx, ref, onProgress, staffAttachmentRoute(ctx.caseId));
}
