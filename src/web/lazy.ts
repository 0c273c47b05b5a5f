import type { ConsoleLazyName } from '../console/bundle-names.js';
import type { LazyName, WorkerName } from './bundle.js';

// Code the first view does not need (libsodium and its WebAssembly, the pure-JavaScript
// backend) is fetched while the person types. index.html, whose hash the agency
// publishes, lists every such chunk with its SRI hash (<meta name="tipline-lazy">).
// Before a lazy module is imported, each of its chunks is fetched as a
// <link rel="modulepreload" integrity>: the browser checks the bytes against the hash
// and only then puts the module in the document's module map, where the import() that
// follows finds it without fetching again. A chunk that fails its hash fails the load,
// and the import is never attempted: the page refuses code the HTML does not vouch for.
// A Worker's script is one file fetched with the hash as fetch's `integrity` (the browser
// refuses other bytes) and started from a blob: URL of exactly the bytes it checked.

export class UnverifiedChunkError extends Error {
  constructor(what: string) {
    super(`refused ${what}: it does not match the hash in the page`);
    this.name = 'UnverifiedChunkError';
  }
}

interface Chunk { href: string; integrity: string }

// The staff console lists its own lazy chunk (src/console/xlsx.ts) the same way, by a name of its own.
function listed(name: LazyName | WorkerName | ConsoleLazyName): Chunk[] {
  for (const meta of document.querySelectorAll<HTMLMetaElement>('meta[name="tipline-lazy"]')) {
    const [key, ...rest] = meta.content.split(' ');
    if (key !== name) continue;
    const chunks: Chunk[] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) chunks.push({ href: rest[i]!, integrity: rest[i + 1]! });
    return chunks;
  }
  // Not listed: nothing vouches for it, so it is not loaded.
  throw new UnverifiedChunkError(name);
}

const preloads = new Map<string, Promise<void>>();

function preload(chunk: Chunk): Promise<void> {
  let done = preloads.get(chunk.href);
  if (!done) {
    done = new Promise<void>((resolve, reject) => {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.integrity = chunk.integrity;
      link.href = chunk.href;
      link.addEventListener('load', () => resolve());
      link.addEventListener('error', () => reject(new UnverifiedChunkError(chunk.href)));
      document.head.append(link);
    });
    preloads.set(chunk.href, done);
  }
  return done;
}

/** Resolves once every chunk of `name` is fetched and matches its hash; the caller imports after. */
export async function verifiedChunks(name: LazyName): Promise<void> {
  await Promise.all(listed(name).map(preload));
}

/**
 * The URL to import() the one chunk of `name` from, once the browser has checked it against
 * its hash: the module map then holds exactly those bytes under that URL, so the import
 * fetches nothing. Absolute, so the link and the import name the same module from a
 * classic script too (the console's), whose import() resolves against the script's URL.
 */
export async function verifiedModuleUrl(name: ConsoleLazyName): Promise<string> {
  const [chunk, ...more] = listed(name);
  if (!chunk || more.length > 0) throw new UnverifiedChunkError(name);
  const href = new URL(chunk.href, document.baseURI).href;
  await preload({ href, integrity: chunk.integrity });
  return href;
}

/**
 * The script of Worker `name`, fetched and checked by the browser against its hash, as a
 * blob: URL of those very bytes (a Worker started from the file's own URL would fetch it
 * again, unchecked: the Worker constructor takes no integrity).
 */
export async function verifiedWorkerUrl(name: WorkerName): Promise<string> {
  const [chunk, ...more] = listed(name);
  if (!chunk || more.length > 0) throw new UnverifiedChunkError(name);
  let bytes: ArrayBuffer;
  try {
    const response = await fetch(chunk.href, { integrity: chunk.integrity });
    if (!response.ok) throw new Error(String(response.status));
    bytes = await response.arrayBuffer();
  } catch {
    throw new UnverifiedChunkError(chunk.href);
  }
  return URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
}
