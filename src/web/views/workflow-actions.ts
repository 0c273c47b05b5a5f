import { button, field, h, liveRegion, say, tx, uid } from '../dom.js';
import { explain } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import type { OpenedCase } from '../sdk.js';
import { receiptPanel } from './receipt.js';

// Protection request (Law ch. VI, urgent path), retaliation report (Art. 8) and
// withdrawal (Art. 33): each a collapsible section, offered only when the server has it.

function section(titleKey: MessageKey, explainKey: MessageKey, ...content: HTMLElement[]): HTMLDetailsElement {
  return h('details', { class: 'card workflow' }, tx('summary', titleKey), tx('p', explainKey, undefined, { class: 'hint' }), ...content);
}

function textArea(): HTMLTextAreaElement {
  return h('textarea', { rows: '3', autocomplete: 'off', spellcheck: 'false' });
}

function checkbox(labelKey: MessageKey): { box: HTMLInputElement; wrap: HTMLElement } {
  const id = uid('cb');
  const box = h('input', { type: 'checkbox', id });
  return { box, wrap: h('div', { class: 'choice' }, box, tx('label', labelKey, undefined, { for: id })) };
}

/** Runs one request with the button disabled; reports success or the reason it failed. */
function action(sendKey: MessageKey, sentKey: MessageKey, run: () => Promise<boolean>, after: () => Promise<void>) {
  const status = liveRegion();
  const send = button(sendKey, () => {
    send.disabled = true;
    run().then(
      async (done) => {
        if (done) {
          say(status, sentKey, undefined, 'ok');
          await after();
        }
      },
      (err: unknown) => {
        const { key, params } = explain(err);
        say(status, key, params, 'error');
      },
    ).finally(() => {
      send.disabled = false;
    });
  });
  return { send, status };
}

function protection(opened: OpenedCase, refresh: () => Promise<void>): HTMLElement {
  const reasons = textArea();
  const measures = textArea();
  const urgent = checkbox('protection.urgent');
  const request = opened.requestProtection;
  if (!request) return section('protection.title', 'protection.explain', tx('p', 'workflow.unavailable'));
  const { send, status } = action('protection.send', 'protection.sent', async () => {
    if (!reasons.value.trim()) {
      reasons.focus();
      return false;
    }
    await request({ reasons: reasons.value, measures: measures.value, urgent: urgent.box.checked });
    reasons.value = '';
    measures.value = '';
    return true;
  }, refresh);
  return section('protection.title', 'protection.explain', field('protection.reasons', reasons), field('protection.measures', measures), urgent.wrap, send, status);
}

function retaliation(opened: OpenedCase, refresh: () => Promise<void>): HTMLElement {
  const what = textArea();
  const report = opened.reportRetaliation;
  if (!report) return section('retaliation.title', 'retaliation.explain', tx('p', 'workflow.unavailable'));
  const newReceipt = h('div', { class: 'new-receipt' });
  const { send, status } = action('retaliation.send', 'retaliation.sent', async () => {
    if (!what.value.trim()) {
      what.focus();
      return false;
    }
    const filed = await report({ description: what.value });
    what.value = '';
    // The report is a case of its own: its receipt is shown once, like the first one.
    newReceipt.replaceChildren(receiptPanel(filed.receipt, filed.publicNumber));
    return true;
  }, refresh);
  return section('retaliation.title', 'retaliation.explain', field('retaliation.what', what), send, status, newReceipt);
}

function withdrawal(opened: OpenedCase, refresh: () => Promise<void>): HTMLElement {
  const reason = textArea();
  const confirm = checkbox('withdraw.confirm');
  const withdraw = opened.withdraw;
  if (!withdraw) return section('withdraw.title', 'withdraw.explain', tx('p', 'workflow.unavailable'));
  const { send, status } = action('withdraw.send', 'withdraw.sent', async () => {
    if (!confirm.box.checked) {
      confirm.box.focus();
      return false;
    }
    await withdraw({ reason: reason.value });
    return true;
  }, refresh);
  return section('withdraw.title', 'withdraw.explain', field('withdraw.reason', reason), confirm.wrap, send, status);
}

export function workflowActions(opened: OpenedCase, refresh: () => Promise<void>): HTMLElement {
  return h('div', { class: 'workflow-actions' }, protection(opened, refresh), retaliation(opened, refresh), withdrawal(opened, refresh));
}
