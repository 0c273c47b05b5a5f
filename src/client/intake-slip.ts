import { formatDayIn, tIn, type Language } from '../web/i18n/index.js';
import type { StaffClient } from './staff.js';

// The printed slip an intake officer hands the person whose denunciation was received
// in person or by letter: the same fields and words as the page's printed receipt
// (src/web/views/slip.ts), Vietnamese first with English beside — the receipt code, the
// public number, the agency, the site to follow the case on, the day (never a time) and
// how to follow it. Nothing of what was reported is on it. One layout for the CLI's
// plain text and the console's printed page.

export interface SlipFields { receipt: string; publicNumber: string; agencyName: string; site: string; receivedOn: string }

/**
 * The agency as the slip names it: the server's name for it, which nothing signs, beside
 * the slug the verified bundle signs, so a server cannot hand the person a slip that
 * passes for another agency's.
 */
export async function slipAgency(client: StaffClient): Promise<string> {
  const verified = await client.verifiedBundle();
  const name = (await client.bundle().catch(() => null))?.name?.trim();
  return name ? `${name} (${verified.agencySlug})` : verified.agencySlug;
}

/** A line in both languages, Vietnamese first. */
export interface Bilingual { vi: string; en: string }
export type SlipField = 'code' | 'number' | 'agency' | 'site' | 'day';
export interface Slip { title: Bilingual; rows: { field: SlipField; label: Bilingual; value: string }[]; follow: Bilingual; secret: Bilingual }

const LANGUAGES: readonly Language[] = ['vi', 'en'];
type Key = Parameters<typeof tIn>[1];
const both = (key: Key, params?: Record<string, string>): Bilingual => ({ vi: tIn('vi', key, params), en: tIn('en', key, params) });

export function intakeSlip(s: SlipFields): Slip {
  const row = (field: SlipField, value: string) => ({ field, label: both(`slip.${field}` as Key), value });
  return {
    title: both('slip.title'),
    rows: [
      row('code', s.receipt), row('number', s.publicNumber), row('agency', s.agencyName), row('site', s.site),
      row('day', LANGUAGES.map((lang) => formatDayIn(lang, s.receivedOn)).join(' · ')),
    ],
    follow: both('slip.follow', { site: s.site }),
    secret: both('slip.secret'),
  };
}

/** The slip as plain text, ready to print on a plain-text printer or paste into a letter. */
export function intakeSlipText(s: SlipFields): string {
  const slip = intakeSlip(s);
  const rule = '-'.repeat(72);
  const pair = (b: Bilingual) => `${b.vi} · ${b.en}`;
  return [
    rule,
    pair(slip.title),
    rule,
    ...slip.rows.map((r) => `${pair(r.label)}:\n    ${r.value}`),
    '',
    slip.follow.vi, slip.follow.en,
    '',
    slip.secret.vi, slip.secret.en,
    rule,
    '',
  ].join('\n');
}
