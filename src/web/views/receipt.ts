import { button, h, liveRegion, say, tx, uid } from '../dom.js';

// The receipt, shown once. It is the denouncer's only key to the case and is stored
// nowhere (not in storage, the URL or history), so the panel says so plainly and
// offers copy and print; continuing needs an explicit "I have written it down".

export function receiptPanel(receipt: string, publicNumber: string | undefined, onContinue?: () => void): HTMLElement {
  const groups = receipt.split('-');
  const code = h(
    'p',
    { class: 'receipt-code', id: uid('receipt'), translate: 'no' },
    ...groups.flatMap((g, i) => [h('span', { class: 'receipt-group' }, g), i < groups.length - 1 ? h('span', { class: 'receipt-sep', 'aria-hidden': 'true' }, '-') : null]),
  );
  const codeLabel = tx('p', 'receipt.codeLabel', undefined, { class: 'receipt-label' });
  code.setAttribute('aria-describedby', codeLabel.id || (codeLabel.id = uid('lbl')));
  const status = liveRegion();
  const copy = button('receipt.copy', () => {
    void copyReceipt(receipt, code).then((ok) => say(status, ok ? 'receipt.copied' : 'receipt.copyFailed', undefined, ok ? 'ok' : 'error'));
  });
  const print = button('receipt.print', () => window.print());
  const confirmId = uid('confirm');
  const confirm = h('input', { type: 'checkbox', id: confirmId });
  const next = button('receipt.continue', () => onContinue?.(), { class: 'primary', disabled: true });
  confirm.addEventListener('change', () => {
    next.disabled = !confirm.checked;
  });
  const title = tx('h2', 'receipt.title', undefined, { tabindex: '-1' });
  const panel = h(
    'section',
    { class: 'card receipt-panel', 'aria-labelledby': title.id || (title.id = uid('h')) },
    title,
    publicNumber ? tx('p', 'receipt.number', { number: publicNumber }, { class: 'public-number' }) : null,
    codeLabel,
    code,
    tx('p', 'receipt.warning', undefined, { class: 'warning', role: 'note' }),
    h('div', { class: 'actions no-print' }, copy, print),
    status,
    onContinue ? h('div', { class: 'choice no-print' }, confirm, tx('label', 'receipt.confirm', undefined, { for: confirmId })) : null,
    onContinue ? h('div', { class: 'actions no-print' }, next) : null,
  );
  return panel;
}

async function copyReceipt(receipt: string, code: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(receipt);
    return true;
  } catch {
    // No clipboard API (insecure context, denied): select the code for a manual copy.
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return false;
  }
}
