import { useState } from 'preact/hooks';
import { blobFile, PartialSubmitError, type IdentityBody, type SubmitProgress } from '../../client/denouncer.js';
import { slipAgency, type SlipFields } from '../../client/intake-slip.js';
import { recordIntake, type IntakeInput } from '../../client/staff-intake.js';
import { intakeChannels, type IntakeChannel } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatSize, t } from '../i18n/index.js';
import { configuredOrigin, type ConsoleSession } from '../session.js';
import { IntakeSlip } from './intake-slip.js';

// A denunciation received in person or by letter (Law Art. 22), recorded by the intake
// officer: sealed in this page by recordIntake — the one sealing path, the CLI's too —
// with the signed record and the scanned letter as files and, for a formal denunciation,
// the identity block to the custodians. It ends with the person's slip.

const KINDS = ['denunciation', 'petition'] as const;
const EMPTY_IDENTITY: IdentityBody = { name: '', address: '', contact: '', idNumber: '' };

function stageText(p: SubmitProgress | null): string {
  if (!p) return '';
  if (p.stage === 'uploading') return t('intake.stage.uploading', { name: p.name, percent: p.total ? Math.floor((100 * p.done) / p.total) : 100 });
  return p.stage === 'sending' || p.stage === 'submitted' ? t('intake.stage.sending') : t('intake.stage.sealing');
}

function IdentityFields({ value, onChange, showMissing }: { value: IdentityBody; onChange: (v: IdentityBody) => void; showMissing: boolean }) {
  const field = (k: keyof IdentityBody, required: boolean) => {
    const missing = showMissing && required && !value[k]?.trim();
    return (
      <div class="field" key={k}>
        <label for={`intake-id-${k}`}>{t(`intake.identity.${k}`)}</label>
        <input id={`intake-id-${k}`} type="text" autocomplete="off" maxLength={300} value={value[k] ?? ''} aria-invalid={missing ? 'true' : undefined}
          onInput={(e) => onChange({ ...value, [k]: (e.currentTarget as HTMLInputElement).value })} />
      </div>
    );
  };
  return (
    <fieldset class="field identity">
      <legend>{t('intake.identity')}</legend>
      <p class="hint">{t('intake.formal.hint')}</p>
      {field('name', true)}{field('address', true)}{field('contact', true)}{field('idNumber', false)}
      {showMissing && <p class="error" role="alert">{t('intake.identity.missing')}</p>}
    </fieldset>
  );
}

const identityComplete = (i: IdentityBody) => Boolean(i.name.trim() && i.address.trim() && i.contact.trim());
const identityOf = (i: IdentityBody): IdentityBody => ({
  name: i.name.trim(), address: i.address.trim(), contact: i.contact.trim(), ...(i.idNumber?.trim() ? { idNumber: i.idNumber.trim() } : {}),
});

export function IntakeCase({ session }: { session: ConsoleSession }) {
  const [channel, setChannel] = useState<IntakeChannel>('in_person');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('denunciation');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [formal, setFormal] = useState(false);
  const [identity, setIdentity] = useState<IdentityBody>(EMPTY_IDENTITY);
  const [tried, setTried] = useState(false);
  const [progress, setProgress] = useState<SubmitProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [slip, setSlip] = useState<SlipFields | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  // Bumped on each recorded case: the file input is remade empty (a file input's files cannot be set by state).
  const [round, setRound] = useState(0);
  const working = progress !== null;

  function reset() {
    setText(''); setFiles([]); setFormal(false); setIdentity(EMPTY_IDENTITY); setTried(false); setRound((n) => n + 1);
  }
  async function record(e: Event) {
    e.preventDefault();
    setTried(true);
    setSaid(null);
    if (!text.trim() || (formal && !identityComplete(identity))) return;
    setError(null);
    setProgress({ stage: 'sealing' });
    const input = { channel, kind, body: text.trim(), attachments: files.map((f) => blobFile(f, f.name)), ...(formal ? { identity: identityOf(identity) } : {}) };
    const outcome = await sealAndSend(session, input, setProgress);
    setProgress(null);
    if (outcome.slip) { setSlip(outcome.slip); reset(); }
    setSaid(outcome.said ?? null);
    setError(outcome.error ?? null);
  }
  return (
    <div class="intake-part">
      {slip && <IntakeSlip fields={slip} onClose={() => { setSlip(null); setSaid(null); }} />}
      <form class="intake-form" onSubmit={(e) => void record(e)} aria-labelledby="intake-case-title" noValidate>
        <h3 id="intake-case-title">{t('intake.part.case')}</h3>
        <p class="hint">{t('intake.case.intro')}</p>
        <ChannelAndKind channel={channel} kind={kind} onChannel={setChannel} onKind={setKind} disabled={working} />
        <ContentField text={text} onText={setText} tried={tried} disabled={working} />
        <FilesField key={round} files={files} onFiles={setFiles} disabled={working} />
        <label class="field"><input type="checkbox" checked={formal} disabled={working} onChange={(e) => setFormal((e.currentTarget as HTMLInputElement).checked)} /> {t('intake.formal')}</label>
        {formal && <IdentityFields value={identity} onChange={setIdentity} showMissing={tried && !identityComplete(identity)} />}
        {error && <p class="error" role="alert">{error}</p>}
        {said && <p class="done" role="status">{said}</p>}
        <p role="status" class="progress">{stageText(progress)}{progress?.stage === 'uploading' && <> <progress max={progress.total || 1} value={progress.done} aria-label={progress.name} /></>}</p>
        <button type="submit" disabled={working}>{t('intake.submit')}</button>
      </form>
    </div>
  );
}

