import type { Backend } from '../../protocol/index.js';
import { checkAgency } from '../agencies.js';
import { field, h, liveRegion, say, tx } from '../dom.js';
import { fetchAgencies, type AgencyEntry } from '../sdk.js';

// The agency choice. The bundle is checked against the compiled-in pin as soon as an
// agency is picked, so a mismatch is explained before anything is typed.

export interface AgencyPicker {
  element: HTMLFieldSetElement;
  select: HTMLSelectElement;
  chosen(): AgencyEntry | undefined;
}

export function agencyPicker(be: Backend, onThreshold: (n: number | undefined) => void): AgencyPicker {
  const select = h('select', { required: true, 'aria-required': 'true' });
  const placeholder = tx('option', 'agency.placeholder', undefined, { value: '' });
  select.append(placeholder);
  const trust = liveRegion('trust');
  const element = h('fieldset', { class: 'card' }, tx('legend', 'agency.legend'), field('agency.label', select), trust);
  let agencies: AgencyEntry[] = [];
  const chosen = () => agencies.find((a) => a.id === select.value);
  select.addEventListener('change', () => {
    const agency = chosen();
    trust.replaceChildren();
    onThreshold(undefined);
    if (!agency) return;
    const { pin, content } = checkAgency(be, agency);
    if (!content) return say(trust, 'error.bundle', undefined, 'error');
    onThreshold(content.threshold);
    if (pin) say(trust, 'agency.pinned', { fingerprint: pin }, 'ok');
    else say(trust, 'agency.unpinned', undefined, 'warn');
  });
  fetchAgencies().then(
    (list) => {
      agencies = list;
      for (const a of list) select.append(h('option', { value: a.id }, a.name));
      if (list.length === 0) say(trust, 'agency.none', undefined, 'warn');
    },
    () => say(trust, 'agency.loadFailed', undefined, 'error'),
  );
  return { element, select, chosen };
}
