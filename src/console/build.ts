import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describeBuiltFile, type BuiltFile } from '../web/build.js';
import { renderConsoleHtml } from './html.js';

// Builds the staff console into one directory, as src/web/build.ts does the denouncer
// page: index.html, console.js (Preact, the SDK and the protocol, libsodium included),
// console.css and BUNDLE-HASH.txt. index.html pins both assets by Subresource Integrity,
// so the hash of index.html, published by the agency, vouches for what /staff/ serves.

const SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface ConsoleBuildOptions { outDir?: string; minify?: boolean; log?: boolean }
export interface ConsoleBuildResult { outDir: string; files: BuiltFile[] }

async function bundleScript(minify: boolean): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [join(SOURCE_DIR, 'main.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for the staff console');
  return output.contents;
}

export function consoleHashReport(files: BuiltFile[]): string {
  const lines = ['# tipline staff console — publish these so anyone can check what /staff/ serves', ''];
  for (const f of files) lines.push(`${f.name}  sha256:${f.sha256}  ${f.integrity}  (${f.bytes} bytes)`);
  return `${lines.join('\n')}\n`;
}

export async function buildConsole(options: ConsoleBuildOptions = {}): Promise<ConsoleBuildResult> {
  const outDir = options.outDir ?? 'dist/console';
  const script = await bundleScript(options.minify ?? true);
  const style = await readFile(join(SOURCE_DIR, 'style.css'), 'utf8');
  const scriptFile = describeBuiltFile('console.js', script);
  const styleFile = describeBuiltFile('console.css', style);
  const html = renderConsoleHtml({ scriptIntegrity: scriptFile.integrity, styleIntegrity: styleFile.integrity });
  const files = [describeBuiltFile('index.html', html), scriptFile, styleFile];
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'console.js'), script);
  await writeFile(join(outDir, 'console.css'), style);
  await writeFile(join(outDir, 'index.html'), html);
  const report = consoleHashReport(files);
  await writeFile(join(outDir, 'BUNDLE-HASH.txt'), report);
  if (options.log) process.stderr.write(`built ${outDir}/: staff console\n${report}`);
  return { outDir, files };
}
