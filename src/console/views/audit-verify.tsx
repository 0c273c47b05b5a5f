import { useState } from 'preact/hooks';
import type { AuditReport } from '../../client/staff-audit.js';
import type { AuditAnchor } from '../../protocol/audit-anchor.js';
import { downloadAnchor, readAnchorFile, verifyLog, whyKey, type Verified } from '../audit.js';
import { describeError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import { personName, type ConsoleSession } from '../session.js';

// "Verify": the SDK walks the whole chain in this page, with progress, and every refused
// row is named (seq, action, why). A clean chain's head can then be signed into an anchor
// file the auditor keeps; a saved anchor chosen before verifying must still be in the chain.

function Refused({ report }: { report: AuditReport }) {
  return (
    <>
      <p class="error" role="alert">{t('audit.verify.bad', { count: report.refusedCount, checked: report.checked })}</p>
      <table class="refused-rows">
        <thead><tr><th scope="col">{t('audit.verify.col.seq')}</th><th scope="col">{t('audit.verify.col.action')}</th><th scope="col">{t('audit.verify.col.why')}</th></tr></thead>
        <tbody>
          {report.refused.map((b) => (
            <tr key={`${b.seq}-${b.reason}`}>
              <th scope="row">{b.seq}</th>
              <td>{b.action === null ? t('audit.verify.noRow') : <code>{b.action}</code>}</td>
              <td>{t(whyKey(b.reason))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.refusedCount > report.refused.length && <p>{t('audit.verify.more', { count: report.refusedCount - report.refused.length })}</p>}
    </>
  );
}

function Anchor({ s, report }: { s: ConsoleSession; report: AuditReport }) {
  const [saved, setSaved] = useState<{ seq: string; file: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sign = () => downloadAnchor(s, report).then(setSaved, (err: unknown) => setError(describeError(err)));
  return (
    <div class="anchor">
      <h3>{t('audit.anchor.title')}</h3>
      <p class="hint">{t('audit.anchor.hint')}</p>
      <button type="button" onClick={() => void sign()}>{t('audit.anchor.sign')}</button>
      <p role="status">{saved && t('audit.anchor.saved', saved)}</p>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

export function VerifyPanel({ s, onReport }: { s: ConsoleSession; onReport: (report: AuditReport | null) => void }) {
  const [anchor, setAnchor] = useState<AuditAnchor | null>(null);
  const [anchorNote, setAnchorNote] = useState<{ key: MessageKey; bad: boolean } | null>(null);
  const [progress, setProgress] = useState<{ checked: number; total: number } | null>(null);
  const [result, setResult] = useState<Verified | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  // Runs finished, so that a reader (or a test) can tell this result from the one before.
  const [runs, setRuns] = useState(0);

  async function choose(input: HTMLInputElement) {
    const file = input.files?.[0];
    setResult(null);
    if (!file) { setAnchor(null); setAnchorNote(null); return; }
    const read = readAnchorFile(s, await file.text());
    setAnchor('anchor' in read ? read.anchor : null);
    setAnchorNote('anchor' in read ? { key: 'audit.verify.anchorChosen', bad: false } : { key: read.invalid, bad: true });
  }

  async function run() {
    setRunning(true);
    setResult(null);
    setError(null);
    setProgress({ checked: 0, total: 0 });
    try {
      const verified = await verifyLog(s, anchor, (checked, total) => setProgress({ checked, total }));
      setResult(verified);
      onReport('report' in verified ? verified.report : null);
    } catch (err) {
      setError(describeError(err));
      onReport(null);
    } finally {
      setRunning(false);
      setRuns((n) => n + 1);
    }
  }

  const report = result && 'report' in result ? result.report : null;
  const clean = report !== null && report.refusedCount === 0;
  return (
    <section class="verify" aria-labelledby="audit-verify-title" aria-busy={running} data-runs={runs}>
      <h3 id="audit-verify-title">{t('audit.verify.title')}</h3>
      <label>{t('audit.verify.anchorFile')}{' '}
        <input type="file" accept=".json,application/json" disabled={running} onChange={(e) => void choose(e.currentTarget)} />
      </label>
      {anchorNote && (
        <p class={anchorNote.bad ? 'error' : 'hint'}>
          {t(anchorNote.key, anchor ? { seq: anchor.seq, signer: personName(s, anchor.signer) } : {})}
        </p>
      )}
      <p><button type="button" disabled={running || anchorNote?.bad === true} onClick={() => void run()}>{t('audit.verify.button')}</button></p>
      {progress && (
        <p class="progress">
          <progress aria-label={t('audit.verify.progressLabel')} value={progress.checked} max={Math.max(progress.total, 1)} />{' '}
          <span role="status">{t('audit.verify.progress', progress)}</span>
        </p>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {result && 'refused' in result && <p class="error" role="alert">{t(result.refused)}</p>}
      {clean && <>
        <p class="check good" role="status">{t('audit.verify.good', { checked: report.checked, signatures: report.signaturesChecked })}</p>
        {anchor && <p class="check good">{t('audit.verify.goodAnchor', { seq: anchor.seq })}</p>}
        <Anchor key={report.head?.seq} s={s} report={report} />
      </>}
      {report && !clean && <Refused report={report} />}
    </section>
  );
}
