import type { Backend } from '../../protocol/index.js';
import { checkAgency } from '../agencies.js';
import { button, field, h, liveRegion, say, tx } from '../dom.js';
import { explain } from '../errors.js';
import { PartialSubmitError, fetchAgencies, submitReport, type AgencyEntry, type SubmitStep } from '../sdk.js';
import { filePicker } from './files.js';
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

interface AgencyPicker {
  element: HTMLFieldSetElement;
  select: HTMLSelectElement;
  chosen(): AgencyEntry | undefined;
}

function agencyPicker(be: Backend, onThreshold: (n: number | undefined) => void): AgencyPicker {
  const select = h('select', { required: true, 'aria-required': 'true' });
  const placeholder = tx('option', 'agency.placeholder', undefined, { value: '' });
  select.append(placeholder);
  const trust = liveRegion('trust');
  const element = h('fieldset', { class: 'card' }, tx('legend', 'agency.legend'), field('agency.label', select), trust);
  let agencies: AgencyEntry[] = [];
  const chosen = () => agencies.find((a) => a.id === select.value);
  select.addEventListener('change', () => {
    const agency = chosen();
    trust.replaceChildren();
    onThreshold(undefined);
    if (!agency) return;
    const { pin, content } = checkAgency(be, agency);
    if (!content) return say(trust, 'error.bundle', undefined, 'error');
    onThreshold(content.threshold);
    if (pin) say(trust, 'agency.pinned', { fingerprint: pin }, 'ok');
    else say(trust, 'agency.unpinned', undefined, 'warn');
  });
  fetchAgencies().then(
    (list) => {
      agencies = list;
      for (const a of list) select.append(h('option', { value: a.id }, a.name));
      if (list.length === 0) say(trust, 'agency.none', undefined, 'warn');
    },
    () => say(trust, 'agency.loadFailed', undefined, 'error'),
  );
  return { element, select, chosen };
}

export interface SubmitView {
  element: HTMLElement;
}

export function submitView(be: Backend, onFollowUp: (receipt: string) => void): SubmitView {
  const track = trackChoice();
  const agency = agencyPicker(be, (n) => track.setThreshold(n));
  const report = reportFields();
  const files = filePicker();
  const filesSet = h('fieldset', { class: 'card' }, tx('legend', 'files.legend'), files.element);
  const errors = h('div', { class: 'errors', role: 'alert' });
  const progress = liveRegion();
  const spinner = h('div', { class: 'spinner', hidden: true, 'aria-hidden': 'true' });
  const send = button('send.button', () => void run(), { class: 'primary' });
  const sendSet = h('fieldset', { class: 'card' }, tx('legend', 'send.legend'), tx('p', 'send.explain', undefined, { class: 'hint' }), errors, send, spinner, progress);
  const title = tx('h2', 'app.nav.submit', undefined, { tabindex: '-1' });
  const form = h('div', { class: 'submit-form' }, agency.element, report.element, filesSet, track.element, sendSet);
  const intro = tx('p', 'app.tagline', undefined, { class: 'intro' });
  const element = h('section', { class: 'view', 'data-view-section': 'submit' }, title, intro, form);

  function invalid(control: HTMLElement, key: Parameters<typeof say>[1]): false {
    control.setAttribute('aria-invalid', 'true');
    say(errors, key, undefined, 'error');
    control.focus();
    return false;
  }

  function validate(): boolean {
    for (const c of element.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
    errors.replaceChildren();
    if (!agency.chosen()) return invalid(agency.select, 'agency.required');
    if (!report.what.value.trim()) return invalid(report.what, 'report.whatRequired');
    const identity = track.identity();
    if (identity && (!identity.name || !identity.address || !identity.contact)) {
      return invalid(track.firstIdentityField, 'identity.required');
    }
    return true;
  }

  function showReceipt(receipt: string, publicNumber: string, extra?: HTMLElement): void {
    const panel = receiptPanel(receipt, publicNumber, () => onFollowUp(receipt));
    if (extra) panel.querySelector('.receipt-code')?.after(extra);
    form.replaceWith(panel);
    title.hidden = true;
    intro.hidden = true;
    panel.querySelector<HTMLElement>('h2')?.focus();
  }

  async function run(): Promise<void> {
    const chosen = agency.chosen();
    if (!validate() || !chosen) return;
    send.disabled = true;
    files.lock(true);
    spinner.hidden = false;
    try {
      const result = await submitReport(be, {
        agency: chosen,
        report: report.values(),
        identity: track.identity(),
        files: files.picked(),
        onStep: (step) => say(progress, STEP_KEYS[step]),
      });
      showReceipt(result.receipt, result.publicNumber);
    } catch (err) {
      if (err instanceof PartialSubmitError) {
        showReceipt(err.receipt, err.publicNumber, resumePanel(be, err.receipt, files));
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
    }
  }

  return { element };
}
