import type { SubmitProgress } from '../../client/denouncer.js';
import { progressBar, type Progress } from './progress.js';

/** A sealed case on its way, on stderr: the steps as they start, a bar per file sent. */
export function submitProgressPrinter(): (p: SubmitProgress) => void {
  let bar: Progress | undefined;
  return (p) => {
    if (p.stage === 'uploading') {
      bar ??= progressBar(`uploading ${p.name}`, p.total);
      bar.update(p.done);
      if (p.done === p.total) { bar.stop(); bar = undefined; }
    } else if (p.stage === 'sealing' || p.stage === 'sending') process.stderr.write(`${p.stage}…\n`);
  };
}
