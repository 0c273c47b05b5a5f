import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BROWSER_BUILD } from '../build/browser-build.js';
import { describeBuiltFile, type BuiltFile } from '../web/build.js';
import { CONSOLE_LAZY } from './bundle-names.js';
import { renderConsoleHtml } from './html.js';

// Builds the staff console into one directory, as src/web/build.ts does the denouncer
// page: index.html, console.js (Preact, the SDK and the protocol, libsodium included),
// console.css, the chunks loaded later (bundle-names.ts: console-xlsx.js, exceljs and the
// report's workbook) and BUNDLE-HASH.txt. index.html pins every asset by Subresource
// Integrity — the lazy chunks in <meta name="tipline-lazy">, as the denouncer page does —
// so the hash of index.html, published by the agency, vouches for what /staff/ serves.

const SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface ConsoleBuildOptions { outDir?: string; minify?: boolean; log?: boolean }
export interface ConsoleBuildResult { outDir: string; files: BuiltFile[] }

async function bundleScript(minify: boolean): Promise<Uint8Array> {
  const result = await build({
    ...BROWSER_BUILD,
    entryPoints: [join(SOURCE_DIR, 'main.tsx')],
    format: 'iife',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the staff console');
  return output.contents;
}

/** A lazy chunk: one self-contained ES module (the console's own script is classic, so nothing is shared). */
async function bundleChunk(entry: string, minify: boolean): Promise<Uint8Array> {
  const result = await build({
    ...BROWSER_BUILD,
    entryPoints: [join(SOURCE_DIR, entry)],
    format: 'esm',
    minify,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for the console chunk ${entry}`);
  return output.contents;
}

export function consoleHashReport(files: BuiltFile[]): string {
  const lines = ['# tipline staff console — publish these so anyone can check what /staff/ serves', ''];
  for (const f of files) lines.push(`${f.name}  sha256:${f.sha256}  ${f.integrity}  (${f.bytes} bytes)`);
  return `${lines.join('\n')}\n`;
}

export async function buildConsole(options: ConsoleBuildOptions = {}): Promise<ConsoleBuildResult> {
  const outDir = options.outDir ?? 'dist/console';
  const minify = options.minify ?? true;
  const script = await bundleScript(minify);
  const style = await readFile(join(SOURCE_DIR, 'style.css'), 'utf8');
  const scriptFile = describeBuiltFile('console.js', script);
  const styleFile = describeBuiltFile('console.css', style);
  const chunks = await Promise.all(Object.entries(CONSOLE_LAZY).map(async ([name, { file, entry }]) => {
    const bytes = await bundleChunk(entry, minify);
    return { name, bytes, built: describeBuiltFile(file, bytes) };
  }));
  const lazy = chunks.map((c) => ({ name: c.name, href: c.built.name, integrity: c.built.integrity }));
  const html = renderConsoleHtml({ scriptIntegrity: scriptFile.integrity, styleIntegrity: styleFile.integrity, lazy });
  const files = [describeBuiltFile('index.html', html), scriptFile, styleFile, ...chunks.map((c) => c.built)];
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'console.js'), script);
  await writeFile(join(outDir, 'console.css'), style);
  for (const c of chunks) await writeFile(join(outDir, c.built.name), c.bytes);
  await writeFile(join(outDir, 'index.html'), html);
  const report = consoleHashReport(files);
  await writeFile(join(outDir, 'BUNDLE-HASH.txt'), report);
  if (options.log) process.stderr.write(`built ${outDir}/: staff console\n${report}`);
  return { outDir, files };
}
