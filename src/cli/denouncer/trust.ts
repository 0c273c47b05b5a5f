import type { Command } from 'commander';
import { canonicalFingerprint } from '../../protocol/index.js';
import { CliError, emit, table } from '../common/output.js';
import {
  AGENCY_SLUG, DEFAULT_TRUST_FILE, TrustFileError, groupedFingerprint, readTrustFile, writeTrustFile, type TrustAnchors,
} from './trust-file.js';

// `tipline trust add | list | remove`: the pinned agency fingerprints, and the highest
// bundle serial seen under each, that `submit` checks every signed key bundle against,
// in keys/trusted-agencies.json — the same file `npm run build` compiles into the
// denouncer page. A pin must come from a source other than the server (the agency's
// notice, its website, a printed poster): a pin taken from the server it is meant to
// check would prove nothing.

export { DEFAULT_TRUST_FILE };

/** The anchors, with a malformed file reported as a CLI error that names it. */
export async function readAnchors(file: string): Promise<TrustAnchors> {
  try {
    return await readTrustFile(file);
  } catch (err) {
    if (err instanceof TrustFileError) throw new CliError(`${err.message} (fix or remove the entry, or pin again with \`tipline trust add\`)`);
    throw err;
  }
}

/** The fingerprint in the form agencies print it: eight groups of four. */
export function normalisedFingerprint(text: string): string {
  const grouped = groupedFingerprint(text);
  if (!grouped) throw new CliError('a fingerprint is 32 symbols of Crockford base32 (0-9, A-Z without I, L, O, U), spaces allowed');
  return grouped;
}

function serialOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const serial = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(serial)) throw new CliError('--serial is a whole number ≥ 0');
  return serial;
}

interface TrustOptions { trustFile: string; json?: boolean; replace?: boolean; serial?: string; revokeOld?: boolean }

async function add(slug: string, words: string[], o: TrustOptions): Promise<void> {
  if (!AGENCY_SLUG.test(slug)) throw new CliError(`"${slug}" is not an agency slug`);
  const fingerprint = normalisedFingerprint(words.join(''));
  const asked = serialOption(o.serial);
  const anchors = await readAnchors(o.trustFile);
  const held = Object.hasOwn(anchors, slug) ? anchors[slug] : undefined;
  const samePin = held !== undefined && canonicalFingerprint(held.fingerprint) === canonicalFingerprint(fingerprint);
  if (held && !samePin && !o.replace) {
    // A changed key is exactly what an attack looks like: confirm it out of band first.
    throw new CliError(`"${slug}" is already pinned to ${held.fingerprint}; check the new fingerprint with the agency, then use --replace`);
  }
  // The serial seen under a pin only rises: lowering it would let an older bundle back in.
  const kept = samePin ? held.serial : 0;
  if (asked !== undefined && asked < kept && !o.replace) {
    throw new CliError(`"${slug}" has already seen bundle serial ${kept}; a lower --serial needs --replace`);
  }
  const serial = asked !== undefined && (o.replace || asked > kept) ? asked : kept;
  // A re-pin after a leak (PROTOCOL.md §9.2): the replaced key is refused from now on, even through a statement.
  if (o.revokeOld && (!held || samePin || !o.replace)) throw new CliError('--revoke-old revokes the pin that --replace replaces: give both, with a new fingerprint');
  const revoked = [...new Set([...(held?.revoked ?? []), ...(o.revokeOld && held ? [held.fingerprint] : [])])];
  if (revoked.some((r) => canonicalFingerprint(r) === canonicalFingerprint(fingerprint))) throw new CliError(`${fingerprint} is revoked for "${slug}": it is never pinned again`);
  anchors[slug] = { fingerprint, serial, ...(revoked.length > 0 ? { revoked } : {}) };
  await writeTrustFile(o.trustFile, anchors);
  emit(o, { agency: slug, fingerprint, serial, file: o.trustFile }, () =>
    `pinned ${slug}: ${fingerprint} (bundle serial ≥ ${Math.max(serial, 1)}) in ${o.trustFile}\n` +
    '(rebuild the web page with `npm run build` to pin it there too)');
}

export function registerTrust(program: Command): void {
  const trust = program.command('trust').description("pin agencies' signing-key fingerprints (checked by submit and the web page)");
  const withFile = (c: Command) => c.option('--trust-file <path>', 'the pin file', DEFAULT_TRUST_FILE).option('--json', 'print machine-readable JSON');

  withFile(trust.command('add').description('pin an agency: its fingerprint must come from the agency, not from this server'))
    .argument('<agency>', 'agency slug')
    .argument('<fingerprint...>', 'the fingerprint, e.g. "7K2M 9QXA …" (quotes optional)')
    .option('--serial <n>', "the agency's newest bundle serial, from the agency: older bundles are refused (submit raises it by itself)")
    .option('--replace', 'replace a different pin, or lower the serial, already held for this agency')
    .option('--revoke-old', 'with --replace: revoke the key replaced (a leaked agency key); submit and the page built from this file then refuse it')
    .action(add);

  withFile(trust.command('list').description('the pinned agencies, the newest bundle serial seen for each, and the agency keys a re-pin revoked')).action(async (o: TrustOptions) => {
    const anchors = await readAnchors(o.trustFile);
    const rows = Object.keys(anchors).sort().map((slug) => {
      const { fingerprint, serial, revoked = [] } = anchors[slug]!;
      return { agency: slug, fingerprint, serial, ...(revoked.length > 0 ? { revoked } : {}) };
    });
    // A revoked key (PROTOCOL.md §9.2) is listed so the reader sees what submit and the page refuse, each on a line of its own.
    const lines = rows.flatMap((r) => [
      [r.agency, r.fingerprint, r.serial ? String(r.serial) : '-', r.revoked?.[0] ?? '-'],
      ...(r.revoked ?? []).slice(1).map((k) => ['', '', '', k]),
    ]);
    emit(o, rows, () => (rows.length
      ? table(['cơ quan / agency', 'dấu vân tay / fingerprint', 'số gói đã thấy / serial', 'khóa đã thu hồi / revoked keys'], lines)
      : `chưa ghim cơ quan nào trong / no agency pinned in ${o.trustFile}`));
  });

  withFile(trust.command('remove').description('drop an agency pin')).argument('<agency>', 'agency slug').action(async (slug: string, o: TrustOptions) => {
    const anchors = await readAnchors(o.trustFile);
    if (!Object.hasOwn(anchors, slug)) throw new CliError(`"${slug}" is not pinned in ${o.trustFile}`);
    delete anchors[slug];
    await writeTrustFile(o.trustFile, anchors);
    emit(o, { agency: slug, removed: true }, () => `removed the pin for ${slug}`);
  });
}
