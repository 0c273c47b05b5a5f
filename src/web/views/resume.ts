import type { BackendSource } from '../backend.js';
import { button, h, liveRegion, say, tx } from '../dom.js';
import { explain } from '../errors.js';
import { resumeUploads } from '../opened-case.js';
import type { FilePicker } from './files.js';

// Shown beside the receipt when the case was stored but a file upload was cut off:
// the files stay listed with their progress, and "resume" continues each one from the
// chunks the server already holds. A file is resumed only if it hashes to what the
// report lists for it; another file is refused (file_mismatch) rather than sealed
// under the listed key, whatever the server says it has stored.

export function resumePanel(backend: BackendSource, receipt: string, files: FilePicker): HTMLElement {
  const status = liveRegion();
  const resume = button('files.resume', () => {
    resume.disabled = true;
    // All files, in order: each is matched to its sealed reference; complete ones are skipped.
    backend().then((be) => resumeUploads(be, receipt, files.picked())).then(
      () => {
        say(status, 'files.allDone', undefined, 'ok');
        resume.hidden = true;
      },
      (err: unknown) => {
        const { key, params } = explain(err);
        say(status, key, params, 'error');
        resume.disabled = false;
      },
    );
  }, { class: 'primary' });
  files.lock(true);
  for (const f of files.picked()) if (!f.isDone()) f.setFailed();
  return h('div', { class: 'card resume no-print' }, tx('p', 'error.partial', undefined, { class: 'msg msg-warn' }), files.element, resume, status);
}
