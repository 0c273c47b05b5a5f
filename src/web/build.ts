import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TRUST_FILE, parseTrustAnchors, readTrustFile, type TrustAnchors } from '../cli/denouncer/trust-file.js';
import { precompress } from '../build/precompress.js';
import { bundleScripts } from './bundle.js';
import { renderIndexHtml } from './html.js';

// Builds the denouncer page into one directory: index.html, the script split into
// hashed ES modules (src/web/bundle.ts), the hashed stylesheet, a brotli and a gzip copy
// of each, BUNDLE-HASH.txt and manifest.json (what the server serves). The trusted
// agency fingerprints, with the lowest bundle serial each may present, are compiled into
// the entry script, and index.html pins every script and the stylesheet by Subresource
// Integrity (the chunks loaded later too, by the hashes it lists for them), so the hash
// of index.html published by the agency vouches for the whole page (docs/WEB.md).
//
// Two kinds of build. A production page refuses to seal to an agency it has no pin for,
// and cannot be built without a pin at all: its promise ("the server can never read
// it") rests on the pins. A development page (the default, so that `npm start` works on
// a fresh clone, which has none) seals to an unpinned agency only under a warning and
// without that promise.

const SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));

/** A production build with nothing to pin: stopped, with what to do instead. */
export class UnpinnedProductionBuildError extends Error {
  constructor(source: string) {
    super(
      `a production build of the denouncer page needs at least one pinned agency, and ${source} pins none.\n` +
        'Pin each agency with `tipline trust add <agency> <fingerprint>` (the fingerprint from the agency itself, ' +
        'never from this server), then build again. A build without --production, and without ' +
        'NODE_ENV=production, makes a development page, which warns instead of refusing.',
    );
  }
}

export interface WebBuildOptions {
  outDir?: string;
  /** The trust file (slug → { fingerprint, serial }); a missing file means no pins. */
  trustedAgenciesFile?: string;
  /** Pins given directly (tests), in either form of the file; takes precedence over it. */
  trustedAgencies?: Record<string, string | { fingerprint: string; serial?: number }>;
  /** A production page: no pin, no build; an unpinned agency, no sealing. */
  production?: boolean;
  minify?: boolean;
  /** Print the hashes to stderr (the build script does; tests do not). */
  log?: boolean;
}

export interface BuiltFile {
  name: string;
  bytes: number;
  sha256: string;
  integrity: string;
}

export interface WebBuildResult {
  outDir: string;
  files: BuiltFile[];
  trustedAgencies: TrustAnchors;
  production: boolean;
}

/** A built file's size, SHA-256 and SRI hash (also used by src/console/build.ts). */
export function describeBuiltFile(name: string, content: Uint8Array | string): BuiltFile {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return {
    name,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
  };
}

export function hashReport(files: BuiltFile[], pins: TrustAnchors, production: boolean): string {
  const pinned = Object.keys(pins).sort().map((slug) => `${slug} (serial ≥ ${Math.max(1, pins[slug]!.serial)})`);
  const lines = [
    '# tipline denouncer page — publish these so anyone can check the served page',
    `# ${production ? 'production' : 'development'} build; pinned: ${pinned.length ? pinned.join(', ') : 'none'}`,
    '',
  ];
  for (const f of files) {
    lines.push(`${f.name}  sha256:${f.sha256}  ${f.integrity}  (${f.bytes} bytes)`);
  }
  return `${lines.join('\n')}\n`;
}

/** The served file list that the server reads (src/server/routes/web/built-files.ts), written last. */
export interface BuildManifest {
  /** SHA-256 of index.html: the hash an operator publishes. */
  index: string;
  files: { name: string; immutable: boolean; encodings: ('br' | 'gzip')[] }[];
}

export const MANIFEST_FILE = 'manifest.json';
const HASHED = /^(app|chunk)-[A-Za-z0-9]+\.(js|css)$/;

