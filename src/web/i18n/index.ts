import { en } from './en.js';
import { vi, type MessageKey } from './vi.js';
import { formatDayIn, formatSize } from './format.js';

export type { MessageKey } from './vi.js';
export type Language = 'vi' | 'en';
export type Params = Record<string, string | number>;

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { vi, en };

let current: Language = 'vi';

export function language(): Language {
  return current;
}

/** The string for `key` in the current language, with `{name}` filled from params. */
export function t(key: MessageKey, params: Params = {}): string {
  return tIn(current, key, params);
}

/** The string for `key` in a given language (the printed slip carries both). */
export function tIn(lang: Language, key: MessageKey, params: Params = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Whether the catalogue has `key` (a state or kind named by the server, say). */
export function isKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

/**
 * Text-bearing elements carry their key (and parameters) in data attributes, so a
 * language switch re-translates the page in place without re-rendering it: what the
 * denouncer has typed stays where it is.
 */
export function translate(el: HTMLElement, key: MessageKey, params?: Params, attribute?: string): void {
  el.dataset['i18n'] = key;
  if (params) el.dataset['i18nParams'] = JSON.stringify(params);
  else delete el.dataset['i18nParams'];
  if (attribute) el.dataset['i18nAttr'] = attribute;
  apply(el);
}

function apply(el: HTMLElement): void {
  const key = el.dataset['i18n'] as MessageKey | undefined;
  if (!key || !(key in vi)) return;
  const params = el.dataset['i18nParams'] ? (JSON.parse(el.dataset['i18nParams']) as Params) : {};
  const attribute = el.dataset['i18nAttr'];
  if (attribute) el.setAttribute(attribute, t(key, params));
  else el.textContent = t(key, params);
}

export function setLanguage(next: Language, root: ParentNode = document): void {
  current = next;
  document.documentElement.lang = next;
  document.title = t('app.title');
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) apply(el);
  for (const el of root.querySelectorAll<HTMLTimeElement>('time[datetime]')) el.textContent = formatDay(el.dateTime);
}

export function formatDay(isoDay: string): string {
  return formatDayIn(current, isoDay);
}

export { formatDayIn, formatSize };
