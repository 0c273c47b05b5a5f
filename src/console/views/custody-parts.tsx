import type { IdentityRequest } from '../../client/staff-identity.js';
import { formatDay, t } from '../i18n/index.js';
import { personName, type ConsoleSession } from '../session.js';

// Pieces the request list and its panels share.

/** A colleague by the name the verified bundle signs, beside the staff id the checks are made on. */
export function Person({ s, id }: { s: ConsoleSession; id: string }) {
  const name = personName(s, id);
  return <><span class="name">{name}</span> <code class="staff-id">{id}</code></>;
}

export const subjectText = (r: Pick<IdentityRequest, 'subject'>) => t(r.subject === 'protection' ? 'custody.subject.protection' : 'custody.subject.identity');

/** The day of an ISO timestamp, in the reader's language. */
export const day = (iso: string) => <time dateTime={iso.slice(0, 10)}>{formatDay(iso.slice(0, 10))}</time>;
