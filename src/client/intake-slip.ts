import { formatDayIn, tIn, type Language } from '../web/i18n/index.js';

// The printed slip an intake officer hands the person whose denunciation was received
// in person or by letter: the same fields and words as the page's printed receipt
// (src/web/views/slip.ts), Vietnamese first with English beside — the receipt code, the
// public number, the agency, the site to follow the case on, the day (never a time) and
// how to follow it. Nothing of what was reported is on it.

export interface SlipFields { receipt: string; publicNumber: string; agencyName: string; site: string; receivedOn: string }

const LANGUAGES: readonly Language[] = ['vi', 'en'];
const both = (key: Parameters<typeof tIn>[1]) => LANGUAGES.map((lang) => tIn(lang, key)).join(' · ');

/** The slip as plain text, ready to print on a plain-text printer or paste into a letter. */
export function intakeSlipText(s: SlipFields): string {
  const rule = '-'.repeat(72);
  const row = (key: Parameters<typeof tIn>[1], value: string) => `${both(key)}:\n    ${value}`;
  return [
    rule,
    both('slip.title'),
    rule,
    row('slip.code', s.receipt),
    row('slip.number', s.publicNumber),
    row('slip.agency', s.agencyName),
    row('slip.site', s.site),
    row('slip.day', LANGUAGES.map((lang) => formatDayIn(lang, s.receivedOn)).join(' · ')),
    '',
    ...LANGUAGES.map((lang) => tIn(lang, 'slip.follow', { site: s.site })),
    '',
    ...LANGUAGES.map((lang) => tIn(lang, 'slip.secret')),
    rule,
    '',
  ].join('\n');
}
