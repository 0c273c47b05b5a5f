import type { ComponentChildren, RefObject } from 'preact';
import { t } from '../i18n/index.js';

// The step between a filled form and a signature, shared by every signed decision
// (a workflow step, a proposal declined, a protection decision): what will be signed,
// any error, then "sign" or back to the form. Nothing is signed before this is shown.

export interface ReviewStageProps {
  /** The id the heading carries, which names the group. */
  labelId: string;
  heading: RefObject<HTMLHeadingElement>;
  title: string;
  error: string | null;
  working: boolean;
  onSign: () => void;
  onEdit: () => void;
  children: ComponentChildren;
}

export function ReviewStage({ labelId, heading, title, error, working, onSign, onEdit, children }: ReviewStageProps) {
  return (
    <div class="dialog" role="group" aria-labelledby={labelId}>
      <h4 id={labelId} tabIndex={-1} ref={heading}>{title}</h4>
      {children}
      {error && <p class="error" role="alert">{error}</p>}
      <p role="status">{working ? t('action.working') : ''}</p>
      <button type="button" class="primary" disabled={working} onClick={onSign}>{t('action.confirm.sign')}</button>{' '}
      <button type="button" disabled={working} onClick={onEdit}>{t('action.edit')}</button>
    </div>
  );
}
