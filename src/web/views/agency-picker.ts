import type { Backend } from '../../protocol/index.js';
import { checkAgency, type AgencyTrust } from '../agencies.js';
import { field, h, liveRegion, say, tx } from '../dom.js';
import { fetchAgencies, type AgencyEntry } from '../sdk.js';

// The agency choice. The bundle is checked against the compiled-in pin and serial as
// soon as an agency is picked, so a refusal is explained before anything is typed, and
// the rest of the form is told how far the page can vouch for that agency's keys.

const REFUSAL = { invalid: 'error.bundle', rollback: 'error.rollback', unpinned: 'agency.unpinnedRefused' } as const;

export interface AgencyPicker {
  element: HTMLFieldSetElement;
  select: HTMLSelectElement;
  chosen(): AgencyEntry | undefined;
}

export function agencyPicker(be: Backend, onTrust: (trust: AgencyTrust | undefined) => void): AgencyPicker {
  const select = h('select', { required: true, 'aria-required': 'true' });
  const placeholder = tx('option', 'agency.placeholder', undefined, { value: '' });
  select.append(placeholder);
  const trust = liveRegion('trust');
  const element = h('fieldset', { class: 'card' }, tx('legend', 'agency.legend'), field('agency.label', select), trust);
  let agencies: AgencyEntry[] = [];
  const chosen = () => agencies.find((a) => a.agencyId === select.value);
  select.addEventListener('change', () => {
    const agency = chosen();
    trust.replaceChildren();
    onTrust(undefined);
    if (!agency) return;
    const checked = checkAgency(be, agency);
    onTrust(checked);
    if (checked.state === 'refused') say(trust, REFUSAL[checked.reason], undefined, 'error');
    else if (checked.state === 'pinned') say(trust, 'agency.pinned', { fingerprint: checked.pin.fingerprint }, 'ok');
    else say(trust, 'agency.unpinned', undefined, 'warn');
  });
  fetchAgencies().then(
    (list) => {
      agencies = list;
      for (const a of list) select.append(h('option', { value: a.agencyId }, a.name));
      if (list.length === 0) say(trust, 'agency.none', undefined, 'warn');
    },
    () => say(trust, 'agency.loadFailed', undefined, 'error'),
  );
  return { element, select, chosen };
}
