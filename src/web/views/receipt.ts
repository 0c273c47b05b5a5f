import { button, h, liveRegion, say, tx, uid } from '../dom.js';
import type { Submitted } from '../sdk.js';
import { receiptSlip } from './slip.js';

// The receipt, shown once. It is the denouncer's only key to the case and is stored
// nowhere (not in storage, the URL or history), so the panel says so plainly and
// offers copy and print; continuing needs an explicit "I have written it down". The
// code is shown (it must be copied) but can be hidden from someone looking over a
// shoulder; copying and printing still give the code itself.

const MASK = '•••••';

export function receiptPanel(submitted: Submitted, onContinue?: () => void): HTMLElement {
  const { receipt, publicNumber } = submitted;
  const groups = receipt.split('-');
  const groupSpans = groups.map((g) => h('span', { class: 'receipt-group' }, g));
  const code = h(
    'p',
    { class: 'receipt-code', id: uid('receipt'), translate: 'no' },
    ...groupSpans.flatMap((g, i) => [g, i < groups.length - 1 ? h('span', { class: 'receipt-sep', 'aria-hidden': 'true' }, '-') : null]),
  );
  const codeLabel = tx('p', 'receipt.codeLabel', undefined, { class: 'receipt-label' });
  code.setAttribute('aria-describedby', codeLabel.id || (codeLabel.id = uid('lbl')));
  const status = liveRegion();
  const copy = button('receipt.copy', () => {
    void copyReceipt(receipt, code, () => hide.getAttribute('aria-pressed') === 'true' && hide.click()).then((ok) => say(status, ok ? 'receipt.copied' : 'receipt.copyFailed', undefined, ok ? 'ok' : 'error'));
  });
  const hide = button('receipt.hide', () => {
    const masked = hide.getAttribute('aria-pressed') !== 'true';
    hide.setAttribute('aria-pressed', String(masked));
    code.classList.toggle('masked', masked);
    groupSpans.forEach((span, i) => (span.textContent = masked ? MASK : groups[i]!));
  }, { 'aria-pressed': 'false', 'aria-controls': code.id });
  const print = button('receipt.print', () => window.print());
  const confirmId = uid('confirm');
  const confirm = h('input', { type: 'checkbox', id: confirmId });
  const next = button('receipt.continue', () => onContinue?.(), { class: 'primary', disabled: true });
  confirm.addEventListener('change', () => {
    next.disabled = !confirm.checked;
  });
  const title = tx('h2', 'receipt.title', undefined, { tabindex: '-1' });
  return h(
    'section',
    { class: 'card receipt-panel', 'aria-labelledby': title.id || (title.id = uid('h')) },
    title,
    tx('p', 'receipt.number', { number: publicNumber }, { class: 'public-number' }),
    codeLabel,
    code,
    tx('p', 'receipt.warning', undefined, { class: 'warning', role: 'note' }),
    h('div', { class: 'actions no-print' }, copy, hide, print),
    status,
    onContinue ? h('div', { class: 'choice no-print' }, confirm, tx('label', 'receipt.confirm', undefined, { for: confirmId })) : null,
    onContinue ? h('div', { class: 'actions no-print' }, next) : null,
    receiptSlip(submitted),
  );
}

async function copyReceipt(receipt: string, code: HTMLElement, reveal: () => void): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(receipt);
    return true;
  } catch {
    // No clipboard API (insecure context, denied): select the code, in clear, for a manual copy.
    reveal();
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return false;
  }
}
