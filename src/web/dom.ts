import { translate, type MessageKey, type Params } from './i18n/index.js';

// The page builds its DOM with createElement and textContent only: no innerHTML, so
// nothing the server or a staff member sends can ever become markup or script.

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** An element whose text is a catalogue entry, re-translated on a language switch. */
export function tx<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  key: MessageKey,
  params?: Params,
  attrs: Attrs = {},
): HTMLElementTagNameMap[K] {
  const el = h(tag, attrs);
  translate(el, key, params);
  return el;
}

let nextId = 0;
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled field: label, control, optional hint, wired with for/aria-describedby. */
export function field(
  labelKey: MessageKey,
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hintKey?: MessageKey,
): HTMLDivElement {
  control.id ||= uid('f');
  const label = tx('label', labelKey, undefined, { for: control.id });
  const wrap = h('div', { class: 'field' }, label);
  if (hintKey) {
    const hint = tx('p', hintKey, undefined, { class: 'hint', id: uid('hint') });
    control.setAttribute('aria-describedby', hint.id);
    wrap.append(hint);
  }
  wrap.append(control);
  return wrap;
}

/** A polite live region: step and result messages are announced to screen readers. */
export function liveRegion(className = 'status'): HTMLDivElement {
  return h('div', { class: className, role: 'status', 'aria-live': 'polite' });
}

export function say(region: HTMLElement, key: MessageKey, params?: Params, tone: 'info' | 'error' | 'ok' | 'warn' = 'info'): void {
  region.replaceChildren(tx('p', key, params, { class: `msg msg-${tone}` }));
}

export function button(key: MessageKey, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = tx('button', key, undefined, { type: 'button', ...attrs });
  b.addEventListener('click', onClick);
  return b;
}
