import type { BackendSource } from '../backend.js';
import { button, h, liveRegion, say, tx } from '../dom.js';
import { explain } from '../errors.js';
import { PartialSubmitError, solvePowAhead, submitReport, type SubmitStep, type Submitted } from '../sdk.js';
import { agencyPicker, type AgencyPicker } from './agency-picker.js';
import { filePicker } from './files.js';
import { powProgress } from './pow-progress.js';
import { receiptPanel } from './receipt.js';
import { reportFields, trackChoice } from './report-fields.js';
import { uploadPanel, type UploadPanel } from './uploads.js';
import { liveValidation, type Rule } from './validation.js';

// The submission view: agency, report, files, track, send. Validation runs before any
// network call; the send button stays disabled while a submission runs. The receipt is
// shown the moment the case is stored, and the files follow beside it.

const STEP_KEYS = {
  verify: 'send.step.verify',
  seal: 'send.step.seal',
  pow: 'send.step.pow',
  upload: 'send.step.upload',
  files: 'send.step.files',
} as const satisfies Record<SubmitStep, string>;

/** What must hold before anything is sealed: an agency, a description, and on the formal track the identity. */
function submitRules(agency: AgencyPicker, report: ReturnType<typeof reportFields>, track: ReturnType<typeof trackChoice>): Rule[] {
  const rules: Rule[] = [
    { control: agency.select, message: 'agency.required', valid: () => agency.chosen() !== undefined },
    { control: report.what, message: 'report.whatRequired', valid: () => report.what.value.trim() !== '' },
  ];
  if (track.formal()) {
    for (const control of track.identityFields) rules.push({ control, message: 'identity.required', valid: () => control.value.trim() !== '' });
  }
  return rules;
}

export interface SubmitView {
  element: HTMLElement;
  /** Settles once the agency list is in. */
  listed: Promise<void>;
}

export function submitView(backend: BackendSource, onFollowUp: (receipt: string) => void): SubmitView {
  const track = trackChoice();
  // Whether the chosen agency's keys checked out: only then is anything asked of the server.
  let trusted = false;
  const agency = agencyPicker(backend, (trust) => {
    track.setTrust(trust);
    trusted = trust !== undefined && trust.state !== 'refused';
    solveAhead();
  });
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
  const validation = liveValidation(form, errors, () => submitRules(agency, report, track));
  // The proof of work is solved while the person writes, not after "send" (sdk.ts); for
  // an agency the page refused, nothing is asked at all.
  function solveAhead(): void {
    if (trusted) void backend().then(solvePowAhead, () => {});
  }
  // Not on the agency's own select: its input comes before its check, under the last one's verdict.
  form.addEventListener('input', (e) => { if (e.target !== agency.select) solveAhead(); });

  function showReceipt(submitted: Submitted, uploads: UploadPanel | undefined): void {
    const panel = receiptPanel(submitted, () => onFollowUp(submitted.receipt));
    if (uploads) panel.querySelector('.warning')?.after(uploads.element);
    // A fresh page is the only clean slate: nothing of this report stays in memory.
    panel.append(h('div', { class: 'actions no-print' }, button('receipt.another', () => location.reload())));
    form.replaceWith(panel);
    title.hidden = true;
    intro.hidden = true;
    panel.querySelector<HTMLElement>('h2')?.focus();
  }

  async function run(): Promise<void> {
    const chosen = agency.chosen();
    if (!validation.check() || !chosen) return;
    send.disabled = true;
    files.lock(true);
    spinner.hidden = false;
    let uploads: UploadPanel | undefined;
    const stored = (submitted: Submitted) => {
      spinner.hidden = true;
      progress.replaceChildren();
      uploads = files.picked().length > 0 ? uploadPanel(backend, files) : undefined;
      showReceipt(submitted, uploads);
    };
    try {
      const be = await backend();
      await submitReport(be, {
        agency: chosen,
        report: report.values(),
        identity: track.identity(),
        files: files.picked(),
        onStep: (step) => say(progress, STEP_KEYS[step]),
        onStored: stored,
        onPow: pow.update,
      });
      uploads?.finished();
    } catch (err) {
      if (err instanceof PartialSubmitError) {
        // Only an upload can be cut off, after onStored: the receipt and the files are on screen.
        uploads?.cutOff(err.receipt, err.cause);
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