type Outcome = { slip?: SlipFields; said?: string; error?: string };

/** Seals and sends through recordIntake; a case stored whose file did not finish still gets its slip. */
async function sealAndSend(session: ConsoleSession, input: Omit<IntakeInput, 'onProgress'>, onProgress: (p: SubmitProgress) => void): Promise<Outcome> {
  const agencyName = await slipAgency(session.client);
  const slipFor = (r: { receipt: string; publicNumber: string; receivedOn: string }) => ({ ...r, agencyName, site: configuredOrigin() });
  try {
    const recorded = await recordIntake(session.client, { ...input, onProgress });
    return { slip: slipFor(recorded), said: t('intake.done', { number: recorded.publicNumber }) };
  } catch (err) {
    if (!(err instanceof PartialSubmitError)) return { error: t('action.failed', { why: describeError(err) }) };
    return {
      slip: slipFor({ receipt: err.receipt, publicNumber: err.publicNumber, receivedOn: new Date().toISOString().slice(0, 10) }),
      error: t('intake.partial', { number: err.publicNumber, why: describeError(err.cause) }),
    };
  }
}

function FilesField({ files, onFiles, disabled }: { files: File[]; onFiles: (f: File[]) => void; disabled: boolean }) {
  const size = formatSize(files.reduce((n, f) => n + f.size, 0));
  return (
    <div class="field">
      <label for="intake-files">{t('intake.files')}</label>
      <input id="intake-files" type="file" multiple disabled={disabled} aria-describedby="intake-files-hint"
        onChange={(e) => onFiles([...((e.currentTarget as HTMLInputElement).files ?? [])])} />
      <p id="intake-files-hint" class="hint">{t('intake.files.hint')}{files.length > 0 && ` ${t('intake.files.chosen', { count: files.length, size })}`}</p>
    </div>
  );
}

function ChannelAndKind(p: { channel: IntakeChannel; kind: (typeof KINDS)[number]; onChannel: (c: IntakeChannel) => void; onKind: (k: (typeof KINDS)[number]) => void; disabled: boolean }) {
  return (
    <>
      <fieldset class="field">
        <legend>{t('intake.channel')}</legend>
        {intakeChannels.map((c) => (
          <label key={c}><input type="radio" name="intake-channel" value={c} checked={p.channel === c} disabled={p.disabled} onChange={() => p.onChannel(c)} /> {t(`intake.channel.${c}`)}</label>
        ))}
      </fieldset>
      <div class="field">
        <label for="intake-kind">{t('intake.kind')}</label>
        <select id="intake-kind" value={p.kind} disabled={p.disabled} onChange={(e) => p.onKind((e.currentTarget as HTMLSelectElement).value as (typeof KINDS)[number])}>
          {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
        </select>
      </div>
    </>
  );
}

function ContentField({ text, onText, tried, disabled }: { text: string; onText: (s: string) => void; tried: boolean; disabled: boolean }) {
  const empty = tried && !text.trim();
  return (
    <div class="field">
      <label for="intake-content">{t('intake.content')}</label>
      <textarea id="intake-content" rows={8} value={text} disabled={disabled} aria-invalid={empty ? 'true' : undefined} aria-describedby="intake-content-hint"
        onInput={(e) => onText((e.currentTarget as HTMLTextAreaElement).value)} />
      <p id="intake-content-hint" class="hint">{t('intake.content.hint')} {t('intake.content.count', { count: text.length })}</p>
      {empty && <p class="error" role="alert">{t('intake.content.empty')}</p>}
    </div>
  );
}
