// Trust anchors compiled into the bundle at build time from keys/trusted-agencies.json
// (src/web/build.ts). They never come from the server: a compromised server could
// otherwise hand out its own key together with a matching "pin".

declare const __TIPLINE_TRUSTED_AGENCIES__: Record<string, string> | undefined;

const TRUSTED: Readonly<Record<string, string>> = Object.freeze(
  typeof __TIPLINE_TRUSTED_AGENCIES__ === 'undefined' ? {} : { ...__TIPLINE_TRUSTED_AGENCIES__ },
);

/** The pinned fingerprint for an agency slug, or undefined when none was compiled in. */
export function pinnedFingerprint(slug: string): string | undefined {
  return Object.hasOwn(TRUSTED, slug) ? TRUSTED[slug] : undefined;
}
