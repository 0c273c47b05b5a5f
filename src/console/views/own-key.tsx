import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import { offerDownload } from '../attachments.js';
import { fingerprintOf, newKeyFile, passphraseProblem, reseal, stagedRotation, type NewKeyFile } from '../rotation.js';
import type { ConsoleSession } from '../session.js';

// "My key": the member's key in use and their own rotation (src/console/rotation.ts). The
// new key file is offered before anything is sent, as `tipline keys rotate` writes it
// first; the old key stays the one to sign in with until the admin publishes the bundle
// listing the new key. The file text kept here for a second download is the encrypted
// file only; the passphrase fields are cleared as soon as it is made.

type Staged = Awaited<ReturnType<typeof stagedRotation>>;
interface Outcome { file: NewKeyFile; resealed: number; unstaged: number }

function NextSteps() {
  return (
    <section class="next" aria-labelledby="keys-next-title">
      <h4 id="keys-next-title">{t('keys.next.title')}</h4>
      <ol>
        <li>{t('keys.next.read')}</li>
        <li>{t('keys.next.accept')}</li>
        <li>{t('keys.next.after')}</li>
      </ol>
    </section>
  );
}

function Result({ outcome }: { outcome: Outcome }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, []);
  const { file } = outcome;
  const download = () => offerDownload(new Blob([file.text], { type: 'application/json' }), file.name);
  return (
    <section class="confirm rotated" aria-labelledby="keys-done-title">
      <h4 id="keys-done-title" tabIndex={-1} ref={heading}>{t('keys.rotate.done', { count: outcome.resealed })}</h4>
      {outcome.unstaged > 0 && <p class="warning">{t('keys.rotate.missing', { count: outcome.unstaged })}</p>}
      <dl class="meta">
        <dt>{t('keys.rotate.newFingerprint')}</dt><dd><code class="fingerprint">{file.fingerprint}</code></dd>
      </dl>
      <p>{t('keys.rotate.file', { name: file.name })}</p>
      <button type="button" onClick={download}>{t('keys.rotate.download')}</button>
      <NextSteps />
    </section>
  );
}

export function OwnKey({ session: s }: { session: ConsoleSession }) {
  const [current, setCurrent] = useState<string | null>(null);
  const [staged, setStaged] = useState<Staged | undefined>(undefined);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // The file made for this attempt, kept once made: a failure after the rotation was staged
  // leaves the server waiting for this key, so the member must still be able to save it.
  const [made, setMade] = useState<NewKeyFile | null>(null);
  const [generation, setGeneration] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); void fingerprintOf(s.keys).then(setCurrent); }, []);
  useEffect(() => {
    let live = true;
    stagedRotation(s).then((r) => live && setStaged(r), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [generation]);

  async function rotate(e: Event) {
    e.preventDefault();
    const problem = passphraseProblem(passphrase, again);
    if (problem) { setError(t(problem)); return; }
    setError(null); setOutcome(null); setMade(null); setWorking(t('keys.rotate.making'));
    try {
      const { next, file } = await newKeyFile(s, passphrase);
      setMade(file);
      setPassphrase(''); setAgain('');
      offerDownload(new Blob([file.text], { type: 'application/json' }), file.name);
      const done = await reseal(s, next, (p) => setWorking(t('keys.rotate.progress', { done: p.done, total: p.total })));
      setOutcome({ file, ...done });
    } catch (err) {
      setError(t('keys.error.failed', { why: describeError(err) }));
    } finally {
      setWorking(null);
      setGeneration((g) => g + 1);
    }
  }

  return (
    <section class="panel own-key" aria-labelledby="keys-title">
      <h2 id="keys-title" tabIndex={-1} ref={heading}>{t('keys.title')}</h2>
      <dl class="meta">
        <dt>{t('keys.current')}</dt><dd><code class="fingerprint">{current ?? '…'}</code></dd>
      </dl>
      {staged !== undefined && <p class="staged" role="status">{staged === null
        ? t('keys.none')
        : t(staged.unstaged > 0 ? 'keys.staged' : 'keys.stagedDone', { day: formatDay(staged.stagedOn), fingerprint: staged.fingerprint, count: staged.unstaged })}</p>}
      {staged && !outcome && <NextSteps />}
      {outcome && <Result outcome={outcome} />}
      <section class="rotate" aria-labelledby="rotate-title">
        <h3 id="rotate-title">{t('keys.rotate.title')}</h3>
        <p class="hint">{t('keys.rotate.intro')}</p>
        {staged && <p class="warning">{t('keys.rotate.replaces')}</p>}
        <form onSubmit={(e) => void rotate(e)} noValidate>
          <div class="field">
            <label for="rotate-passphrase">{t('keys.rotate.passphrase')}</label>
            <input id="rotate-passphrase" type="password" autocomplete="new-password" value={passphrase} aria-describedby="rotate-hint"
              onInput={(e) => setPassphrase((e.currentTarget as HTMLInputElement).value)} />
            <p id="rotate-hint" class="hint">{t('keys.rotate.hint')}</p>
          </div>
          <div class="field">
            <label for="rotate-again">{t('keys.rotate.repeat')}</label>
            <input id="rotate-again" type="password" autocomplete="new-password" value={again}
              onInput={(e) => setAgain((e.currentTarget as HTMLInputElement).value)} />
          </div>
          {error && <p class="error" role="alert">{error}</p>}
          {error && made && !outcome && (
            <p class="warning">
              {t('keys.rotate.keepFile', { name: made.name })}{' '}
              <button type="button" onClick={() => offerDownload(new Blob([made.text], { type: 'application/json' }), made.name)}>{t('keys.rotate.download')}</button>
            </p>
          )}
          {working && <p role="status">{working}</p>}
          <button type="submit" disabled={working !== null}>{t('keys.rotate.submit')}</button>
        </form>
      </section>
    </section>
  );
}
