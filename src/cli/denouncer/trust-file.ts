import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { canonicalFingerprint } from '../../protocol/index.js';

// keys/trusted-agencies.json, the trust anchors of the denouncer's clients: for each
// agency slug, the pinned fingerprint of its signing key and the highest bundle serial
// seen under that pin. `tipline trust` and `tipline submit` write it; `npm run build`
// compiles it into the page. One reader and one writer for both, here.
//
// Format (docs/WEB.md): { "<slug>": { "fingerprint": "ABCD …", "serial": 7 } }. The older
// form { "<slug>": "ABCD …" } is read as a pin with no serial seen yet, and rewritten in
// the new form on the next write.

export const DEFAULT_TRUST_FILE = 'keys/trusted-agencies.json';

export interface TrustAnchor {
  /** Eight groups of four Crockford symbols, as agencies print it. */
  fingerprint: string;
  /** The highest bundle serial seen under this pin; 0 when none yet. */
  serial: number;
  /** Agency keys revoked by a re-pin after a leak (PROTOCOL.md §9.2): refused by submit and the page. */
  revoked?: string[];
}

export type TrustAnchors = Record<string, TrustAnchor>;

/** A pin file that cannot be read as trust anchors: the clients stop, they never guess. */
export class TrustFileError extends Error {}

export const AGENCY_SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
// 20 bytes of BLAKE2b in Crockford base32 (PROTOCOL.md §9).
const FINGERPRINT = /^[0-9A-HJKMNP-TV-Z]{32}$/;

/** The fingerprint grouped in fours, upper case; undefined when it is not 32 symbols. */
export function groupedFingerprint(text: string): string | undefined {
  const canonical = canonicalFingerprint(text);
  return FINGERPRINT.test(canonical) ? canonical.match(/.{4}/g)!.join(' ') : undefined;
}

function anchorOf(value: unknown, slug: string, source: string): TrustAnchor {
  const entry = typeof value === 'string' ? { fingerprint: value } : value;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new TrustFileError(`${source}: "${slug}" must be a fingerprint or { "fingerprint", "serial" }`);
  }
  const { fingerprint, serial = 0, revoked = [] } = entry as { fingerprint?: unknown; serial?: unknown; revoked?: unknown };
  const grouped = typeof fingerprint === 'string' ? groupedFingerprint(fingerprint) : undefined;
  if (!grouped) throw new TrustFileError(`${source}: fingerprint of "${slug}" is not 32 base32 symbols`);
  if (!Number.isSafeInteger(serial) || (serial as number) < 0) {
    throw new TrustFileError(`${source}: serial of "${slug}" must be a whole number ≥ 0`);
  }
  const revokedList = Array.isArray(revoked) ? revoked.map((r) => (typeof r === 'string' ? groupedFingerprint(r) : undefined)) : [undefined];
  if (revokedList.some((r) => r === undefined)) throw new TrustFileError(`${source}: "revoked" of "${slug}" must list fingerprints`);
  return { fingerprint: grouped, serial: serial as number, ...(revokedList.length > 0 ? { revoked: revokedList as string[] } : {}) };
}

/** Checks parsed JSON as trust anchors; anything malformed is refused with where and why. */
export function parseTrustAnchors(value: unknown, source: string): TrustAnchors {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TrustFileError(`${source}: expected an object mapping agency slug to { "fingerprint", "serial" }`);
  }
  const anchors: TrustAnchors = {};
  for (const [slug, entry] of Object.entries(value)) {
    if (!AGENCY_SLUG.test(slug)) throw new TrustFileError(`${source}: "${slug}" is not an agency slug`);
    anchors[slug] = anchorOf(entry, slug, source);
  }
  return anchors;
}

/** The anchors in a file; a missing file means no pins. */
export async function readTrustFile(file: string): Promise<TrustAnchors> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TrustFileError(`${file} is not valid JSON`);
  }
  return parseTrustAnchors(parsed, file);
}

/**
 * Writes the anchors, sorted by slug, atomically: a new file created exclusively beside
 * the old one, flushed, then renamed over it. A crash leaves the old file or the new
 * one, never half of either (a lost serial would reopen the rollback it guards against).
 */
export async function writeTrustFile(file: string, anchors: TrustAnchors): Promise<void> {
  const sorted = Object.fromEntries(Object.keys(anchors).sort().map((slug) => [slug, anchors[slug]]));
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o644);
  try {
    await handle.writeFile(`${JSON.stringify(sorted, null, 2)}\n`);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(tmp, file);
}

/**
 * Raises the remembered serial of a pinned agency after a bundle verified under that
 * same pin; never lowers it. `signer`: the key that signed it, which replaces the pin when
 * a verified chain of key transitions led to it (PROTOCOL.md §9.2). Re-reads the file
 * first so a concurrent `trust add` is kept.
 */
export async function rememberSerial(file: string, slug: string, fingerprint: string, serial: number, signer = fingerprint): Promise<boolean> {
  const anchors = await readTrustFile(file);
  const held = Object.hasOwn(anchors, slug) ? anchors[slug] : undefined;
  if (!held || canonicalFingerprint(held.fingerprint) !== canonicalFingerprint(fingerprint)) return false;
  const follows = canonicalFingerprint(signer) !== canonicalFingerprint(fingerprint);
  if (held.serial >= serial && !follows) return false;
  anchors[slug] = { ...held, fingerprint: groupedFingerprint(signer) ?? held.fingerprint, serial: Math.max(held.serial, serial) };
  await writeTrustFile(file, anchors);
  return true;
}
