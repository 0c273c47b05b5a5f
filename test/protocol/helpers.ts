import { TiplineCryptoError, loadBackend, type Backend } from '../../src/protocol/index.js';

export const sodium = await loadBackend('sodium');
export const noble = await loadBackend('noble');
export const BACKENDS: Backend[] = [sodium, noble];
/** Every (sealer, opener) pair, so each backend opens what the other seals. */
export const PAIRS: [Backend, Backend][] = [
  [sodium, sodium],
  [sodium, noble],
  [noble, sodium],
  [noble, noble],
];

export const CTX = { agencyId: '0b6c7a52-3e0f-4c1a-9d57-5a0e2f7c1d01', caseId: '6f1d2c3b-4a59-4e68-8b7a-9c0d1e2f3a01' };

export function uuid(n: number): string {
  return `5a7e0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The error code thrown by `run`, or 'none'. */
export async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'none';
  } catch (error) {
    return error instanceof TiplineCryptoError ? error.code : `foreign: ${String(error)}`;
  }
}
