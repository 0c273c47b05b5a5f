import { h, field, tx, uid } from '../dom.js';
import type { AgencyTrust } from '../agencies.js';
import { translate, type MessageKey } from '../i18n/index.js';

// The guided fields of a report (who, what, when, where, evidence) and the choice of
// track (anonymous tip or formal denunciation, LEGAL.md "Two tracks").

export interface ReportFields {
  element: HTMLFieldSetElement;
  values(): { who: string; what: string; when: string; where: string; evidence: string };
  what: HTMLTextAreaElement;
}

function textarea(rows: number): HTMLTextAreaElement {
  return h('textarea', { rows: String(rows), autocomplete: 'off', spellcheck: 'false' });
}

function input(): HTMLInputElement {
  return h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false' });
}

export function reportFields(): ReportFields {
  const who = textarea(2);
  const what = textarea(6);
  what.required = true;
  what.setAttribute('aria-required', 'true');
  const when = input();
  const where = input();
  const evidence = textarea(4);
  const element = h(
    'fieldset',
    { class: 'card' },
    tx('legend', 'report.legend'),
    tx('p', 'report.hint', undefined, { class: 'hint' }),
    field('report.who', who),
    field('report.what', what),
    field('report.when', when),
    field('report.where', where),
    field('report.evidence', evidence),
  );
  return {
    element,
    what,
    values: () => ({ who: who.value, what: what.value, when: when.value, where: where.value, evidence: evidence.value }),
  };
}

export interface Identity {
  name: string;
  address: string;
  contact: string;
}

export interface TrackChoice {
  element: HTMLFieldSetElement;
  /** The identity when the formal track is chosen, undefined for an anonymous tip. */
  identity(): Identity | undefined;
  formal(): boolean;
  /** Name, address, contact: each required on the formal track. */
  identityFields: HTMLInputElement[];
  /** What the chosen agency's keys allow the page to promise about the identity. */
  setTrust(trust: AgencyTrust | undefined): void;
}

function radio(name: string, value: string, labelKey: MessageKey, explainKey: MessageKey, checked: boolean) {
  const id = uid('track');
  const explain = tx('p', explainKey, undefined, { class: 'hint', id: `${id}-explain` });
  const control = h('input', { type: 'radio', name, value, id, checked, 'aria-describedby': explain.id });
  return { control, explain, wrap: h('div', { class: 'choice' }, control, tx('label', labelKey, undefined, { for: id }), explain) };
}

export function trackChoice(): TrackChoice {
  const name = uid('track-name');
  const anonymous = radio(name, 'anonymous', 'track.anonymous', 'track.anonymous.explain', true);
  const formal = radio(name, 'formal', 'track.formal', 'track.formal.explainNoThreshold', false);
  const idName = input();
  const idAddress = input();
  const idContact = input();
  const identityBox = h(
    'div',
    { class: 'identity', hidden: true },
    field('identity.name', idName),
    field('identity.address', idAddress),
    field('identity.contact', idContact),
  );
  const sync = () => {
    identityBox.hidden = !formal.control.checked;
  };
  anonymous.control.addEventListener('change', sync);
  formal.control.addEventListener('change', sync);
  const element = h('fieldset', { class: 'card' }, tx('legend', 'track.legend'), anonymous.wrap, formal.wrap, identityBox);
  return {
    element,
    identityFields: [idName, idAddress, idContact],
    formal: () => formal.control.checked,
    identity: () =>
      formal.control.checked ? { name: idName.value.trim(), address: idAddress.value.trim(), contact: idContact.value.trim() } : undefined,
    setTrust(trust) {
      // "The server can never read it" is said only beside keys verified under a pin.
      if (trust?.state === 'pinned') translate(formal.explain, 'track.formal.explain', { threshold: trust.content.threshold });
      else if (trust?.state === 'unpinned') translate(formal.explain, 'track.formal.explainUnpinned');
      else translate(formal.explain, 'track.formal.explainNoThreshold');
    },
  };
}
