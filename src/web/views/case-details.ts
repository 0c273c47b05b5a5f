import { button, field, h, liveRegion, say, tx } from '../dom.js';
import { explain } from '../errors.js';
import { formatDay, isKey } from '../i18n/index.js';
import type { CaseSummary, OpenedCase } from '../sdk.js';
import { filePicker } from './files.js';
import { workflowActions } from './workflow-actions.js';

// One opened case: kind, status and what it means, deadline, timeline, messages (both
// ways), more files, and the workflow requests. Message text is placed with textContent
// only. States and kinds are named from the catalogue, which test/web/i18n.test.ts holds
// to every state and kind of the domain; one the page does not know is shown as a code.

function statusText(status: string): HTMLElement {
  const key = `status.${status}`;
  return isKey(key) ? tx('span', key) : tx('span', 'status.unknown', { status });
}

function kindText(kind: string): HTMLElement {
  const key = `kind.${kind}`;
  return isKey(key) ? tx('span', key) : tx('span', 'kind.unknown', { kind });
}

/** The state in plain words, with what its deadline means. */
function explanation(prefix: 'status' | 'kind', value: string): HTMLElement | null {
  const key = `${prefix}.${value}.explain`;
  return isKey(key) ? tx('p', key, undefined, { class: 'hint' }) : null;
}

function overview(summary: CaseSummary): HTMLElement {
  const timeline = h('ol', { class: 'timeline' });
  for (const event of summary.timeline) {
    const label = event.status
      ? tx('span', 'event.transition')
      : tx('span', event.kind === 'created' ? 'event.created' : 'event.other', { kind: event.kind });
    timeline.append(h('li', {}, h('time', { datetime: event.day }, formatDay(event.day)), ' ', label, event.status ? ' ' : null, event.status ? statusText(event.status) : null));
  }
  return h(
    'div',
    { class: 'card overview' },
    summary.publicNumber ? tx('h3', 'followup.caseNumber', { number: summary.publicNumber }, { tabindex: '-1' }) : null,
    h('p', { class: 'case-kind' }, tx('span', 'followup.kind'), ' ', kindText(summary.kind)),
    explanation('kind', summary.kind),
    h('p', { class: 'case-status' }, tx('span', 'followup.status'), ' ', statusText(summary.status)),
    explanation('status', summary.status),
    summary.deadline
      ? h('p', { class: 'deadline' }, tx('span', 'followup.deadline'), ' ', h('time', { datetime: summary.deadline }, formatDay(summary.deadline)))
      : tx('p', 'followup.noDeadline'),
    tx('h4', 'followup.timeline'),
    summary.timeline.length ? timeline : tx('p', 'followup.timelineEmpty', undefined, { class: 'hint' }),
  );
}

const REPORT_FIELDS = [
  ['who', 'report.who'],
  ['what', 'report.what'],
  ['when', 'report.when'],
  ['where', 'report.where'],
  ['evidence', 'report.evidence'],
] as const;

function downloadButton(opened: OpenedCase, a: { attachmentId: string; name: string }): HTMLElement {
  const b = tx('button', 'followup.download', { name: a.name }, { type: 'button', class: 'link' });
  b.addEventListener('click', () => void saveFile(opened, a.attachmentId, a.name));
  return h('p', { class: 'attachment' }, b);
}

/** The denouncer's own report, so they can check what the agency received. */
function yourReport(opened: OpenedCase, summary: CaseSummary, open: boolean): HTMLElement {
  const list = h('dl', { class: 'your-report' });
  for (const [field, key] of REPORT_FIELDS) {
    const value = summary.report.fields[field];
    if (value) list.append(tx('dt', key), h('dd', {}, value));
  }
  return h(
    'details',
    { class: 'card', open },
    tx('summary', 'followup.yourReport'),
    list,
    ...summary.report.attachments.map((a) => downloadButton(opened, a)),
  );
}

function messageList(opened: OpenedCase, summary: CaseSummary): HTMLElement {
  const list = h('ol', { class: 'messages' });
  for (const m of summary.messages) {
    const files = m.attachments.map((a) => downloadButton(opened, a));
    list.append(
      h(
        'li',
        { class: m.fromDenouncer ? 'message mine' : 'message theirs' },
        h('p', { class: 'meta' }, tx('strong', m.fromDenouncer ? 'followup.fromYou' : 'followup.fromAgency'), ' · ', h('time', { datetime: m.day }, formatDay(m.day))),
        h('p', { class: 'body' }, m.text),
        ...files,
      ),
    );
  }
  return summary.messages.length ? list : tx('p', 'followup.messagesEmpty', undefined, { class: 'hint' });
}

async function saveFile(opened: OpenedCase, attachmentId: string, name: string): Promise<void> {
  const blob = await opened.download(attachmentId);
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function composer(opened: OpenedCase, refresh: () => Promise<void>): HTMLElement {
  const text = h('textarea', { rows: '4', autocomplete: 'off', spellcheck: 'false' });
  const files = filePicker('followup.addFiles');
  const status = liveRegion();
  const send = button('followup.send', () => void run(), { class: 'primary' });
  async function run(): Promise<void> {
    const picked = files.picked();
    if (!text.value.trim() && picked.length === 0) return;
    send.disabled = true;
    files.lock(true);
    try {
      await opened.reply(text.value, picked);
      text.value = '';
      files.clear();
      say(status, 'followup.sent', undefined, 'ok');
      await refresh();
    } catch (err) {
      const { key, params } = explain(err);
      say(status, key, params, 'error');
    } finally {
      send.disabled = false;
      files.lock(false);
    }
  }
  return h('div', { class: 'card composer' }, field('followup.reply', text), files.element, send, status);
}

export function caseDetails(opened: OpenedCase, close: () => void): HTMLElement {
  const body = h('div', { class: 'case-body' });
  const status = liveRegion();
  async function refresh(): Promise<void> {
    try {
      const summary = await opened.summary();
      const reportOpen = body.querySelector('details')?.open ?? false;
      body.replaceChildren(
        overview(summary),
        yourReport(opened, summary, reportOpen),
        h('div', { class: 'card' }, tx('h4', 'followup.messages'), messageList(opened, summary)),
      );
    } catch (err) {
      const { key, params } = explain(err);
      say(status, key, params, 'error');
    }
  }
  const toolbar = h(
    'div',
    { class: 'actions' },
    button('followup.refresh', () => void refresh()),
    button('followup.close', close, { class: 'secondary' }),
  );
  void refresh();
  return h('div', {}, toolbar, status, body, composer(opened, refresh), workflowActions(opened, refresh));
}
