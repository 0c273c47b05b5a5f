import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n/index.js';
import { configuredOrigin, IDLE_MINUTES, signIn, SignInError, type ConsoleSession } from '../session.js';

// The staff key file and the agency pin come from this machine (files chosen from disk,
// a fingerprint typed from the invitation); the passphrase unlocks the key file here.
// None of them is sent anywhere: the login sends only a signature over the challenge.

interface Props { notice: MessageKey | null; onSignedIn: (s: ConsoleSession) => void }

export function SignIn({ notice, onSignedIn }: Props) {
  const [keyFile, setKeyFile] = useState<File | null>(null);
  const [pinFile, setPinFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [error, setError] = useState<{ key: MessageKey; code: string } | null>(null);
  const [working, setWorking] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    if (!keyFile) { setError({ key: 'signin.error.noKeyFile', code: '' }); return; }
    setWorking(true);
    try {
      const input = { keyFile: await keyFile.text(), passphrase, fingerprint, ...(pinFile ? { pinFile: await pinFile.text() } : {}) };
      const session = await signIn(input);
      setPassphrase('');
      onSignedIn(session);
    } catch (err) {
      const key = err instanceof SignInError ? err.key : 'login';
      setError({ key: `signin.error.${key}` as MessageKey, code: err instanceof SignInError ? err.code : 'client' });
      setWorking(false);
    }
  }

  const described = (id: string) => (error ? `${id} signin-error` : id);
  return (
    <section class="panel signin" aria-labelledby="signin-title">
      <h2 id="signin-title">{t('signin.title')}</h2>
      <p class="server">{t('signin.server', { origin: configuredOrigin() })}</p>
      {notice && <p class="notice" role="status">{t(notice, { minutes: IDLE_MINUTES })}</p>}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="key-file">{t('signin.keyFile')}</label>
          <input id="key-file" type="file" accept=".json,application/json" aria-describedby={described('key-file-hint')}
            onChange={(e) => setKeyFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
          <p id="key-file-hint" class="hint">{t('signin.keyFile.hint')}</p>
        </div>
        <div class="field">
          <label for="passphrase">{t('signin.passphrase')}</label>
          <input id="passphrase" type="password" autocomplete="current-password" value={passphrase}
            onInput={(e) => setPassphrase((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="fingerprint">{t('signin.pin')}</label>
          <input id="fingerprint" type="text" autocomplete="off" spellcheck={false} value={fingerprint} aria-describedby="fingerprint-hint"
            onInput={(e) => setFingerprint((e.currentTarget as HTMLInputElement).value)} />
          <p id="fingerprint-hint" class="hint">{t('signin.pin.hint')}</p>
        </div>
        <div class="field">
          <label for="pin-file">{t('signin.pinFile')}</label>
          <input id="pin-file" type="file" accept=".json,application/json" aria-describedby="pin-file-hint"
            onChange={(e) => setPinFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
          <p id="pin-file-hint" class="hint">{t('signin.pinFile.hint')}</p>
        </div>
        {error && <p id="signin-error" class="error" role="alert">{t(error.key, { code: error.code })}</p>}
        <button type="submit" disabled={working}>{working ? t('signin.working') : t('signin.submit')}</button>
      </form>
      <p class="hint">{t('app.memoryOnly')}</p>
    </section>
  );
}
