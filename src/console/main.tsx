import { render } from 'preact';
import { loadBackend } from '../protocol/index.js';
import { App } from './app.js';

// The console's entry point. libsodium needs WebAssembly (CSP 'wasm-unsafe-eval'); the
// key file's Argon2id runs in libsodium's sumo build, so the console needs it too.

async function start(): Promise<void> {
  const be = await loadBackend();
  document.documentElement.dataset['backend'] = be.name;
  const root = document.getElementById('app');
  if (root) render(<App backend={be.name === 'sodium' ? 'libsodium (WebAssembly)' : 'JavaScript (noble)'} />, root);
}

void start();
