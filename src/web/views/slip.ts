import { h } from '../dom.js';
import { formatDayIn, tIn, type Language, type MessageKey, type Params } from '../i18n/index.js';
import type { Submitted } from '../sdk.js';

// The printed receipt: what someone needs to find the case again months later, on paper,
// in both languages whatever the page was set to: the code, the public number, the agency,
// the address of the site they used (the onion or public address the page was loaded
// from) and how to follow the case there. The day is the server's day of receipt, never a
// time (no exact time of a denouncer's act is kept, on paper either). Nothing of what was
// reported is on it. Hidden on screen; the only thing the print stylesheet prints.

const LANGUAGES: readonly Language[] = ['vi', 'en'];

/** One line in both languages, each marked with its language for a reader that speaks it. */
function both(tag: 'dt' | 'p' | 'h2', key: MessageKey, params?: Params): HTMLElement {
  return h(tag, {}, ...LANGUAGES.flatMap((lang, i) => [i > 0 ? ' · ' : null, h('span', { lang }, tIn(lang, key, params))]));
}

export function receiptSlip(submitted: Submitted): HTMLElement {
  const site = location.origin;
  const day = LANGUAGES.map((lang) => formatDayIn(lang, submitted.receivedOn)).join(' · ');
  return h(
    'div',
    { class: 'slip', translate: 'no' },
    both('h2', 'slip.title'),
    h(
      'dl',
      {},
      both('dt', 'slip.code'),
      h('dd', { class: 'slip-code' }, submitted.receipt),
      both('dt', 'slip.number'),
      h('dd', { class: 'slip-number' }, submitted.publicNumber),
      both('dt', 'slip.agency'),
      h('dd', { class: 'slip-agency' }, submitted.agencyName),
      both('dt', 'slip.site'),
      h('dd', { class: 'slip-site' }, site),
      both('dt', 'slip.day'),
      h('dd', { class: 'slip-day' }, day),
    ),
    ...LANGUAGES.map((lang) => h('p', { lang, class: 'slip-follow' }, tIn(lang, 'slip.follow', { site }))),
    ...LANGUAGES.map((lang) => h('p', { lang, class: 'slip-secret' }, tIn(lang, 'slip.secret'))),
  );
}
