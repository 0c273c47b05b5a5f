import { normalizeReceipt } from '../../protocol/index.js';
import type { BackendSource } from '../backend.js';
import { button, field, h, liveRegion, say, tx } from '../dom.js';
import { explain } from '../errors.js';
import { openByReceipt } from '../opened-case.js';
import type { OpenedCase } from '../sdk.js';
import { caseDetails } from './case-details.js';

// Follow-up: the denouncer types the receipt; a typo is caught by the check symbol
// here, before any request. The receipt then lives only inside the opened case's
// closure and the input is cleared; "close" drops it.
//
// The field is masked by default (the page may be used on a shared device, in front of
// others) with a "show" toggle. It stays a text field masked by CSS rather than a
// password field: a browser offers to save what is typed into a password field, and a
// saved receipt would be a trace on the device, and a key to the case, that the page
// promises not to leave. Where the browser cannot mask a text field, no toggle is
// offered, rather than one that promises a mask it does not draw.

/** A show/hide toggle for the receipt field, or null where the browser cannot mask it. */
function maskToggle(input: HTMLInputElement): HTMLButtonElement | null {
  if (typeof CSS === 'undefined' || !CSS.supports('-webkit-text-security', 'disc')) return null;
  input.classList.add('masked');
  const toggle = button('followup.showReceipt', () => {
    const shown = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(shown));
    input.classList.toggle('masked', !shown);
  }, { class: 'secondary', 'aria-pressed': 'false', 'aria-controls': input.id });
  return toggle;
}

export interface FollowUpView {
  element: HTMLElement;
  openWith(receipt: string): Promise<void>;
}

export function followUpView(backend: BackendSource): FollowUpView {
  const input = h('input', {
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    inputmode: 'text',
    class: 'receipt-input',
    translate: 'no',
  });
  const receiptField = field('followup.receiptLabel', input, 'followup.receiptHint');
  const toggle = maskToggle(input);
  if (toggle) receiptField.append(toggle);
  const status = liveRegion();
  const open = button('followup.open', () => void fromInput(), { class: 'primary' });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') void fromInput();
  });
  const entry = h('div', { class: 'card receipt-entry' }, receiptField, open, status);
  const details = h('div', { class: 'case' });
  const title = tx('h2', 'followup.title', undefined, { tabindex: '-1' });
  const element = h('section', { class: 'view', 'data-view-section': 'followUp' }, title, entry, details);
  let current: OpenedCase | undefined;

  function close(): void {
    current?.forget();
    current = undefined;
    details.replaceChildren();
    entry.hidden = false;
    // Closing puts the mask back, for whoever uses the device next.
    if (toggle?.getAttribute('aria-pressed') === 'true') toggle.click();
    input.focus();
  }

  async function openWith(typed: string): Promise<void> {
    input.removeAttribute('aria-invalid');
    let receipt: string;
    try {
      receipt = normalizeReceipt(typed);
    } catch {
      input.setAttribute('aria-invalid', 'true');
      say(status, 'followup.typo', undefined, 'error');
      input.focus();
      return;
    }
    say(status, 'followup.opening');
    open.disabled = true;
    try {
      current?.forget();
      current = await openByReceipt(await backend(), receipt);
      input.value = '';
      status.replaceChildren();
      entry.hidden = true;
      details.replaceChildren(caseDetails(current, close));
      details.querySelector<HTMLElement>('h3')?.focus();
    } catch (err) {
      const { key, params } = explain(err);
      say(status, key, params, 'error');
    } finally {
      open.disabled = false;
    }
  }

  async function fromInput(): Promise<void> {
    await openWith(input.value);
  }

  return { element, openWith };
}
