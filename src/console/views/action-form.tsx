import { useEffect, useRef, useState } from 'preact/hooks';
import { contentNotice } from '../../client/content-notice.js';
import { proposeDecision } from '../../client/staff-proposals.js';
import { defaultNotices, transitionCase, type TransitionInput, type TransitionOutcome } from '../../client/staff-workflow.js';
import {
  complexities, conclusionFigureNames, decisionDay, figuresProblem, findings, stateAfter, utcToDay,
  type Complexity, type ConclusionFigureName, type ConclusionFigures, type StepGround, type Finding, type TransitionRule,
} from '../../domain/index.js';
import { describeError } from '../errors.js';
import { formatDay, t, tOr } from '../i18n/index.js';
import type { ConsoleSession } from '../session.js';
import type { Checked } from './case-actions.js';
import { statusText } from './inbox.js';
import { actionText, complexityText, findingText, groundText } from './words.js';
import { ReviewStage } from './review-stage.js';

// One workflow step, in two stages: the form (reason, the notice the law owes the
// denouncer written out and editable, the finding or extension the step needs, the
// decision day), then a review that restates what will be signed. Nothing is sealed or
// sent before "confirm and sign"; the SDK then signs over the history checked here.
// An investigator's proposal to the head (mode 'propose') is the same form without the
// notice: the head's decision, not the proposal, is what the denouncer is told of.

export interface Draft {
  reason: string; notice: string; finding: Finding | ''; ground: StepGround | ''; complexity: Complexity; days: string; day: string; acceptLegacy: boolean;
  /** A conclusion's figures as typed (rule.carriesFigures): all empty, or whole numbers, an empty one 0. */
  figures: Partial<Record<ConclusionFigureName, string>>;
}

/** The typed figures: undefined when all are empty, the figures, or what is wrong with them. */
function figuresOf(d: Draft): ConclusionFigures | undefined | { problem: string } {
  const typed = conclusionFigureNames.map((name) => [name, (d.figures[name] ?? '').trim()] as const);
  if (typed.every(([, v]) => v === '')) return undefined;
  if (typed.some(([, v]) => v !== '' && !/^\d{1,16}$/.test(v))) return { problem: t('action.figures.number') };
  const figures = Object.fromEntries(typed.map(([name, v]) => [name, v === '' ? 0 : Number(v)])) as ConclusionFigures;
  if (figuresProblem(figures) === null) return figures;
  // The domain's bounds and rule, in the reader's words.
  return { problem: t(figures.sanctionOfficials > figures.sanctionPersons ? 'action.figures.officials' : 'action.figures.number') };
}

/** The figures the step carries: only a decided conclusion (a proposal carries none). */
const carried = (rule: TransitionRule, d: Draft, proposing: boolean) => {
  if (!rule.carriesFigures || proposing) return undefined;
  const f = figuresOf(d);
  return f && 'problem' in f ? undefined : f;
};

interface Props {
  session: ConsoleSession; caseId: string; publicNumber: string; checked: Checked; rule: TransitionRule;
  mode?: 'decide' | 'propose';
  /** What a proposal being decided already says (its reasoning, finding, extension). */
  prefill?: Partial<Draft>;
  onCancel: () => void; onDone: (said: string) => void;
}

/** What is wrong with the draft, as the catalogue's words; null when it can be reviewed. */
function problem(rule: TransitionRule, c: Checked, d: Draft, today: string, proposing: boolean): string | null {
  if (!d.reason.trim()) return t('action.reason.required');
  if (rule.notice && !proposing && !d.notice.trim()) return t('action.notice.required');
  if (rule.requiresFinding && !d.finding) return t('action.finding.required');
  if (rule.grounds && !d.ground) return tOr(`action.ground.required.${rule.action}`, 'action.ground.required', {});
  if (rule.carriesFigures && !proposing) {
    const f = figuresOf(d);
    if (f && 'problem' in f) return t('action.figures.invalid', { why: f.problem });
  }
  if (rule.clock?.kind === 'extend') {
    const max = c.profile.extensions.limits[d.complexity].maxAmount;
    const days = Number(d.days);
    if (!Number.isInteger(days) || days < 1 || days > max) return t('action.days.invalid', { max });
  }
  if (decisionDay(d.day, today, c.history.snapshot.lastDay) === null) return t('action.day.invalid', { day: formatDay(c.history.snapshot.lastDay) });
  if (c.history.legacy > 0 && !d.acceptLegacy && !proposing) return t('actions.acceptLegacy.required');
  return null;
}

/** The grounds the step may name on this case: a handling measure only as the conclusion's finding allows (Law Art. 36(1)). */
const groundsFor = (rule: TransitionRule, c: Checked) =>
  (rule.grounds ?? []).filter((g) => !g.findings || (c.history.snapshot.finding !== null && g.findings.includes(c.history.snapshot.finding)));

