import { DownloadInterrupted, type AttachmentDownload } from '../client/attachment-download.js';
import type { TransferProgress } from '../client/files.js';
import type { AttachmentRef } from '../client/plaintext.js';
import { attachmentDownload } from '../client/staff-attachments.js';
import type { CaseContext } from '../protocol/index.js';
import type { ConsoleSession } from './session.js';

// An attachment fetched and opened in the page, chunk by chunk (the SDK checks every
// chunk, the size and the hash), and written out as it is checked. Where the browser
// offers it (File System Access: Chromium's showSaveFilePicker), the staff member picks
// the file first and each checked piece goes straight to it, so a 100 MiB file is never
// whole in the page; the browser keeps the writes aside and only close() puts them in
// the file, so it is called once the whole file has checked out, and abort() on any
// failure leaves no half file. Elsewhere the pieces are appended to a Blob, which
// Chromium keeps in its blob store (on disk when large) rather than in the page's heap,
// and offered as a download once whole. A cut network keeps what was checked, for
// "Resume" to continue from the next chunk (the SDK's AttachmentDownload holds the state).

// Control characters, path and reserved symbols, and the bidirectional controls that can
// make "report\u202Efdp.exe" read as "reportexe.pdf".
const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_NAME = 120;

/** Text the sender chose (a file's type), shown with its control and bidirectional characters visible as �. */
export const shownText = (text: string): string => text.replace(CONTROLS, '\uFFFD');

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

/** `file`: written to a file the staff member picks; `browser`: held in a Blob, then downloaded. */
export type SaveMode = 'file' | 'browser';

// The parts of File System Access used here (not yet in TypeScript's DOM library).
interface WritableFile { write(data: Uint8Array<ArrayBuffer>): Promise<void>; close(): Promise<void>; abort(): Promise<void> }
type SaveFilePicker = (options: { suggestedName: string }) => Promise<{ createWritable(): Promise<WritableFile> }>;

function savePicker(): SaveFilePicker | undefined {
  const picker = (window as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
  return typeof picker === 'function' ? picker.bind(window) : undefined;
}

export const saveMode = (): SaveMode => (savePicker() ? 'file' : 'browser');

/** Where the checked pieces go: kept only by commit(), after the whole file checked out. */
interface Sink { write(piece: Uint8Array): Promise<void>; commit(): Promise<void>; discard(): Promise<void> }

/** The file the staff member picks, or null if they close the picker. */
async function fileSink(pick: SaveFilePicker, name: string): Promise<Sink | null> {
  let handle;
  try {
    handle = await pick({ suggestedName: name });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') return null;
    throw err;
  }
  const file = await handle.createWritable();
  return {
    // Written as handed out: the SDK never reuses a piece's buffer (AttachmentReader.push).
    write: (piece) => file.write(piece as Uint8Array<ArrayBuffer>),
    commit: () => file.close(),
    discard: () => file.abort(),
  };
}

/** Hands a Blob to the browser as a download under `name`; nothing leaves the machine. */
export function offerDownload(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // Revoked once the browser has taken the download over.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function blobSink(name: string): Sink {
  // Served as bytes, never as the sender's type: the browser must not render it.
  const type = 'application/octet-stream';
  let blob = new Blob([], { type });
  return {
    write: async (piece) => { blob = new Blob([blob, piece as Uint8Array<ArrayBuffer>], { type }); },
    commit: async () => offerDownload(blob, name),
    discard: async () => { blob = new Blob([], { type }); },
  };
}

/** One attachment being saved, across interruptions, until it is saved, cancelled or fails. */
export class AttachmentSave {
  #running = false;

  private constructor(readonly mode: SaveMode, private readonly sink: Sink, private readonly download: AttachmentDownload) {}

  /**
   * Asks where to save (in file mode) and prepares the download; null when the staff
   * member closes the picker. Called straight from the click: the picker needs the gesture.
   */
  static async begin(s: ConsoleSession, ctx: CaseContext, ref: AttachmentRef): Promise<AttachmentSave | null> {
    const pick = savePicker();
    const name = safeFileName(ref.name);
    const sink = pick ? await fileSink(pick, name) : blobSink(name);
    if (!sink) return null;
    try {
      return new AttachmentSave(pick ? 'file' : 'browser', sink, await attachmentDownload(s.client, ctx, ref));
    } catch (err) {
      await sink.discard();
      throw err;
    }
  }

  /**
   * Runs the download, or resumes it, into the sink, and commits the file once it all
   * checked out. DownloadInterrupted keeps what was written for another run; any other
   * failure, and a cancel, discard it.
   */
  async run(onProgress: TransferProgress): Promise<void> {
    this.#running = true;
    try {
      for await (const piece of this.download.pieces(onProgress)) await this.sink.write(piece);
      await this.sink.commit();
    } catch (err) {
      if (!(err instanceof DownloadInterrupted)) await this.sink.discard().catch(() => undefined);
      throw err;
    } finally {
      this.#running = false;
    }
  }

  /** Stops for good: a run under way ends with DownloadCancelled and discards; an interrupted save is discarded here. */
  async cancel(): Promise<void> {
    this.download.cancel();
    if (!this.#running) await this.sink.discard().catch(() => undefined);
  }
}
