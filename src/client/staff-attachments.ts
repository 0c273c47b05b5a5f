import { loadBackend, type CaseContext } from '../protocol/index.js';
import { downloadFile, type AttachmentRoute, type TransferProgress } from './files.js';
import type { AttachmentRef } from './plaintext.js';
import type { StaffClient } from './staff.js';

// Attachments as staff fetch them: the staff route serves a case's ciphertext (and audits
// the download); the file is opened here with the key listed in the sealed body or message.

/** The staff download route always starts at chunk 0, so a resumed download skips ahead. */
export const staffAttachmentRoute = (caseId: string): AttachmentRoute => ({
  path: (ref) => `/v1/staff/cases/${caseId}/attachments/${ref.id}/content`,
  resumes: false,
});

/** Yields the attachment's plaintext chunk by chunk; throws if any chunk, the size or the hash fails. */
export async function* downloadAttachment(
  c: StaffClient, ctx: CaseContext, ref: AttachmentRef, onProgress?: TransferProgress,
): AsyncGenerator<Uint8Array> {
  const be = await loadBackend();
  yield* downloadFile(be, c.http, ctx, ref, onProgress, staffAttachmentRoute(ctx.caseId));
}
