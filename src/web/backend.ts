import { loadBackend, type Backend } from '../protocol/index.js';

// libsodium when the browser lets it compile WebAssembly; the pure-JavaScript noble
// backend otherwise (Tor Browser "Safer" removes WebAssembly; a CSP or an extension
// may block it). Both read and write the same formats.

const SODIUM_TIMEOUT_MS = 8000;

let chosen: Promise<Backend> | undefined;

async function choose(): Promise<Backend> {
  if (typeof WebAssembly !== 'object') return loadBackend('noble');
  try {
    return await Promise.race([
      loadBackend('sodium'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), SODIUM_TIMEOUT_MS)),
    ]);
  } catch {
    return loadBackend('noble');
  }
}

export function pageBackend(): Promise<Backend> {
  chosen ??= choose().then((be) => {
    // Visible to tests and to a curious denouncer (the footer names it).
    document.documentElement.dataset['backend'] = be.name;
    return be;
  });
  return chosen;
}
