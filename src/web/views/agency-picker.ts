import { checkAgency, type AgencyTrust } from '../agencies.js';
import type { BackendSource } from '../backend.js';
import { field, h, liveRegion, say, tx } from '../dom.js';
import { explain } from '../errors.js';
import { fetchAgencyList, fetchDirectory, type AgencyEntry, type DirectoryEntry } from '../sdk.js';

// The agency choice. The list is the directory, names only, so it is in after one small
// request; every agency's bundle follows (never the chosen one alone, which would tell
// the server what a visitor considered), and the chosen one is checked against the
// compiled-in pin and serial as soon as it is picked and in, so a refusal is explained
// before anything is typed, and the rest of the form is told how far the page can vouch
// for that agency's keys.

const REFUSAL = { invalid: 'error.bundle', rollback: 'error.rollback', unpinned: 'agency.unpinnedRefused' } as const;

export interface AgencyPicker {
  element: HTMLFieldSetElement;
  select: HTMLSelectElement;
  chosen(): DirectoryEntry | undefined;
  /** Settles once the agency list is in (or could not be fetched). */
  listed: Promise<void>;
}

export function agencyPicker(backend: BackendSource, onTrust: (trust: AgencyTrust | undefined) => void): AgencyPicker {
  const select = h('select', { required: true, 'aria-required': 'true' });
  const placeholder = tx('option', 'agency.placeholder', undefined, { value: '' });
  select.append(placeholder);
  const trust = liveRegion('trust');
  const element = h('fieldset', { class: 'card' }, tx('legend', 'agency.legend'), field('agency.label', select), trust);
  let agencies: DirectoryEntry[] = [];
  let bundles: Promise<AgencyEntry[]> | undefined;
  // Asked once; a failed list is asked again at the next choice.
  const loadBundles = () => (bundles ??= fetchAgencyList().catch((err: unknown) => {
    bundles = undefined;
    throw err;
  }));
  let checks = 0;
  const chosen = () => agencies.find((a) => a.agencyId === select.value);
  select.addEventListener('change', () => {
    const agency = chosen();
    trust.replaceChildren();
    onTrust(undefined);
    if (!agency) return;
    // The check needs the crypto code and the agency's bundle, either of which may still be
    // on its way: the person types meanwhile, and only the verdict for the agency still
    // chosen is shown.
    const asked = ++checks;
    say(trust, 'agency.checking');
    Promise.all([backend(), loadBundles()]).then(
      ([be, list]) => {
        if (asked !== checks) return;
        // The entry the directory named, under the same slug (the one its pin is found by).
        const entry = list.find((a) => a.agencyId === agency.agencyId && a.slug === agency.slug);
        const checked: AgencyTrust = entry ? checkAgency(be, entry) : { state: 'refused', reason: 'invalid' };
        onTrust(checked);
        if (checked.state === 'refused') say(trust, REFUSAL[checked.reason], undefined, 'error');
        else if (checked.state === 'pinned') say(trust, 'agency.pinned', { fingerprint: checked.pin.fingerprint }, 'ok');
        else say(trust, 'agency.unpinned', { fingerprint: checked.fingerprint }, 'warn');
        // What sealing to the signed recovery recipient costs the person (§9.1): told before they write.
        const recovery = checked.state === 'refused' ? undefined : checked.content.recovery;
        if (recovery) trust.append(tx('p', 'agency.recovery', { threshold: recovery.threshold, shares: recovery.shares }, { class: 'msg msg-warn' }));
      },
      (err: unknown) => {
        if (asked === checks) say(trust, explain(err).key, undefined, 'error');
      },
    );
  });
  const listed = fetchDirectory().then(
    (list) => {
      agencies = list;
      for (const a of list) select.append(h('option', { value: a.agencyId }, a.name));
      // The bundles come next, behind the choice on the link, not before it.
      loadBundles().catch(() => {});
      if (list.length === 0) say(trust, 'agency.none', undefined, 'warn');
      // The page is usable from here: the form is drawn and an agency can be chosen
      // (bench/page-load.ts reads this mark).
      performance.mark('tipline:usable');
    },
    () => say(trust, 'agency.loadFailed', undefined, 'error'),
  );
  return { element, select, chosen, listed };
}
