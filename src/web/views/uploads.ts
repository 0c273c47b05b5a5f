import type { BackendSource } from '../backend.js';
import { button, h, liveRegion, say, tx, uid } from '../dom.js';
import { explain } from '../errors.js';
import { resumeUploads } from '../opened-case.js';
import { progressBar, type FilePicker } from './files.js';

// The files of a report still on their way while its receipt is already on screen: the
// case is stored first, so closing the tab can no longer leave a case with no receipt.
// Each file and the whole set show bytes sent out of bytes to send; the page asks the
// browser to warn before leaving until every file is sent. A cut-off upload is resumed
// from the chunks the server already holds, only for a file that hashes to what the
// report lists for it (another file is refused, file_mismatch, rather than sealed under
// the listed key, whatever the server says it has stored).

export interface UploadPanel {
  element: HTMLElement;
  /** Every file is stored: the warning gives way to "all files sent". */
  finished(): void;
  /** An upload was cut off after the case was stored: say what to do, offer to resume. */
  cutOff(receipt: string, err: unknown): void;
}

/** A page with files not yet sent asks before it is closed or reloaded. */
function leaveGuard(): { on(): void; off(): void } {
  const warn = (e: BeforeUnloadEvent) => e.preventDefault();
  return {
    on: () => window.addEventListener('beforeunload', warn),
    off: () => window.removeEventListener('beforeunload', warn),
  };
}

export function uploadPanel(backend: BackendSource, files: FilePicker): UploadPanel {
  const title = tx('h3', 'uploads.title', undefined, { id: uid('h') });
  const overall = progressBar(title.id);
  const note = h('div', { class: 'upload-note', role: 'status', 'aria-live': 'polite' });
  say(note, 'uploads.keepOpen', undefined, 'warn');
  const status = liveRegion();
  const guard = leaveGuard();
  files.lock(true);
  files.onProgress((sent, total) => overall.set(sent, total));
  guard.on();

  const resume = button('files.resume', () => {
    resume.disabled = true;
    say(note, 'uploads.keepOpen', undefined, 'warn');
    status.replaceChildren();
    // All files, in order: each is matched to its sealed reference; complete ones are skipped.
    backend().then((be) => resumeUploads(be, receiptOf(), files.picked())).then(finished, (err: unknown) => cutOff(receiptOf(), err));
  }, { class: 'primary', hidden: true });
  let receipt: string | undefined;
  const receiptOf = () => receipt ?? '';

  function finished(): void {
    guard.off();
    resume.hidden = true;
    say(note, 'uploads.allSent', undefined, 'ok');
  }

  function cutOff(r: string, err: unknown): void {
    receipt = r;
    for (const f of files.picked()) if (!f.isDone()) f.setFailed();
    const { key, params } = explain(err);
    say(note, 'error.partial', undefined, 'warn');
    say(status, key, params, 'error');
    resume.hidden = false;
    resume.disabled = false;
  }

  const element = h('section', { class: 'card uploads no-print', 'aria-labelledby': title.id }, title, note, overall.element, files.element, resume, status);
  return { element, finished, cutOff };
}
