import { useEffect, useRef, useState } from 'preact/hooks';
import { declineProposal } from '../../client/staff-proposals.js';
import type { CaseDetail } from '../../client/staff.js';
import { utcToDay } from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t } from '../i18n/index.js';
import { answersProposals, loadProposals, type ShownProposal } from '../proposals.js';
import { personName, type ConsoleSession } from '../session.js';
import type { Draft } from './action-form.js';
import type { Checked } from './case-actions.js';
import { actionText, complexityText, findingText } from './words.js';
import { ReviewStage } from './review-stage.js';

// The proposals made on the case (extension, conclusion), for the investigator who made
// them and the head who answers them. A proposal whose signature does not verify is
// shown as refused, names nobody and is never offered for decision. The head decides by
// taking the step itself (the form opens filled with what was proposed) or declines
// with a sealed reason, after a confirmation.

interface Props {
  session: ConsoleSession; detail: CaseDetail; checked: Checked; round: number;
  onDecide: (p: ShownProposal, prefill: Partial<Draft>) => void; onChanged: (said: string) => void;
}

function statusLine(s: ConsoleSession, p: ShownProposal): string {
  const a = p.checked.answer;
  if (a.authenticity === 'refused') return t('proposal.answer.refused');
  switch (p.checked.status) {
    case 'open': return t('proposal.status.open');
    case 'superseded': return t('proposal.status.superseded');
    case 'declined': return t('proposal.status.declined', { name: personName(s, a.by), day: formatDay(a.onDay ?? '') });
    case 'taken': return t('proposal.status.taken', { name: personName(s, a.by), day: formatDay(a.onDay ?? '') });
  }
}

export function prefillOf(p: ShownProposal, s: ConsoleSession): Partial<Draft> {
  const c = p.checked;
  return {
    reason: t('proposal.prefill', { name: personName(s, c.proposedBy), text: p.text ?? '' }),
    ...(c.finding ? { finding: c.finding } : {}),
    ...(c.extension ? { complexity: c.extension.complexity, days: String(c.extension.days) } : {}),
  };
}

function Decline({ session, detail, p, onCancel, onDone }: { session: ConsoleSession; detail: CaseDetail; p: ShownProposal; onCancel: () => void; onDone: (said: string) => void }) {
  const [reason, setReason] = useState('');
  const [stage, setStage] = useState<'form' | 'review' | 'working'>('form');
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [stage === 'review']);
  const id = `decline-${p.checked.proposalId}`;
  async function sign() {
    setStage('working');
    setError(null);
    try {
      await declineProposal(session.client, detail.caseId, p.checked.proposalId, reason.trim(), session.keys, utcToDay(Date.now()));
      onDone(t('proposal.declined'));
    } catch (err) {
      setStage('review');
      setError(t('action.failed', { why: describeError(err) }));
    }
  }
  if (stage !== 'form') {
    return (
      <ReviewStage labelId={`${id}-confirm`} heading={heading} title={t('proposal.decline.confirm', { action: actionText(p.checked.action) })} error={error}
        working={stage === 'working'} onSign={() => void sign()} onEdit={() => setStage('form')}>
        <blockquote class="plaintext">{reason.trim()}</blockquote>
      </ReviewStage>
    );
  }
  return (
    <form class="dialog" aria-labelledby={`${id}-title`} noValidate onSubmit={(e) => {
      e.preventDefault();
      if (!reason.trim()) { setError(t('action.reason.required')); return; }
      setError(null);
      setStage('review');
    }}>
      <h4 id={`${id}-title`} tabIndex={-1} ref={heading}>{t('proposal.decline.title', { action: actionText(p.checked.action) })}</h4>
      <div class="field">
        <label for={`${id}-reason`}>{t('proposal.decline.reason')}</label>
        <textarea id={`${id}-reason`} rows={3} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLTextAreaElement).value)} required />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit">{t('action.review')}</button>{' '}
      <button type="button" onClick={onCancel}>{t('action.cancel')}</button>
    </form>
  );
}

export function Proposals({ session, detail, checked, round, onDecide, onChanged }: Props) {
  const [list, setList] = useState<ShownProposal[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [declining, setDeclining] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadProposals(session, detail, checked).then((l) => live && setList(l), (err: unknown) => live && setError(describeError(err)));
    return () => { live = false; };
  }, [detail.caseId, round, checked]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!list || list.length === 0) return null;
  return (
    <section aria-labelledby="proposals-title" class="proposals">
      <h4 id="proposals-title">{t('proposal.list')}</h4>
      <ol>
        {list.map((p) => {
          const c = p.checked;
          const open = c.status === 'open' && c.authenticity === 'signed' && c.answer.authenticity !== 'refused';
          const head = answersProposals(session, detail, checked, c.action);
          return (
            <li key={c.proposalId} class={`proposal ${c.authenticity}`}>
              <p class="meta">
                <strong>{t('proposal.title', { action: actionText(c.action) })}</strong> · <time dateTime={c.proposedOn}>{formatDay(c.proposedOn)}</time>
                {c.authenticity === 'signed' && ` · ${t('proposal.by', { name: personName(session, c.proposedBy) })}`}
              </p>
              {c.authenticity === 'refused' ? <p class="error">{t('proposal.refused')}</p> : <>
                <p class="check">{t('case.message.signed', { name: personName(session, c.proposedBy) })}</p>
                {c.finding && <p>{t('action.finding')}: {findingText(c.finding)}</p>}
                {c.extension && <p>{t('action.confirm.extension', { complexity: complexityText(c.extension.complexity), days: c.extension.days })}</p>}
                <p class="text plaintext">{p.text ?? t('proposal.sealed')}</p>
              </>}
              <p class="status">{statusLine(session, p)}</p>
              {c.status === 'declined' && p.answerText && <blockquote class="plaintext">{p.answerText}</blockquote>}
              {open && head && declining !== c.proposalId && (
                <p>
                  <button type="button" class="primary" disabled={!detail.wrappedKey} onClick={() => onDecide(p, prefillOf(p, session))}>{t('proposal.decide', { action: actionText(c.action) })}</button>{' '}
                  <button type="button" disabled={!detail.wrappedKey} onClick={() => setDeclining(c.proposalId)}>{t('proposal.decline')}</button>
                  {!detail.wrappedKey && <span class="why"> {t('actions.noKey')}</span>}
                </p>
              )}
              {open && head && declining === c.proposalId && (
                <Decline session={session} detail={detail} p={p} onCancel={() => setDeclining(null)} onDone={(said) => { setDeclining(null); onChanged(said); }} />
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
