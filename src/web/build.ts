import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { renderIndexHtml } from './html.js';

// Builds the denouncer page into one directory: index.html, app.js, app.css and
// BUNDLE-HASH.txt. The trusted agency fingerprints are compiled into app.js, and
// index.html pins app.js and app.css by Subresource Integrity, so the hash of
// index.html published by the agency vouches for the whole page (docs/WEB.md).

const SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DEFAULT_TRUSTED_AGENCIES_FILE = 'keys/trusted-agencies.json';

export interface WebBuildOptions {
  outDir?: string;
  /** JSON file mapping agency slug → fingerprint; a missing file means no pins. */
  trustedAgenciesFile?: string;
  /** Pins given directly (tests); takes precedence over the file. */
  trustedAgencies?: Record<string, string>;
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
  trustedAgencies: Record<string, string>;
}

const FINGERPRINT = /^[0-9A-HJKMNP-TV-Z]{32}$/;

/** Reads and checks the trust anchors; a malformed file stops the build. */
export async function readTrustedAgencies(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return checkTrustedAgencies(JSON.parse(text) as unknown, file);
}

export function checkTrustedAgencies(value: unknown, source: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected an object mapping agency slug to fingerprint`);
  }
  const pins: Record<string, string> = {};
  for (const [slug, fingerprint] of Object.entries(value)) {
    const canonical = typeof fingerprint === 'string' ? fingerprint.toUpperCase().replace(/[\s-]/g, '') : '';
    if (!FINGERPRINT.test(canonical)) throw new Error(`${source}: fingerprint of "${slug}" is not 32 base32 symbols`);
    pins[slug] = fingerprint as string;
  }
  return pins;
}

function describe(name: string, content: Uint8Array | string): BuiltFile {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return {
    name,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
  };
}

async function bundleScript(pins: Record<string, string>, minify: boolean): Promise<Uint8Array> {
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
    define: { __TIPLINE_TRUSTED_AGENCIES__: JSON.stringify(pins) },
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the web page');
  return output.contents;
}

export function hashReport(files: BuiltFile[]): string {
  const lines = ['# tipline denouncer page — publish these so anyone can check the served page', ''];
  for (const f of files) {
    lines.push(`${f.name}  sha256:${f.sha256}  ${f.integrity}  (${f.bytes} bytes)`);
  }
  return `${lines.join('\n')}\n`;
}

export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuildResult> {
  const outDir = options.outDir ?? 'dist/web';
  const pins =
    options.trustedAgencies !== undefined
      ? checkTrustedAgencies(options.trustedAgencies, 'trustedAgencies')
      : await readTrustedAgencies(options.trustedAgenciesFile ?? DEFAULT_TRUSTED_AGENCIES_FILE);
  const script = await bundleScript(pins, options.minify ?? true);
  const style = await readFile(join(SOURCE_DIR, 'style.css'), 'utf8');
  const scriptFile = describe('app.js', script);
  const styleFile = describe('app.css', style);
  const html = renderIndexHtml({ scriptIntegrity: scriptFile.integrity, styleIntegrity: styleFile.integrity });
  const files = [describe('index.html', html), scriptFile, styleFile];

  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'app.js'), script);
  await writeFile(join(outDir, 'app.css'), style);
  await writeFile(join(outDir, 'index.html'), html);
  const report = hashReport(files);
  await writeFile(join(outDir, 'BUNDLE-HASH.txt'), report);
  if (options.log) {
    process.stderr.write(`built ${outDir}/ (${Object.keys(pins).length} pinned agencies)\n${report}`);
  }
  return { outDir, files, trustedAgencies: pins };
}
