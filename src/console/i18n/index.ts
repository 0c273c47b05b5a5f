import { en } from './en.js';
import { vi, type MessageKey } from './vi.js';
import { formatDayIn, formatSize } from '../../web/i18n/format.js';

export type { MessageKey } from './vi.js';
export type Language = 'vi' | 'en';
export type Params = Record<string, string | number>;

const CATALOGUES: Record<Language, Record<MessageKey, string>> = { vi, en };

// The language is app state (app.tsx re-renders on a switch); this holds the current one
// so that views can call t() without threading it through every component.
let current: Language = 'vi';

export function setLanguage(next: Language): void {
  current = next;
  document.documentElement.lang = next;
  document.title = t('app.title');
}

export function t(key: MessageKey, params: Params = {}): string {
  return CATALOGUES[current][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A key built from data (a status, a kind), or its fallback with the raw value. */
export function tOr(key: string, fallback: MessageKey, params: Params): string {
  return key in vi ? t(key as MessageKey, params) : t(fallback, params);
}

export function formatDay(isoDay: string): string {
  return formatDayIn(current, isoDay);
}

/** A report figure: a count as it is, a decimal (million đồng) with the language's decimal mark (vi: 75,5). */
export function formatFigure(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return new Intl.NumberFormat(current === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 6, useGrouping: false }).format(value);
}

export { formatSize };
