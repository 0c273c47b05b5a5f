// Trust anchors compiled into the bundle at build time from keys/trusted-agencies.json
// (src/web/build.ts): each agency's pinned fingerprint and the lowest bundle serial it
// may present. They never come from the server: a compromised server could otherwise
// hand out its own key together with a matching "pin", or an older bundle.

// A pin may list revoked keys (a re-pin after a leak, PROTOCOL.md §9.2): the page then
// refuses them even where a statement hands over from or to them.

interface Compiled { fingerprint: string; serial: number; revoked?: string[] }
declare const __TIPLINE_TRUSTED_AGENCIES__: Record<string, Compiled> | undefined;
declare const __TIPLINE_PRODUCTION__: boolean | undefined;

const TRUSTED: Readonly<Record<string, Compiled>> = Object.freeze(
  typeof __TIPLINE_TRUSTED_AGENCIES__ === 'undefined' ? {} : { ...__TIPLINE_TRUSTED_AGENCIES__ },
);

/** A production page refuses to seal to an agency it has no pin for (docs/WEB.md). */
export const PRODUCTION = typeof __TIPLINE_PRODUCTION__ === 'boolean' && __TIPLINE_PRODUCTION__;

// The highest serial verified during this page load, in memory only: the page leaves
// nothing on the device, so across loads the compiled serial (and expiry) is the floor.
const seen = new Map<string, number>();

export interface AgencyPin {
  fingerprint: string;
  /** The lowest serial to accept: the compiled one, or a higher one verified since. */
  minSerial: number;
  revoked: readonly string[];
}

/** The pin for an agency slug, or undefined when none was compiled in. */
export function agencyPin(slug: string): AgencyPin | undefined {
  if (!Object.hasOwn(TRUSTED, slug)) return undefined;
  const { fingerprint, serial, revoked = [] } = TRUSTED[slug]!;
  return { fingerprint, minSerial: Math.max(1, serial, seen.get(slug) ?? 0), revoked };
}

/** Raises the in-memory floor after a bundle verified under the agency's pin. */
export function sawSerial(slug: string, serial: number): void {
  if (agencyPin(slug) && serial > (seen.get(slug) ?? 0)) seen.set(slug, serial);
}