async function writeCompressed(outDir: string, name: string, content: Uint8Array): Promise<void> {
  const { br, gz } = precompress(content);
  await writeFile(join(outDir, name), content);
  await writeFile(join(outDir, `${name}.br`), br);
  await writeFile(join(outDir, `${name}.gz`), gz);
}

/** Hashed files of earlier builds: unreachable once the new manifest is in place. */
async function removeStale(outDir: string, keep: Set<string>): Promise<void> {
  for (const name of await readdir(outDir)) {
    const base = name.replace(/\.(br|gz)$/, '');
    if (HASHED.test(base) && !keep.has(base)) await rm(join(outDir, name), { force: true });
  }
}

export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuildResult> {
  const outDir = options.outDir ?? 'dist/web';
  const pins =
    options.trustedAgencies !== undefined
      ? parseTrustAnchors(options.trustedAgencies, 'trustedAgencies')
      : await readTrustFile(options.trustedAgenciesFile ?? DEFAULT_TRUST_FILE);
  const production = options.production ?? false;
  if (production && Object.keys(pins).length === 0) {
    throw new UnpinnedProductionBuildError(options.trustedAgencies !== undefined ? 'the given pins' : options.trustedAgenciesFile ?? DEFAULT_TRUST_FILE);
  }
  const scripts = await bundleScripts(pins, production, options.minify ?? true);
  const style = Buffer.from(await readFile(join(SOURCE_DIR, 'style.css'), 'utf8'), 'utf8');
  const styleName = `app-${createHash('sha256').update(style).digest('hex').slice(0, 16)}.css`;
  const described = new Map<string, BuiltFile>();
  for (const [name, content] of scripts.files) described.set(name, describeBuiltFile(name, content));
  described.set(styleName, describeBuiltFile(styleName, style));
  const at = (name: string) => ({ href: `/${name}`, integrity: described.get(name)!.integrity });
  const html = renderIndexHtml({
    style: at(styleName),
    script: at(scripts.entry),
    firstView: scripts.firstView.map(at),
    lazy: Object.entries(scripts.lazy).map(([name, files]) => ({ name, files: files.map(at) })),
  });
  const index = describeBuiltFile('index.html', html);
  const chunks = [...scripts.files.keys()].filter((n) => n !== scripts.entry).sort();
  const files = [index, described.get(scripts.entry)!, described.get(styleName)!, ...chunks.map((n) => described.get(n)!)];

  await mkdir(outDir, { recursive: true });
  for (const [name, content] of scripts.files) await writeCompressed(outDir, name, content);
  await writeCompressed(outDir, styleName, style);
  await writeCompressed(outDir, 'index.html', Buffer.from(html, 'utf8'));
  const report = hashReport(files, pins, production);
  await writeFile(join(outDir, 'BUNDLE-HASH.txt'), report);
  const manifest: BuildManifest = {
    index: index.sha256,
    files: [
      ...files.map((f) => ({ name: f.name, immutable: f.name !== 'index.html', encodings: ['br', 'gzip'] as ('br' | 'gzip')[] })),
      { name: 'BUNDLE-HASH.txt', immutable: false, encodings: [] },
    ],
  };
  // The manifest is the commit point: a running server switches to this build when it
  // changes, so it is renamed into place only once every file it names is written.
  await writeFile(join(outDir, `${MANIFEST_FILE}.tmp`), `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(join(outDir, `${MANIFEST_FILE}.tmp`), join(outDir, MANIFEST_FILE));
  await removeStale(outDir, new Set(files.map((f) => f.name)));
  if (options.log) {
    const kind = production ? 'production' : 'development (an unpinned agency gets a warning, not a refusal)';
    process.stderr.write(`built ${outDir}/: ${kind} page, ${Object.keys(pins).length} pinned agencies\n${report}`);
  }
  return { outDir, files, trustedAgencies: pins, production };
}
