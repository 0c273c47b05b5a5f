import { useEffect, useState } from 'preact/hooks';
import { planReshare } from '../../client/staff-reshare.js';
import { loadCustodianView, planOpen, planProblem, type CustodianView, type RecoveryRecipient } from '../custodians.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { Person } from './custody-parts.js';
import { PlanFacts } from './custody-reshare.js';

// The admin's custodian part: the recovery recipient the verified bundle lists (§9.1),
// and custodian turnover (§6.2) — the plan signed here with the admin's key, as `tipline
// reshare plan` signs it, and its progress as `tipline reshare status` shows it. The
// recovery key itself is never in the browser: init and open are done offline.

function Recovery({ serial, recovery }: { serial: number; recovery: RecoveryRecipient | null }) {
  return (
    <section class="recovery" aria-labelledby="recovery-title">
      <h4 id="recovery-title">{t('custodians.recovery.title')}</h4>
      {recovery ? <>
        <p>{t('custodians.recovery.listed', { serial })}</p>
        <dl class="meta">
          <dt>{t('custodians.recovery.keyId')}</dt><dd><code class="fingerprint recovery-key-id">{recovery.keyId}</code></dd>
          <dt>{t('custodians.recovery.shares')}</dt><dd>{t('custodians.recovery.sharesValue', { ...recovery })}</dd>
        </dl>
        <p class="warning">{t('custodians.recovery.means', { ...recovery })}</p>
      </> : <p>{t('custodians.recovery.none', { serial })}</p>}
      <p class="hint">{t('custodians.recovery.offline')}</p>
    </section>
  );
}

function Choice({ s, ids, chosen, onChange, legend }: { s: ConsoleSession; ids: string[]; chosen: string[]; onChange: (ids: string[]) => void; legend: string }) {
  return (
    <fieldset class="field people">
      <legend>{legend}</legend>
      {ids.map((id) => (
        <label key={id}>
          <input type="checkbox" checked={chosen.includes(id)}
            onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? [...chosen, id] : chosen.filter((x) => x !== id))} />{' '}
          <Person s={s} id={id} />
        </label>
      ))}
    </fieldset>
  );
}

function PlanForm({ s, view, onPlanned }: { s: ConsoleSession; view: CustodianView; onPlanned: () => void }) {
  const [from, setFrom] = useState<string[]>([]);
  const [to, setTo] = useState<string[]>(view.newCustodians);
  const [threshold, setThreshold] = useState(String(view.bundle.threshold));
  const [error, setError] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [working, setWorking] = useState(false);
  const m = Number(threshold);
  // Ordered as the bundle lists them: the order gives each new share its x.
  const chosenTo = view.newCustodians.filter((id) => to.includes(id));
  const chosenFrom = view.oldCustodians.filter((id) => from.includes(id));

  function review(e: Event) {
    e.preventDefault();
    const problem = planProblem(view.bundle, { from: chosenFrom, to: chosenTo, threshold: m });
    setError(problem && t(problem.key, problem.params));
    setReviewing(problem === null);
  }
  async function sign() {
    setWorking(true); setError(null);
    try {
      await planReshare(s.client, s.keys, { from: chosenFrom, to: chosenTo, threshold: m });
      setReviewing(false);
      onPlanned();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setWorking(false);
    }
  }

  return (
    <form onSubmit={review} noValidate>
      <Choice s={s} ids={view.oldCustodians} chosen={from} onChange={(ids) => { setFrom(ids); setReviewing(false); }} legend={t('custodians.reshare.from')} />
      <Choice s={s} ids={view.newCustodians} chosen={to} onChange={(ids) => { setTo(ids); setReviewing(false); }} legend={t('custodians.reshare.to')} />
      <div class="field">
        <label for="reshare-threshold">{t('custodians.reshare.threshold')}</label>
        <input id="reshare-threshold" type="number" min={1} max={255} value={threshold} aria-describedby="reshare-threshold-hint"
          onInput={(e) => { setThreshold((e.currentTarget as HTMLInputElement).value); setReviewing(false); }} />
        <p id="reshare-threshold-hint" class="hint">{t('custodians.reshare.thresholdHint', { threshold: view.bundle.threshold })}</p>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!reviewing && <button type="submit">{t('custodians.reshare.review')}</button>}
      {reviewing && <div class="confirm">
        <p>{t('custodians.reshare.confirm', { from: chosenFrom.length, to: chosenTo.length, threshold: m })}</p>
        <button type="button" disabled={working} onClick={() => void sign()}>{working ? t('admin.working') : t('custodians.reshare.sign')}</button>{' '}
        <button type="button" onClick={() => setReviewing(false)}>{t('admin.cancel')}</button>
      </div>}
    </form>
  );
}

function Reshare({ s, view, onChange, notice }: { s: ConsoleSession; view: CustodianView; onChange: (notice?: string) => void; notice: string | null }) {
  const { bundle, plan } = view;
  const custodians = bundle.staff.filter((m) => m.roles.includes('custodian')).length;
  return (
    <section class="reshare-plan" aria-labelledby="reshare-plan-title">
      <h4 id="reshare-plan-title">{t('custodians.reshare.title')}</h4>
      <p class="hint">{t('custodians.reshare.intro')}</p>
      <p>{t('custodians.reshare.bundle', { serial: bundle.serial, threshold: bundle.threshold, count: custodians })}</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      {view.planError && <p class="error" role="alert">{view.planError}</p>}
      <h5>{t('custodians.reshare.status')}</h5>
      {plan ? <>
        <dl class="meta">
          <dt>{t('custodians.reshare.day')}</dt><dd><time dateTime={plan.day}>{formatDay(plan.day)}</time></dd>
          <dt>{t('custodians.reshare.state')}</dt><dd class="reshare-state">{t(plan.finished ? 'custodians.reshare.finished' : 'custodians.reshare.open')}</dd>
        </dl>
        <PlanFacts s={s} plan={plan} />
        <button type="button" onClick={() => onChange()}>{t('custodians.reshare.refresh')}</button>
        {plan.finished && <p class="hint">{t('custodians.reshare.after')}</p>}
      </> : <p>{t('custodians.reshare.nothing')}</p>}
      {planOpen(view) ? <p class="hint">{t('custodians.reshare.stillOpen')}</p> : <PlanForm s={s} view={view} onPlanned={() => onChange(t('custodians.reshare.signed'))} />}
    </section>
  );
}

export function AdminCustodians({ session }: { session: ConsoleSession }) {
  const [view, setView] = useState<CustodianView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    loadCustodianView(session).then((v) => live && setView(v), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [generation]);
  const reload = (next?: string) => { setNotice(next ?? null); setGeneration((g) => g + 1); };
  return (
    <div class="admin-part">
      <h3>{t('admin.part.custodians')}</h3>
      {error && <p class="error" role="alert">{error}</p>}
      {!view && !error && <p role="status">{t('admin.loading')}</p>}
      {view && <>
        <Recovery serial={view.bundle.serial} recovery={view.recovery} />
        <Reshare key={generation} s={session} view={view} onChange={reload} notice={notice} />
      </>}
    </div>
  );
}
