import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { BROWSER_BUILD } from '../build/browser-build.js';
import type { TrustAnchors } from '../cli/denouncer/trust-file.js';

// Bundles the page's script as ES modules split by esbuild: the entry (app-<hash>.js),
// the chunks it imports statically (the first view), and the chunks loaded later, while
// the person types: libsodium with its WebAssembly, and the pure-JavaScript backend.
// Every file name carries its content hash, so a file may be cached forever.
//
// A lazy chunk is run only after the page has checked it against the hashes that
// index.html lists for it (src/web/lazy.ts). So the build refuses any dynamic import
// whose target is not one of LAZY_ENTRIES: such a chunk would be code the HTML does not
// vouch for.

const SOURCE_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(SOURCE_DIR, '..', '..');
const ENTRY = 'src/web/main.ts';

/** What the page loads later, by the name src/web/lazy.ts asks for, and the module it starts from. */
export const LAZY_ENTRIES = {
  sodium: 'src/protocol/sodium.ts',
  noble: 'src/protocol/noble.ts',
} as const;
export type LazyName = keyof typeof LAZY_ENTRIES;

/**
 * The Workers the page starts (src/web/pow.ts), each one self-contained file (a Worker
 * started from a blob: URL cannot import chunks), listed in index.html like a lazy load.
 */
export const WORKER_ENTRIES = {
  'pow-sodium': 'src/web/workers/pow-sodium.ts',
  'pow-noble': 'src/web/workers/pow-noble.ts',
} as const;
export type WorkerName = keyof typeof WORKER_ENTRIES;

export interface BundledScripts {
  /** Every output, by file name. */
  files: Map<string, Uint8Array>;
  entry: string;
  /** Chunks the entry imports statically: preloaded, with their hashes, by index.html. */
  firstView: string[];
  /** The chunks each lazy load needs, beyond the first view's; a Worker's one file. */
  lazy: Record<LazyName | WorkerName, string[]>;
}

const fileName = (outPath: string) => outPath.slice(outPath.lastIndexOf('/') + 1);

/** The output and every output it imports statically, transitively. */
function staticClosure(meta: Metafile, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of meta.outputs[out]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(start);
  return seen;
}

function outputFor(meta: Metafile, entryPoint: string): string {
  const found = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === entryPoint);
  if (!found) throw new Error(`the page build produced no chunk for ${entryPoint}`);
  return found;
}

/** Every output the entry can reach, statically or lazily; esbuild also writes chunks nothing loads. */
function reachable(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of meta.outputs[out]?.imports ?? []) if (!i.external) visit(i.path);
  };
  visit(entry);
  return seen;
}

function splitPlan(meta: Metafile): Omit<BundledScripts, 'files' | 'lazy'> & { lazy: Record<LazyName, string[]>; used: Set<string> } {
  const entry = outputFor(meta, ENTRY);
  const first = staticClosure(meta, entry);
  const lazyStarts = new Map(Object.entries(LAZY_ENTRIES).map(([name, source]) => [outputFor(meta, source), name as LazyName]));
  for (const [out, o] of Object.entries(meta.outputs)) {
    for (const i of o.imports) {
      if (i.kind === 'dynamic-import' && !lazyStarts.has(i.path)) {
        throw new Error(`${out} loads ${i.path} lazily, but the page has no hash for it: add its source to LAZY_ENTRIES`);
      }
    }
  }
  const lazy = {} as Record<LazyName, string[]>;
  for (const [start, name] of lazyStarts) {
    lazy[name] = [...staticClosure(meta, start)].filter((o) => !first.has(o)).map(fileName).sort();
  }
  return { used: new Set([...reachable(meta, entry)].map(fileName)), entry: fileName(entry), firstView: [...first].filter((o) => o !== entry).map(fileName).sort(), lazy };
}

export async function bundleScripts(pins: TrustAnchors, production: boolean, minify: boolean): Promise<BundledScripts> {
  const result = await build({
    ...BROWSER_BUILD,
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    format: 'esm',
    splitting: true,
    outdir: 'dist/web',
    entryNames: 'app-[hash]',
    chunkNames: 'chunk-[hash]',
    minify,
    metafile: true,
    // Pinned into the bundle so that a compromised server cannot swap them.
    define: { __TIPLINE_TRUSTED_AGENCIES__: JSON.stringify(pins), __TIPLINE_PRODUCTION__: JSON.stringify(production) },
  });
  const { used, lazy, ...plan } = splitPlan(result.metafile);
  // Left out: a chunk for a dynamic import that tree shaking removed (the staff key
  // file's libsodium build) would be served, hashed, and never loaded.
  const files = new Map(result.outputFiles.map((f) => [fileName(f.path), f.contents]).filter(([name]) => used.has(name as string)) as [string, Uint8Array][]);
  const workers = {} as Record<WorkerName, string[]>;
  for (const [name, source] of Object.entries(WORKER_ENTRIES) as [WorkerName, string][]) {
    const worker = await bundleWorker(source, minify);
    files.set(worker.name, worker.contents);
    workers[name] = [worker.name];
  }
  return { files, ...plan, lazy: { ...lazy, ...workers } };
}

/** One Worker script, everything it needs inside (no import to resolve from a blob: URL). */
async function bundleWorker(source: string, minify: boolean): Promise<{ name: string; contents: Uint8Array }> {
  const result = await build({
    ...BROWSER_BUILD,
    absWorkingDir: ROOT,
    entryPoints: [source],
    format: 'iife',
    outdir: 'dist/web',
    entryNames: 'chunk-[hash]',
    minify,
  });
  const [out, ...more] = result.outputFiles;
  if (!out || more.length > 0) throw new Error(`the Worker ${source} did not build to one file`);
  return { name: fileName(out.path), contents: out.contents };
}
