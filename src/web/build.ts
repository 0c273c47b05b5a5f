import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DEFAULT_TRUST_FILE, parseTrustAnchors, readTrustFile, type TrustAnchors } from '../cli/denouncer/trust-file.js';
import { renderIndexHtml } from './html.js';

// Builds the denouncer page into one directory: index.html, app.js, app.css and
// BUNDLE-HASH.txt. The trusted agency fingerprints, with the lowest bundle serial each
// may present, are compiled into app.js, and index.html pins app.js and app.css by
// Subresource Integrity, so the hash of index.html published by the agency vouches for
// the whole page (docs/WEB.md).
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

async function bundleScript(pins: TrustAnchors, production: boolean, minify: boolean): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(SOURCE_DIR, 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify,
    legalComments: 'none',
    charset: 'utf8',
    // Pinned into the bundle so that a compromised server cannot swap them.
    define: { __TIPLINE_TRUSTED_AGENCIES__: JSON.stringify(pins), __TIPLINE_PRODUCTION__: JSON.stringify(production) },
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the web page');
  return output.contents;
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
  const script = await bundleScript(pins, production, options.minify ?? true);
  const style = await readFile(join(SOURCE_DIR, 'style.css'), 'utf8');
  const scriptFile = describeBuiltFile('app.js', script);
  const styleFile = describeBuiltFile('app.css', style);
  const html = renderIndexHtml({ scriptIntegrity: scriptFile.integrity, styleIntegrity: styleFile.integrity });
  const files = [describeBuiltFile('index.html', html), scriptFile, styleFile];

  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'app.js'), script);
  await writeFile(join(outDir, 'app.css'), style);
  await writeFile(join(outDir, 'index.html'), html);
  const report = hashReport(files, pins, production);
  await writeFile(join(outDir, 'BUNDLE-HASH.txt'), report);
  if (options.log) {
    const kind = production ? 'production' : 'development (an unpinned agency gets a warning, not a refusal)';
    process.stderr.write(`built ${outDir}/: ${kind} page, ${Object.keys(pins).length} pinned agencies\n${report}`);
  }
  return { outDir, files, trustedAgencies: pins, production };
}
