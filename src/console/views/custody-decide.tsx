import { useEffect, useRef, useState } from 'preact/hooks';
import { approveIdentity, refuseIdentity, reviewRequest, type IdentityRequest, type RequestReview } from '../../client/staff-identity.js';
import { StaffTrustError } from '../../client/staff-trust.js';
import { approvals, sameAsShown, type ListedRequest } from '../custody.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import { Person, subjectText } from './custody-parts.js';

// The confirmation step before a custodian decides. The request is fetched and verified
// afresh (reviewRequest) and restated — who gets the share, for which case, and why — and
// only a second, separate action releases anything. An approval re-seals the share here
// (approveIdentity) and goes ahead only if what approveIdentity fetched is what was shown.

/** What a decision did, said again in whichever language is shown. */
export interface Decided { key: 'custody.approved' | 'custody.refused'; number: string; state: IdentityRequest['state'] }

interface PanelProps { s: ConsoleSession; l: ListedRequest; onCancel: () => void; onDone: (decided: Decided) => void }

/** Fetches and verifies the request again when the panel opens; focus moves to the panel. */
function useReview(s: ConsoleSession, requestId: string) {
  const [review, setReview] = useState<RequestReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    let live = true;
    reviewRequest(s.client, requestId, s.keys).then((r) => live && setReview(r), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [requestId]);
  return { review, error, setError, heading };
}

function Restated({ s, review }: { s: ConsoleSession; review: RequestReview }) {
  const r = review.request;
  return (
    <dl class="meta">
      <dt>{t('custody.confirm.what')}</dt><dd>{subjectText(r)} — {t('custody.case', { number: r.publicNumber })}</dd>
      <dt>{t('custody.confirm.to')}</dt><dd><Person s={s} id={review.requester.staffId} /></dd>
      <dt>{t('custody.reason')}</dt><dd class="plaintext">{review.reason}</dd>
      <dt>{t('custody.status')}</dt><dd>{t('custody.approvals', { count: approvals(r), threshold: r.threshold })}</dd>
    </dl>
  );
}

export function ApprovePanel({ s, l, onCancel, onDone }: PanelProps) {
  const { review, error, setError, heading } = useReview(s, l.checked.request.identityRequestId);
  const [working, setWorking] = useState(false);
  async function approve() {
    if (!review) return;
    setWorking(true);
    setError(null);
    try {
      const state = await approveIdentity(s.client, review.request.identityRequestId, s.keys, (fresh) => sameAsShown(review, fresh));
      onDone({ key: 'custody.approved', number: review.request.publicNumber, state: state as Decided['state'] });
    } catch (err) {
      setError(err instanceof StaffTrustError && err.code === 'cancelled' ? t('custody.changed') : describeError(err));
      setWorking(false);
    }
  }
  return (
    <section class="confirm" aria-labelledby="approve-title">
      <h4 id="approve-title" tabIndex={-1} ref={heading}>{t('custody.confirm.approveTitle')}</h4>
      {!review && !error && <p role="status">{t('custody.checking')}</p>}
      {review && <>
        <p>{t('custody.confirm.approveText', { number: review.request.publicNumber })}</p>
        <Restated s={s} review={review} />
      </>}
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="danger" disabled={!review || working} onClick={() => void approve()}>{working ? t('custody.working') : t('custody.confirm.approve')}</button>{' '}
        <button type="button" disabled={working} onClick={onCancel}>{t('custody.cancel')}</button>
      </div>
    </section>
  );
}

export function RefusePanel({ s, l, onCancel, onDone }: PanelProps) {
  const { review, error, setError, heading } = useReview(s, l.checked.request.identityRequestId);
  const [reason, setReason] = useState('');
  const [working, setWorking] = useState(false);
  const id = `refusal-${l.checked.request.identityRequestId}`;
  async function refuse(e: Event) {
    e.preventDefault();
    if (!review) return;
    if (!reason.trim()) { setError(t('custody.refusal.required')); return; }
    setWorking(true);
    setError(null);
    try {
      const state = await refuseIdentity(s.client, review.request.identityRequestId, reason.trim(), s.keys);
      onDone({ key: 'custody.refused', number: review.request.publicNumber, state: state as Decided['state'] });
    } catch (err) {
      setError(describeError(err));
      setWorking(false);
    }
  }
  return (
    <section class="confirm" aria-labelledby="refuse-title">
      <h4 id="refuse-title" tabIndex={-1} ref={heading}>{t('custody.confirm.refuseTitle')}</h4>
      {!review && !error && <p role="status">{t('custody.checking')}</p>}
      {review && <Restated s={s} review={review} />}
      <form onSubmit={(e) => void refuse(e)} noValidate>
        <div class="field">
          <label for={id}>{t('custody.refusal')}</label>
          <textarea id={id} rows={3} required aria-describedby={`${id}-hint`} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} />
          <p id={`${id}-hint`} class="hint">{t('custody.refusal.hint')}</p>
        </div>
        {error && <p class="error" role="alert">{error}</p>}
        <div class="actions">
          <button type="submit" disabled={!review || working}>{working ? t('custody.working') : t('custody.confirm.refuse')}</button>{' '}
          <button type="button" disabled={working} onClick={onCancel}>{t('custody.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
