import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { AttachmentRef } from '../../client/plaintext.js';
import { downloadAttachment } from '../../client/staff-attachments.js';
import type { StaffClient } from '../../client/staff.js';
import type { CaseContext } from '../../protocol/index.js';
import { progressBar } from '../common/progress.js';

// Saves a case's attachments under one directory. The names come from the denouncer,
// so they are untrusted: they must never climb out of the directory, overwrite a file
// already there, or hide control characters (bidi overrides that disguise an
// extension, escape sequences that repaint the terminal).

export interface SavedAttachment { attachmentId: string; name: string; path: string; size: number }

const MAX_NAME = 180;

/** One path component with no separators, no `..`, no control or format characters. */
export function safeFileName(name: unknown): string {
  const raw = typeof name === 'string' ? name.normalize('NFC') : '';
  const parts = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .split(/[/\\]+/)
    .map((p) => p.replace(/[<>:"|?*]/g, '_').replace(/\.{2,}/g, '.').replace(/^[.\s]+|[.\s]+$/g, ''))
    .filter((p) => p.length > 0);
  let safe = parts.join('_') || 'attachment';
  if (safe.length > MAX_NAME) {
    const ext = extname(safe).slice(0, 20);
    safe = safe.slice(0, MAX_NAME - ext.length) + ext;
  }
  return safe;
}

/** `name`, then `name (2).ext`, `name (3).ext`, … */
function* candidates(name: string): Generator<string> {
  yield name;
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 2; ; n++) yield `${stem} (${n})${ext}`;
}

/** Creates a file that did not exist (never follows or replaces anything already there). */
async function createUnique(dir: string, name: string, taken: Set<string>): Promise<{ file: FileHandle; name: string; path: string }> {
  for (const candidate of candidates(name)) {
    // Case-insensitive file systems would merge `a.pdf` and `A.pdf`.
    if (taken.has(candidate.toLowerCase())) continue;
    const path = join(dir, candidate);
    if (resolve(dir, basename(path)) !== resolve(path)) throw new Error(`refusing to write outside ${dir}`);
    try {
      const file = await open(path, 'wx', 0o600);
      taken.add(candidate.toLowerCase());
      return { file, name: candidate, path };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error('unreachable');
}

/** Every distinct attachment, in order: those of the case body first, then of each message. */
export function caseAttachments(body: { attachments?: unknown }, messages: { attachments: AttachmentRef[] }[]): AttachmentRef[] {
  const all = [...(Array.isArray(body.attachments) ? (body.attachments as AttachmentRef[]) : []), ...messages.flatMap((m) => m.attachments)];
  return all.filter((a, i) => all.findIndex((b) => b.id === a.id) === i);
}

/**
 * Downloads, opens and writes each attachment as its chunks authenticate (never the
 * whole file in memory). A file that fails any check is deleted and the error rethrown.
 */
export async function saveAttachments(c: StaffClient, ctx: CaseContext, refs: AttachmentRef[], dir: string): Promise<SavedAttachment[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const taken = new Set<string>();
  const saved: SavedAttachment[] = [];
  for (const ref of refs) {
    const { file, name, path } = await createUnique(dir, safeFileName(ref.name), taken);
    const bar = progressBar(name, typeof ref.size === 'number' ? ref.size : 0);
    let written = 0;
    try {
      for await (const plain of downloadAttachment(c, ctx, ref, (done) => bar.update(done))) {
        for (let offset = 0; offset < plain.length;) offset += (await file.write(plain, offset)).bytesWritten;
        written += plain.length;
      }
      await file.close();
    } catch (err) {
      await file.close().catch(() => {});
      await unlink(path).catch(() => {});
      throw err;
    } finally {
      bar.stop();
    }
    saved.push({ attachmentId: ref.id, name, path, size: written });
  }
  return saved;
}