/** What the step's ground is called: why it goes on (withdrawal), the measure (handling), who monitors. */
const groundLabel = (rule: TransitionRule) => tOr(`action.ground.${rule.action}`, 'action.ground', {});

/**
 * What the sealed reason is for the step: a staff member withdrawing records what the
 * denouncer said (form 03); an assignment to monitor names the unit (free text, so sealed,
 * never a plain field); the end of monitoring records its result.
 */
function reasonLabel(rule: TransitionRule): string {
  if (rule.roles.includes('denouncer')) return t('action.record');
  return tOr(`action.record.${rule.action}`, 'action.reason', {});
}

/**
 * The record a step starts from where the law gives it a form: the notice of the content
 * to the person denounced (form 06), from the checked acceptance day, with blanks for the
 * person and the content; never anything of the denouncer.
 */
function recordTemplate(rule: TransitionRule, c: Checked, publicNumber: string): string {
  if (rule.action !== 'notify_denounced') return '';
  const accepted = c.history.events.find((e) => e.action === 'accept' && e.authenticity !== 'refused');
  return accepted ? contentNotice({ publicNumber, acceptedOn: accepted.onDay }) : '';
}

function toInput(rule: TransitionRule, d: Draft, proposing = false): TransitionInput {
  return {
    figures: carried(rule, d, proposing),
    action: rule.action, reason: d.reason.trim(), onDay: d.day, acceptLegacy: d.acceptLegacy,
    notice: rule.notice ? d.notice.trim() : undefined,
    finding: rule.requiresFinding && d.finding ? d.finding : undefined,
    ground: rule.grounds && d.ground ? d.ground : undefined,
    extension: rule.clock?.kind === 'extend' ? { complexity: d.complexity, days: Number(d.days) } : undefined,
  };
}

function said(r: TransitionOutcome): string {
  return [
    t('action.done', { action: actionText(r.action), to: statusText(r.to) }),
    r.due ? t('action.done.due', { day: formatDay(r.due) }) : '',
    r.noticeMessageId ? t('action.done.notice') : '',
    r.late ? t('action.done.late') : '',
  ].filter(Boolean).join(' ');
}

