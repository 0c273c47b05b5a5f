import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { AttachmentMismatchError, DownloadCancelled, DownloadInterrupted } from '../../client/attachment-download.js';
import type { AttachmentRef } from '../../client/plaintext.js';
import { TiplineCryptoError } from '../../protocol/index.js';
import { AttachmentSave, safeFileName, saveMode, shownText } from '../attachments.js';
import { describeError } from '../errors.js';
import { formatSize, t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// One attachment with its download button. Says how the file will be saved (straight to
// a chosen file, or held in the browser until checked), the progress in words and
// percent, and after a cut network offers Resume (from the next chunk) or Cancel.
// Leaving the case cancels a save under way, so no half file is kept.

type Phase =
  | { kind: 'idle' | 'notChosen' | 'working' | 'interrupted' | 'done' | 'cancelled' }
  | { kind: 'failed'; why: string; next: string };

/** What went wrong, and what to do about it. */
function failure(err: unknown, picking: boolean): Phase {
  if (picking && err instanceof DOMException) return { kind: 'failed', why: t('attachment.download.pickerFailed', { why: err.name }), next: t('attachment.download.next.retry') };
  if (err instanceof DOMException) return { kind: 'failed', why: t('attachment.download.writeFailed', { why: err.name }), next: t('attachment.download.next.disk') };
  const forged = err instanceof TiplineCryptoError || err instanceof AttachmentMismatchError;
  return { kind: 'failed', why: describeError(err), next: t(forged ? 'attachment.download.next.tampered' : 'attachment.download.next.retry') };
}

export function Attachment({ s, caseId, agencyId, a }: { s: ConsoleSession; caseId: string; agencyId: string; a: AttachmentRef }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [progress, setProgress] = useState({ done: 0, total: a.size });
  const job = useRef<AttachmentSave | null>(null);
  const modeId = useId();
  const mode = saveMode();
  useEffect(() => () => { void job.current?.cancel(); }, []);

  async function run(save: AttachmentSave) {
    setPhase({ kind: 'working' });
    try {
      await save.run((done, total) => setProgress({ done, total }));
      job.current = null;
      setPhase({ kind: 'done' });
    } catch (err) {
      if (err instanceof DownloadInterrupted) return setPhase({ kind: 'interrupted' });
      job.current = null;
      setPhase(err instanceof DownloadCancelled ? { kind: 'cancelled' } : failure(err, false));
    }
  }

  async function start() {
    setProgress({ done: 0, total: a.size });
    let save: AttachmentSave | null;
    try {
      save = await AttachmentSave.begin(s, { agencyId, caseId }, a);
    } catch (err) {
      return setPhase(failure(err, true));
    }
    if (!save) return setPhase({ kind: 'notChosen' });
    job.current = save;
    await run(save);
  }

  async function cancel() {
    const save = job.current;
    if (!save) return;
    await save.cancel();
    // A run under way reports the cancel itself; an interrupted save has no run to do it.
    if (phase.kind === 'interrupted') {
      job.current = null;
      setPhase({ kind: 'cancelled' });
    }
  }

  const busy = phase.kind === 'working' || phase.kind === 'interrupted';
  const figures = {
    percent: progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 100,
    done: formatSize(progress.done), total: formatSize(progress.total),
  };
  return (
    <li>
      {/* Shown under the name it is saved as, isolated: a name or type the sender chose must not reorder the line. */}
      <span class="file"><bdi>{safeFileName(a.name)}</bdi> (<bdi>{shownText(a.type || '?')}</bdi>, {formatSize(a.size)})</span>{' '}
      <button type="button" disabled={busy} onClick={() => void start()} aria-label={t('case.attachment.save', { name: a.name })} aria-describedby={modeId}>
        {t('case.attachment.saveShort')}
      </button>{' '}
      {phase.kind === 'interrupted' && (
        <button type="button" onClick={() => void run(job.current!)} aria-label={t('attachment.download.resumeFor', { name: a.name })}>
          {t('attachment.download.resume')}
        </button>
      )}{' '}
      {busy && (
        <button type="button" onClick={() => void cancel()} aria-label={t('attachment.download.cancelFor', { name: a.name })}>
          {t('attachment.download.cancel')}
        </button>
      )}
      <span role="status">
        {' '}
        {phase.kind === 'working' && t('attachment.download.progress', figures)}
        {phase.kind === 'notChosen' && t('attachment.download.notChosen')}
        {phase.kind === 'cancelled' && t('attachment.download.cancelled')}
        {phase.kind === 'done' && t(mode === 'file' ? 'attachment.download.doneFile' : 'case.attachment.done')}
      </span>
      {phase.kind === 'interrupted' && <span class="error" role="alert"> {t('attachment.download.interrupted', figures)}</span>}
      {phase.kind === 'failed' && <span class="error" role="alert"> {t('case.attachment.failed', { why: phase.why })} {phase.next}</span>}
      <p class="hint" id={modeId}>{t(mode === 'file' ? 'attachment.download.mode.file' : 'attachment.download.mode.browser')}</p>
    </li>
  );
}
