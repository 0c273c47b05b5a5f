import type { BackendSource } from '../backend.js';
import { button, h, liveRegion, say, tx } from '../dom.js';
import { explain } from '../errors.js';
import { PartialSubmitError, submitReport, type SubmitStep } from '../sdk.js';
import { agencyPicker, type AgencyPicker } from './agency-picker.js';
import { filePicker } from './files.js';
import { powProgress } from './pow-progress.js';
import { receiptPanel } from './receipt.js';
import { resumePanel } from './resume.js';
import { reportFields, trackChoice } from './report-fields.js';

// The submission view: agency, report, files, track, send. Validation runs before any
// network call; the send button stays disabled while a submission runs.

const STEP_KEYS = {
  verify: 'send.step.verify',
  seal: 'send.step.seal',
  pow: 'send.step.pow',
  upload: 'send.step.upload',
  files: 'send.step.files',
} as const satisfies Record<SubmitStep, string>;

function invalid(errors: HTMLElement, control: HTMLElement, key: Parameters<typeof say>[1]): false {
  control.setAttribute('aria-invalid', 'true');
  say(errors, key, undefined, 'error');
  control.focus();
  return false;
}

/** Checks what can be checked before anything is sealed or sent; focuses the first problem. */
function validate(
  parts: { agency: AgencyPicker; report: ReturnType<typeof reportFields>; track: ReturnType<typeof trackChoice> },
  view: HTMLElement,
  errors: HTMLElement,
): boolean {
  for (const c of view.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  errors.replaceChildren();
  if (!parts.agency.chosen()) return invalid(errors, parts.agency.select, 'agency.required');
  if (!parts.report.what.value.trim()) return invalid(errors, parts.report.what, 'report.whatRequired');
  const identity = parts.track.identity();
  if (identity && (!identity.name || !identity.address || !identity.contact)) {
    return invalid(errors, parts.track.firstIdentityField, 'identity.required');
  }
  return true;
}

export interface SubmitView {
  element: HTMLElement;
  /** Settles once the agency list is in. */
  listed: Promise<void>;
}

export function submitView(backend: BackendSource, onFollowUp: (receipt: string) => void): SubmitView {
  const track = trackChoice();
  const agency = agencyPicker(backend, (trust) => track.setTrust(trust));
  const report = reportFields();
  const files = filePicker();
  const filesSet = h('fieldset', { class: 'card' }, tx('legend', 'files.legend'), files.element);
  const errors = h('div', { class: 'errors', role: 'alert' });
  const progress = liveRegion();
  const pow = powProgress();
  const spinner = h('div', { class: 'spinner', hidden: true, 'aria-hidden': 'true' });
  const send = button('send.button', () => void run(), { class: 'primary' });
  const sendSet = h('fieldset', { class: 'card' }, tx('legend', 'send.legend'), tx('p', 'send.explain', undefined, { class: 'hint' }), errors, send, spinner, progress, pow.element);
  const title = tx('h2', 'app.nav.submit', undefined, { tabindex: '-1' });
  const form = h('div', { class: 'submit-form' }, agency.element, report.element, filesSet, track.element, sendSet);
  const intro = tx('p', 'app.tagline', undefined, { class: 'intro' });
  const element = h('section', { class: 'view', 'data-view-section': 'submit' }, title, intro, form);

  function showReceipt(receipt: string, publicNumber: string, extra?: HTMLElement): void {
    const panel = receiptPanel(receipt, publicNumber, () => onFollowUp(receipt));
    if (extra) panel.querySelector('.receipt-code')?.after(extra);
    // A fresh page is the only clean slate: nothing of this report stays in memory.
    panel.append(h('div', { class: 'actions no-print' }, button('receipt.another', () => location.reload())));
    form.replaceWith(panel);
    title.hidden = true;
    intro.hidden = true;
    panel.querySelector<HTMLElement>('h2')?.focus();
  }

  async function run(): Promise<void> {
    const chosen = agency.chosen();
    if (!validate({ agency, report, track }, element, errors) || !chosen) return;
    send.disabled = true;
    files.lock(true);
    spinner.hidden = false;
    try {
      const be = await backend();
      const result = await submitReport(be, {
        agency: chosen,
        report: report.values(),
        identity: track.identity(),
        files: files.picked(),
        onStep: (step) => say(progress, STEP_KEYS[step]),
        onPow: pow.update,
      });
      showReceipt(result.receipt, result.publicNumber);
    } catch (err) {
      if (err instanceof PartialSubmitError) {
        showReceipt(err.receipt, err.publicNumber, resumePanel(backend, err.receipt, files));
        return;
      }
      const { key, params } = explain(err);
      say(errors, 'send.failed', undefined, 'error');
      errors.append(tx('p', key, params, { class: 'msg msg-error' }));
      send.disabled = false;
      files.lock(false);
    } finally {
      spinner.hidden = true;
      progress.replaceChildren();
      pow.reset();
    }
  }

  return { element, listed: agency.listed };
}
