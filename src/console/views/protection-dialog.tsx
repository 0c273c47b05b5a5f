import { useEffect, useRef, useState } from 'preact/hooks';
import { decideProtection, type CheckedProtectionRequest } from '../../client/staff-protection.js';
import { takeProtectionStep } from '../../client/staff-protection-steps.js';
import { utcToDay, type ProtectionStepGround } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import {
  decisionInput, draftProblem, earliestDay, emptyDraft, noticeOf, notifies, stepBasis, stepInput, templateNotice,
  type CaseStanding, type ProtectionChoice, type ProtectionDraft,
} from '../protection.js';
import type { ConsoleSession } from '../session.js';
import { ReviewStage } from './review-stage.js';

// One protection decision or step, in two stages as every decision of the console
// (action-form.tsx): the form — the measures, the sealed record, the ground the rules
// offer, and the notice the law owes the protected person written out from its template
// and editable — then a review restating what will be signed. Nothing is sealed or sent
// before "confirm and sign"; the SDK then signs over the request and the chain it checked
// itself (decideProtection, takeProtectionStep), exactly as `tipline protection` does.

interface Props {
  session: ConsoleSession; request: CheckedProtectionRequest; standing: CaseStanding; publicNumber: string;
  choice: ProtectionChoice; grounds: readonly ProtectionStepGround[];
  onCancel: () => void; onDone: (signed: ProtectionChoice) => void;
}

const isDecision = (c: ProtectionChoice): c is 'granted' | 'refused' => c === 'granted' || c === 'refused';
const reasonLabel = (c: ProtectionChoice) =>
  t(isDecision(c) ? `protect.field.reason.${c}` : c === 'confirm_writing' ? 'protect.field.reason.confirm_writing' : 'protect.field.reason.step');

async function sign(s: ConsoleSession, r: CheckedProtectionRequest, choice: ProtectionChoice, d: ProtectionDraft): Promise<void> {
  if (isDecision(choice)) await decideProtection(s.client, r.protectionRequestId, decisionInput(choice, d), s.keys);
  else await takeProtectionStep(s.client, r.protectionRequestId, stepInput(choice, d), s.keys);
}

export function ProtectionDialog({ session, request, standing, publicNumber, choice, grounds, onCancel, onDone }: Props) {
  const today = utcToDay(Date.now());
  const [d, setD] = useState<ProtectionDraft>(emptyDraft(today, grounds.length === 1 ? grounds[0]! : ''));
  const [stage, setStage] = useState<'form' | 'review' | 'working'>('form');
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [stage === 'review']);
  const set = (patch: Partial<ProtectionDraft>) => setD((old) => ({ ...old, ...patch }));
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const id = (name: string) => `protect-${request.protectionRequestId}-${name}`;
  const title = t(`protect.choice.${choice}`);
  const basis = isDecision(choice) ? t(`protect.basis.${choice}`) : stepBasis(standing, choice, today);
  const measured = choice === 'granted' || choice === 'change' || choice === 'add';
  const notice = noticeOf(choice, d).trim();

  function review(e: Event) {
    e.preventDefault();
    const wrong = draftProblem(request, choice, d, today);
    setError(wrong && t(`protect.problem.${wrong}`, { day: formatDay(earliestDay(request, choice)) }));
    if (!wrong) setStage('review');
  }
  async function confirm() {
    setStage('working');
    setError(null);
    try {
      await sign(session, request, choice, d);
      onDone(choice);
    } catch (err) {
      setStage('review');
      setError(t('action.failed', { why: describeError(err) }));
    }
  }

  if (stage !== 'form') {
    return (
      <ReviewStage labelId={id('confirm')} heading={heading} title={t('protect.review.title', { choice: title })} error={error}
        working={stage === 'working'} onSign={() => void confirm()} onEdit={() => setStage('form')}>
        <p>{t('protect.review.summary', { requested: formatDay(request.requestedOn), number: publicNumber, day: formatDay(d.day) })}</p>
        <p class="hint">{t('action.legalBasis', { basis })}</p>
        {d.ground && <p>{t('protect.field.ground')}: {t(`protection.ground.${d.ground}`)}</p>}
        {measured && <p class="plaintext">{t('protect.review.measures', { measures: d.measures.trim() })}</p>}
        {d.responsibleBody.trim() && <p class="plaintext">{t('protect.review.body', { body: d.responsibleBody.trim() })}</p>}
        {notifies(choice)
          ? <><p>{t('protect.review.notice')}</p><blockquote class="plaintext">{notice}</blockquote></>
          : <p>{t('protect.review.noNotice')}</p>}
      </ReviewStage>
    );
  }
  return (
    <form class="dialog" onSubmit={review} aria-labelledby={id('title')} noValidate>
      <h4 id={id('title')} tabIndex={-1} ref={heading}>{title}</h4>
      <p class="hint">{t('action.legalBasis', { basis })}</p>
      {grounds.length > 0 && (
        <div class="field">
          <label for={id('ground')}>{t('protect.field.ground')}</label>
          <select id={id('ground')} value={d.ground} onChange={(e) => set({ ground: value(e) as ProtectionStepGround })} required>
            <option value="">{t('action.choose')}</option>
            {grounds.map((g) => <option key={g} value={g}>{t(`protection.ground.${g}`)}</option>)}
          </select>
        </div>
      )}
      {measured && (
        <div class="field">
          <label for={id('measures')}>{t(choice === 'granted' ? 'protect.field.measures' : 'protect.field.measures.now')}</label>
          <textarea id={id('measures')} rows={2} value={d.measures} onInput={(e) => set({ measures: value(e) })} required />
        </div>
      )}
      {measured && (
        <div class="field">
          <label for={id('body')}>{t('protect.field.body')}</label>
          <input id={id('body')} type="text" value={d.responsibleBody} onInput={(e) => set({ responsibleBody: value(e) })} required={choice === 'granted'} />
        </div>
      )}
      <div class="field">
        <label for={id('reason')}>{reasonLabel(choice)}</label>
        <textarea id={id('reason')} rows={3} value={d.reason} onInput={(e) => set({ reason: value(e) })} required />
      </div>
      {notifies(choice) && (
        <div class="field">
          <label for={id('notice')}>{t('protect.field.notice')}</label>
          <textarea id={id('notice')} rows={5} value={noticeOf(choice, d)} onInput={(e) => set({ notice: value(e) })} required />
          <p class="hint">{t('protect.field.notice.hint')}</p>
          {d.notice !== null && d.notice !== templateNotice(choice, d) && (
            <button type="button" onClick={() => set({ notice: null })}>{t('protect.field.notice.reset')}</button>
          )}
        </div>
      )}
      <div class="field">
        <label for={id('day')}>{t('protect.field.day')}</label>
        <input id={id('day')} type="date" min={earliestDay(request, choice)} max={today} value={d.day} onInput={(e) => set({ day: value(e) })} required />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit">{t('action.review')}</button>{' '}
      <button type="button" onClick={onCancel}>{t('action.cancel')}</button>
    </form>
  );
}