export function ActionForm({ session, caseId, publicNumber, checked, rule, mode = 'decide', prefill, onCancel, onDone }: Props) {
  const today = utcToDay(Date.now());
  const proposing = mode === 'propose';
  const notice = rule.notice && !proposing;
  const [d, setD] = useState<Draft>({
    reason: recordTemplate(rule, checked, publicNumber), notice: defaultNotices[rule.action] ?? '', finding: '', ground: '', complexity: 'complex', days: '', day: today, acceptLegacy: false, figures: {}, ...prefill,
  });
  const [stage, setStage] = useState<'form' | 'review' | 'working'>('form');
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [stage === 'review']);
  const set = (patch: Partial<Draft>) => setD((old) => ({ ...old, ...patch }));
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const snap = checked.history.snapshot;
  const id = (name: string) => `${proposing ? 'prop' : 'act'}-${rule.action}-${name}`;
  const title = proposing ? t('proposal.title', { action: actionText(rule.action) }) : actionText(rule.action);

  function review(e: Event) {
    e.preventDefault();
    const wrong = problem(rule, checked, d, today, proposing);
    setError(wrong);
    if (!wrong) setStage('review');
  }
  async function sign() {
    setStage('working');
    setError(null);
    try {
      if (proposing) {
        const { action, reason, onDay, finding, extension } = toInput(rule, d, true);
        await proposeDecision(session.client, caseId, { action, reason, onDay, finding, extension }, session.keys);
        onDone(t('proposal.done', { action: actionText(rule.action) }));
      } else {
        onDone(said(await transitionCase(session.client, caseId, toInput(rule, d), session.keys)));
      }
    } catch (err) {
      setStage('review');
      setError(t('action.failed', { why: describeError(err) }));
    }
  }

  if (stage !== 'form') {
    return (
      <ReviewStage labelId={id('confirm')} heading={heading} title={t('action.confirm.title', { action: title })} error={error}
        working={stage === 'working'} onSign={() => void sign()} onEdit={() => setStage('form')}>
        {proposing
          ? <p>{t('proposal.confirm.summary', { number: publicNumber, day: formatDay(d.day) })}</p>
          : <p>{t('action.confirm.summary', { number: publicNumber, from: statusText(snap.state), to: statusText(stateAfter(rule, snap)), day: formatDay(d.day) })}</p>}
        <p class="hint">{t('action.legalBasis', { basis: rule.legalBasis })}</p>
        {rule.requiresFinding && d.finding && <p>{t('action.finding')}: {findingText(d.finding)}</p>}
        {rule.grounds && d.ground && <p>{groundLabel(rule)}: {groundText(d.ground)}</p>}
        {(() => {
          const f = carried(rule, d, proposing);
          return f && <><p>{t('action.figures')}</p><ul>{conclusionFigureNames.map((name) => <li key={name}>{t(`action.figure.${name}`)}: {f[name]}</li>)}</ul></>;
        })()}
        {rule.clock?.kind === 'extend' && <p>{t('action.confirm.extension', { complexity: complexityText(d.complexity), days: d.days })}</p>}
        {notice && <><p>{t('action.confirm.notice')}</p><blockquote class="plaintext">{d.notice.trim()}</blockquote></>}
      </ReviewStage>
    );
  }
  return (
    <form class="dialog" onSubmit={review} aria-labelledby={id('title')} noValidate>
      <h4 id={id('title')} tabIndex={-1} ref={heading}>{title}</h4>
      <p class="hint">{t('action.legalBasis', { basis: rule.legalBasis })}</p>
      {proposing && <p class="hint">{t('proposal.hint')}</p>}
      <div class="field">
        <label for={id('reason')}>{proposing ? t('proposal.reason') : reasonLabel(rule)}</label>
        <textarea id={id('reason')} rows={rule.action === 'notify_denounced' ? 14 : 3} value={d.reason} onInput={(e) => set({ reason: value(e) })} required />
      </div>
      {notice && (
        <div class="field">
          <label for={id('notice')}>{t('action.notice')}</label>
          <textarea id={id('notice')} rows={4} value={d.notice} onInput={(e) => set({ notice: value(e) })} required />
          <p class="hint">{t('action.notice.hint')}</p>
        </div>
      )}
      {rule.requiresFinding && (
        <div class="field">
          <label for={id('finding')}>{t('action.finding')}</label>
          <select id={id('finding')} value={d.finding} onChange={(e) => set({ finding: value(e) as Finding })} required>
            <option value="">{t('action.choose')}</option>
            {findings.map((f) => <option key={f} value={f}>{findingText(f)}</option>)}
          </select>
        </div>
      )}
      {rule.grounds && (
        <div class="field">
          <label for={id('ground')}>{groundLabel(rule)}</label>
          <select id={id('ground')} value={d.ground} onChange={(e) => set({ ground: value(e) as StepGround })} required>
            <option value="">{t('action.choose')}</option>
            {groundsFor(rule, checked).map((g) => <option key={g.ground} value={g.ground}>{groundText(g.ground)} ({g.legalBasis})</option>)}
          </select>
        </div>
      )}
      {rule.carriesFigures && !proposing && (
        <fieldset class="field">
          <legend>{t('action.figures')}</legend>
          <p class="hint">{t('action.figures.hint')}</p>
          {conclusionFigureNames.map((name) => (
            <div class="field" key={name}>
              <label for={id(`figure-${name}`)}>{t(`action.figure.${name}`)}</label>
              <input id={id(`figure-${name}`)} type="text" inputMode="numeric" pattern="[0-9]*" value={d.figures[name] ?? ''}
                onInput={(e) => { const typed = value(e); setD((old) => ({ ...old, figures: { ...old.figures, [name]: typed } })); }} />
            </div>
          ))}
        </fieldset>
      )}
      {rule.clock?.kind === 'extend' && <>
        <div class="field">
          <label for={id('complexity')}>{t('action.complexity')}</label>
          <select id={id('complexity')} value={d.complexity} onChange={(e) => set({ complexity: value(e) as Complexity })}>
            {complexities.map((c) => <option key={c} value={c}>{complexityText(c)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for={id('days')}>{t('action.days', { max: checked.profile.extensions.limits[d.complexity].maxAmount })}</label>
          <input id={id('days')} type="number" inputMode="numeric" min={1} max={checked.profile.extensions.limits[d.complexity].maxAmount}
            value={d.days} onInput={(e) => set({ days: value(e) })} required />
        </div>
      </>}
      <div class="field">
        <label for={id('day')}>{t(proposing ? 'proposal.day' : 'action.day')}</label>
        <input id={id('day')} type="date" min={snap.lastDay} max={today} value={d.day} onInput={(e) => set({ day: value(e) })} required />
      </div>
      {checked.history.legacy > 0 && !proposing && (
        <div class="field">
          <p>{t('actions.historyLegacy', { count: checked.history.legacy })}</p>
          <label><input type="checkbox" checked={d.acceptLegacy} onChange={(e) => set({ acceptLegacy: (e.currentTarget as HTMLInputElement).checked })} /> {t('actions.acceptLegacy')}</label>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      <button type="submit">{t('action.review')}</button>{' '}
      <button type="button" onClick={onCancel}>{t('action.cancel')}</button>
    </form>
  );
}
