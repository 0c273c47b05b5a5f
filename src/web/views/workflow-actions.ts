import { button, field, h, liveRegion, say, tx, uid } from '../dom.js';
import { explain } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import type { OpenedCase } from '../sdk.js';
import { receiptPanel } from './receipt.js';

// Protection request (Law ch. VI, urgent path), retaliation report (Art. 8) and
// withdrawal (Art. 33): each a collapsible section, offered only when the server has it.
// A withdrawal is a letter (form 02): all of the denunciation or the part it names,
// sealed on this device; the server learns only which of the two.

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
    // The report is a case of its own: its receipt is shown once, like the first one, with
    // why the first receipt cannot follow it (docs/WEB.md, "Retaliation reports").
    const panel = receiptPanel(filed);
    panel.querySelector('.receipt-code')?.after(tx('p', 'retaliation.secondCode', undefined, { class: 'msg msg-warn second-code' }));
    newReceipt.replaceChildren(panel);
    return true;
  }, refresh);
  return section('retaliation.title', 'retaliation.explain', field('retaliation.what', what), send, status, newReceipt);
}

/** Two radio buttons, all (checked) or part, in a labelled group. */
function scopeChoice(): { all: HTMLInputElement; wrap: HTMLElement } {
  const name = uid('scope');
  const option = (value: 'all' | 'part', labelKey: MessageKey) => {
    const box = h('input', { type: 'radio', name, value, id: uid('scope'), checked: value === 'all' });
    return { box, wrap: h('div', { class: 'choice' }, box, tx('label', labelKey, undefined, { for: box.id })) };
  };
  const all = option('all', 'withdraw.all');
  const part = option('part', 'withdraw.part');
  return { all: all.box, wrap: h('fieldset', {}, tx('legend', 'withdraw.scope'), all.wrap, part.wrap) };
}

function withdrawal(opened: OpenedCase, refresh: () => Promise<void>): HTMLElement {
  const scope = scopeChoice();
  const letter = textArea();
  const confirm = checkbox('withdraw.confirm');
  const withdraw = opened.withdraw;
  if (!withdraw) return section('withdraw.title', 'withdraw.explain', tx('p', 'workflow.unavailable'));
  const { send, status } = action('withdraw.send', 'withdraw.sent', async () => {
    const all = scope.all.checked;
    // A part is withdrawn by naming it: without that the letter says nothing the agency can act on.
    if (!all && !letter.value.trim()) {
      letter.focus();
      return false;
    }
    if (!confirm.box.checked) {
      confirm.box.focus();
      return false;
    }
    await withdraw({ scope: all ? 'all' : 'part', letter: letter.value });
    letter.value = '';
    confirm.box.checked = false;
    return true;
  }, refresh);
  return section('withdraw.title', 'withdraw.explain', scope.wrap, field('withdraw.letter', letter, 'withdraw.letterHint'), confirm.wrap, send, status);
}

export function workflowActions(opened: OpenedCase, refresh: () => Promise<void>): HTMLElement {
  return h('div', { class: 'workflow-actions' }, protection(opened, refresh), retaliation(opened, refresh), withdrawal(opened, refresh));
}
