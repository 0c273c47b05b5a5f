import { loadBackend, type Backend } from '../protocol/index.js';
import { verifiedChunks } from './lazy.js';
import { preparePowWorker } from './pow.js';

// libsodium when the browser lets it compile WebAssembly; the pure-JavaScript noble
// backend otherwise (Tor Browser "Safer" removes WebAssembly; a CSP or an extension
// may block it). Both read and write the same formats. Neither is in the first view's
// code: each is fetched, and checked against index.html, when first asked for (lazy.ts).

const SODIUM_TIMEOUT_MS = 8000;

/** The page's backend, fetched and started on first call; every caller shares it. */
export type BackendSource = () => Promise<Backend>;

let chosen: Promise<Backend> | undefined;

async function noble(): Promise<Backend> {
  await verifiedChunks('noble');
  return loadBackend('noble');
}

async function choose(): Promise<Backend> {
  if (typeof WebAssembly !== 'object') return noble();
  // A chunk that fails its hash is refused outright (no fallback hides a tampered page).
  await verifiedChunks('sodium');
  try {
    // Bounded: the code is here, only the WebAssembly has to start, which a blocking
    // extension or policy may leave pending forever.
    return await Promise.race([
      loadBackend('sodium'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), SODIUM_TIMEOUT_MS)),
    ]);
  } catch {
    return noble();
  }
}

export const pageBackend: BackendSource = () => {
  chosen ??= choose().then((be) => {
    // Visible to tests and to a curious denouncer (the footer names it).
    document.documentElement.dataset['backend'] = be.name;
    // The proof-of-work Worker is fetched now, while the person writes, not at "send".
    preparePowWorker(be);
    return be;
  });
  return chosen;
};
