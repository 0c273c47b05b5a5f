import { useState } from 'preact/hooks';
import { ApiClientError } from '../../client/http.js';
import { NoCustodianError, recordUrgentProtection, type PhoneProtectionDetails } from '../../client/staff-intake.js';
import { protectionIntakeChannels, type ProtectionIntakeChannel } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';

// An urgent protection request received by phone or in person (Law Art. 50(3)) for a case
// of the agency, found by its public number: the officer writes down what the caller asks,
// and recordUrgentProtection seals it in this page to the custodians as protection details
// (PROTOCOL.md §6.1, §5.4) — the same function `tipline protection record` calls. The
// request runs on the urgent clock; the head of agency decides.

const PUBLIC_NUMBER = /^TL-\d{4}-\d{6}$/;
const EMPTY: PhoneProtectionDetails = { protectedPersons: '', reasons: '', measures: '', contact: '' };
type Field = keyof PhoneProtectionDetails;

function failure(err: unknown, number: string): string {
  if (err instanceof NoCustodianError) return t('intake.protection.noCustodian');
  if (err instanceof ApiClientError && err.status === 404) return t('intake.protection.notFound', { number });
  return t('action.failed', { why: describeError(err) });
}

export function IntakeProtection({ session }: { session: ConsoleSession }) {
  const [number, setNumber] = useState('');
  const [channel, setChannel] = useState<ProtectionIntakeChannel>('phone');
  const [details, setDetails] = useState<PhoneProtectionDetails>(EMPTY);
  const [tried, setTried] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const numberOk = PUBLIC_NUMBER.test(number.trim());
  const complete = Boolean(details.protectedPersons.trim() && details.reasons.trim() && details.measures.trim());

  async function record(e: Event) {
    e.preventDefault();
    setTried(true);
    setSaid(null);
    if (!numberOk || !complete) return;
    setWorking(true);
    setError(null);
    const caseNumber = number.trim();
    try {
      const contact = details.contact?.trim();
      const r = await recordUrgentProtection(session.client, {
        case: caseNumber, channel,
        details: { protectedPersons: details.protectedPersons.trim(), reasons: details.reasons.trim(), measures: details.measures.trim(), ...(contact ? { contact } : {}) },
      }, session.keys);
      setSaid(t('intake.protection.done', { number: caseNumber, channel: t(`intake.protection.channel.${r.channel}`), due: formatDay(r.dueOn) }));
      setNumber(''); setDetails(EMPTY); setTried(false);
    } catch (err) {
      setError(failure(err, caseNumber));
    } finally {
      setWorking(false);
    }
  }
  const text = (k: Field, rows: number, required: boolean) => (
    <DetailField key={k} field={k} rows={rows} value={details[k] ?? ''} missing={tried && required && !details[k]?.trim()} disabled={working}
      onInput={(v) => setDetails({ ...details, [k]: v })} />
  );
  return (
    <form class="intake-form" onSubmit={(e) => void record(e)} aria-labelledby="intake-protection-title" noValidate>
      <h3 id="intake-protection-title">{t('intake.part.protection')}</h3>
      <p class="notice">{t('intake.protection.intro')}</p>
      <div class="field">
        <label for="protection-case">{t('intake.protection.case')}</label>
        <input id="protection-case" type="text" autocomplete="off" maxLength={20} value={number} disabled={working} aria-describedby="protection-case-hint"
          aria-invalid={number && !numberOk ? 'true' : undefined} onInput={(e) => setNumber((e.currentTarget as HTMLInputElement).value)} />
        <p id="protection-case-hint" class="hint">{t('intake.protection.case.hint')}</p>
        {(tried || number.length >= 14) && !numberOk && <p class="error" role="alert">{t('intake.protection.case.bad')}</p>}
      </div>
      <fieldset class="field">
        <legend>{t('intake.protection.channel')}</legend>
        {protectionIntakeChannels.map((c) => (
          <label key={c}><input type="radio" name="protection-channel" value={c} checked={channel === c} disabled={working} onChange={() => setChannel(c)} /> {t(`intake.protection.channel.${c}`)}</label>
        ))}
      </fieldset>
      {text('protectedPersons', 2, true)}{text('reasons', 4, true)}{text('measures', 3, true)}{text('contact', 1, false)}
      {tried && !complete && <p class="error" role="alert">{t('intake.protection.missing')}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {said && <p class="done" role="status">{said}</p>}
      <p role="status">{working ? t('intake.protection.working') : ''}</p>
      <button type="submit" disabled={working}>{t('intake.protection.submit')}</button>
    </form>
  );
}

function DetailField(p: { field: Field; rows: number; value: string; missing: boolean; disabled: boolean; onInput: (v: string) => void }) {
  return (
    <div class="field">
      <label for={`protection-${p.field}`}>{t(`intake.protection.${p.field === 'protectedPersons' ? 'protected' : p.field}`)}</label>
      <textarea id={`protection-${p.field}`} rows={p.rows} value={p.value} disabled={p.disabled} aria-invalid={p.missing ? 'true' : undefined}
        onInput={(e) => p.onInput((e.currentTarget as HTMLTextAreaElement).value)} />
      {p.field === 'protectedPersons' && <p class="hint">{t('intake.protection.protected.hint')}</p>}
    </div>
  );
}
