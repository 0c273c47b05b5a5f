import type { AttachmentRef } from '../client/plaintext.js';
import { downloadAttachment } from '../client/staff-attachments.js';
import type { CaseContext } from '../protocol/index.js';
import type { ConsoleSession } from './session.js';

// An attachment fetched and opened in the page, chunk by chunk (the SDK checks every
// chunk, the size and the hash), then handed to the browser as a download. Nothing is
// offered to save until the whole file has checked out. The pieces are appended to a
// Blob as they arrive, which Chromium keeps in its blob store (on disk when large)
// rather than in the page's heap; writing straight to a chosen file is for part 2.

// Control characters, path and reserved symbols, and the bidirectional controls that can
// make "report\u202Efdp.exe" read as "reportexe.pdf".
const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_NAME = 120;

/** A name the sender chose, made harmless as a file name: no path, no control character, no leading dot. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(UNSAFE, '_').replace(/^[.\s]+/, '').trim();
  if (!cleaned) return 'tep-dinh-kem.bin';
  if (cleaned.length <= MAX_NAME) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, MAX_NAME - ext.length) + ext;
}

export async function saveAttachment(
  s: ConsoleSession, ctx: CaseContext, ref: AttachmentRef, onProgress: (done: number, total: number) => void,
): Promise<void> {
  // Served as bytes, never as the sender's type: the browser must not render it.
  let blob = new Blob([], { type: 'application/octet-stream' });
  for await (const piece of downloadAttachment(s.client, ctx, ref, onProgress)) {
    blob = new Blob([blob, piece as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  }
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = safeFileName(ref.name);
  link.click();
  // Revoked once the browser has taken the download over.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
