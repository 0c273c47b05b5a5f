import { useEffect, useState } from 'preact/hooks';
import { ApiClientError } from '../../client/http.js';
import { acceptReshare, currentReshare, reshareMyShares, verifyPlan, type ReshareView } from '../../client/staff-reshare.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { Person } from './custody-parts.js';

// A custodian's part in handing shares on to a new set (PROTOCOL.md §6.2): the agency's
// open reshare, shown only to the custodians it names, once its plan has been checked
// against the verified bundles. An old custodian confirms before re-splitting; a new
// custodian sums and keeps their share. Both run over every block, with progress.

/** The open plan naming this custodian, verified; null when there is none. */
async function openPlanFor(s: ConsoleSession): Promise<ReshareView | null> {
  let plan: ReshareView;
  try {
    plan = await currentReshare(s.client);
  } catch (err) {
    if (err instanceof ApiClientError && err.status === 404) return null;
    throw err;
  }
  if (plan.finished || (!plan.from.includes(s.staffId) && !plan.to.includes(s.staffId))) return null;
  await verifyPlan(s.client, plan);
  return plan;
}

/** `done`: beside each, in the same order, how many subjects they have done (the server's count). */
function People({ s, ids, done, word, subjects }: { s: ConsoleSession; ids: string[]; done: number[]; word: 'reshare.fromDone' | 'reshare.toDone'; subjects: number }) {
  return <ul class="people">{ids.map((id, i) => <li key={id}><Person s={s} id={id} /> — {t(word, { done: done[i] ?? 0, subjects })}</li>)}</ul>;
}

/** A verified plan as custodians and the admin see it: who planned, the two sets with each one's progress, m' and the whole's. */
export function PlanFacts({ s, plan }: { s: ConsoleSession; plan: ReshareView }) {
  return (
    <dl class="meta">
      <dt>{t('reshare.plan')}</dt><dd><Person s={s} id={plan.plannedBy} /></dd>
      <dt>{t('reshare.from')}</dt><dd><People s={s} ids={plan.from} done={plan.fromDone} word="reshare.fromDone" subjects={plan.subjects} /></dd>
      <dt>{t('reshare.to')}</dt><dd><People s={s} ids={plan.to} done={plan.toDone} word="reshare.toDone" subjects={plan.subjects} /></dd>
      <dt>{t('reshare.threshold')}</dt><dd>{t('reshare.thresholdValue', { threshold: plan.threshold, count: plan.to.length })}</dd>
      <dt>{t('reshare.progress')}</dt><dd>{t('reshare.progressValue', { done: plan.done, subjects: plan.subjects })}</dd>
    </dl>
  );
}

export function ReshareTask({ session: s }: { session: ConsoleSession }) {
  const [plan, setPlan] = useState<ReshareView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    openPlanFor(s).then((p) => live && setPlan(p), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [generation]);

  const run = async (work: () => Promise<string>) => {
    setConfirming(false); setError(null); setNotice(null); setWorking(0);
    try { setNotice(await work()); } catch (err) { setError(describeError(err)); }
    setWorking(null); setGeneration((g) => g + 1);
  };
  // Split under the plan the custodian was shown and confirmed, never one served after.
  const split = (shown: ReshareView) => run(async () => t('reshare.splitDone', { count: await reshareMyShares(s.client, s.keys, { onProgress: setWorking, plan: shown }) }));
  const accept = () => run(async () => {
    const { posted, completed } = await acceptReshare(s.client, s.keys, setWorking);
    return t('reshare.acceptDone', { count: posted, completed });
  });

  if (!plan && !error && !notice) return null;
  return (
    <section class="reshare" aria-labelledby="reshare-title">
      <h3 id="reshare-title">{t('reshare.title')}</h3>
      {notice && <p class="notice" role="status">{notice}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {plan && <>
        <p class="hint">{t('reshare.intro')}</p>
        <PlanFacts s={s} plan={plan} />
        {working !== null && <p role="status">{t('reshare.working', { count: working })}</p>}
        {working === null && !confirming && <div class="actions">
          {plan.from.includes(s.staffId) && <button type="button" onClick={() => setConfirming(true)}>{t('reshare.split')}</button>}{' '}
          {plan.to.includes(s.staffId) && <button type="button" onClick={accept}>{t('reshare.accept')}</button>}
        </div>}
        {confirming && <div class="confirm">
          <p>{t('reshare.splitConfirm', { count: plan.to.length, threshold: plan.threshold })}</p>
          <button type="button" onClick={() => split(plan)}>{t('reshare.splitGo')}</button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>{t('custody.cancel')}</button>
        </div>}
      </>}
    </section>
  );
}
