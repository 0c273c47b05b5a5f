import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { canonicalFingerprint } from '../../protocol/index.js';
import { CliError, emit, table } from '../common/output.js';

// `tipline trust add | list | remove`: the pinned agency fingerprints that `submit`
// checks every signed key bundle against, in keys/trusted-agencies.json — the same
// file `npm run build` compiles into the denouncer page. A pin must come from a source
// other than the server (the agency's notice, its website, a printed poster): a pin
// taken from the server it is meant to check would prove nothing.

export const DEFAULT_TRUST_FILE = 'keys/trusted-agencies.json';

// slug → fingerprint, the format src/web/build.ts compiles into the page.
type Anchors = Record<string, string>;

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
// 20 bytes of BLAKE2b in Crockford base32 (PROTOCOL.md "Agency fingerprint").
const FINGERPRINT = /^[0-9A-HJKMNP-TV-Z]{32}$/;

export async function readAnchors(file: string): Promise<Anchors> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new CliError(`${file} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new CliError(`${file} must hold an object of agency slug → fingerprint`);
  }
  return parsed as Anchors;
}

/** The fingerprint in the form agencies print it: eight groups of four. */
export function normalisedFingerprint(text: string): string {
  const canonical = canonicalFingerprint(text);
  if (!FINGERPRINT.test(canonical)) throw new CliError('a fingerprint is 32 symbols of Crockford base32 (0-9, A-Z without I, L, O, U), spaces allowed');
  return canonical.match(/.{4}/g)!.join(' ');
}

async function writeAnchors(file: string, anchors: Anchors): Promise<void> {
  const sorted = Object.fromEntries(Object.keys(anchors).sort().map((k) => [k, anchors[k]]));
  // Written beside and renamed: an interrupted write never leaves half a trust file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
  await rename(tmp, file);
}

interface TrustOptions { trustFile: string; json?: boolean; replace?: boolean }

export function registerTrust(program: Command): void {
  const trust = program.command('trust').description("pin agencies' signing-key fingerprints (checked by submit and the web page)");
  const withFile = (c: Command) => c.option('--trust-file <path>', 'the pin file', DEFAULT_TRUST_FILE).option('--json', 'print machine-readable JSON');

  withFile(trust.command('add').description('pin an agency: its fingerprint must come from the agency, not from this server'))
    .argument('<agency>', 'agency slug')
    .argument('<fingerprint...>', 'the fingerprint, e.g. "7K2M 9QXA …" (quotes optional)')
    .option('--replace', 'replace a different pin already held for this agency')
    .action(async (slug: string, words: string[], o: TrustOptions) => {
      if (!SLUG.test(slug)) throw new CliError(`"${slug}" is not an agency slug`);
      const fingerprint = normalisedFingerprint(words.join(''));
      const anchors = await readAnchors(o.trustFile);
      const held = Object.hasOwn(anchors, slug) ? anchors[slug] : undefined;
      if (held && canonicalFingerprint(held) !== canonicalFingerprint(fingerprint) && !o.replace) {
        // A changed key is exactly what an attack looks like: confirm it out of band first.
        throw new CliError(`"${slug}" is already pinned to ${held}; check the new fingerprint with the agency, then use --replace`);
      }
      anchors[slug] = fingerprint;
      await writeAnchors(o.trustFile, anchors);
      emit(o, { agency: slug, fingerprint, file: o.trustFile }, () =>
        `pinned ${slug}: ${fingerprint} in ${o.trustFile}\n(rebuild the web page with \`npm run build\` to pin it there too)`);
    });

  withFile(trust.command('list').description('the pinned agencies')).action(async (o: TrustOptions) => {
    const anchors = await readAnchors(o.trustFile);
    const rows = Object.keys(anchors).sort().map((slug) => ({ agency: slug, fingerprint: anchors[slug]! }));
    emit(o, rows, () => (rows.length ? table(['agency', 'fingerprint'], rows.map((r) => [r.agency, r.fingerprint])) : `no agency pinned in ${o.trustFile}`));
  });

  withFile(trust.command('remove').description('drop an agency pin')).argument('<agency>', 'agency slug').action(async (slug: string, o: TrustOptions) => {
    const anchors = await readAnchors(o.trustFile);
    if (!Object.hasOwn(anchors, slug)) throw new CliError(`"${slug}" is not pinned in ${o.trustFile}`);
    delete anchors[slug];
    await writeAnchors(o.trustFile, anchors);
    emit(o, { agency: slug, removed: true }, () => `removed the pin for ${slug}`);
  });
}
