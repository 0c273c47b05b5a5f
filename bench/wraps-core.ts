import { WRAP_KIND, generateStaffKeys, generateXWingKeyPair, loadBackend, unwrapKeyV2, wrapKeyV2, type Backend } from '../src/protocol/index.js';
import { unwrapKey, wrapKey } from '../src/protocol/wrap.js';

// A case's content key wrapped for 10 recipients and opened by each, protocol v1
// (X25519 sealed boxes) against v2 (X-Wing, PROTOCOL.md §16), on both backends.
// Isomorphic: the same module runs in Node and, bundled, in headless Chromium.

export const RECIPIENTS = 10;

export interface WrapFigures {
  /** Milliseconds for all 10 recipients, best round, per backend and version. */
  seal: Record<string, number>;
  open: Record<string, number>;
}

const ctx = { agencyId: '00000000-0000-4000-8000-000000000001', caseId: '00000000-0000-4000-8000-000000000002' };

function best(run: () => void, rounds: number): number {
  let fastest = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

function measureBackend(be: Backend, rounds: number, into: WrapFigures): void {
  const contentKey = be.randomBytes(32);
  const v1 = Array.from({ length: RECIPIENTS }, () => generateStaffKeys(be)).map((k) => ({ publicKey: k.boxPublicKey, secretKey: k.boxSecretKey }));
  const v2 = Array.from({ length: RECIPIENTS }, () => generateXWingKeyPair(be));
  let wrapped1: Uint8Array[] = [];
  let wrapped2: Uint8Array[] = [];
  into.seal[`${be.name} v1`] = best(() => { wrapped1 = v1.map((k) => wrapKey(be, WRAP_KIND.contentKey, ctx, contentKey, k.publicKey)); }, rounds);
  into.seal[`${be.name} v2`] = best(() => { wrapped2 = v2.map((k) => wrapKeyV2(be, WRAP_KIND.contentKey, ctx, contentKey, k.publicKey)); }, rounds);
  into.open[`${be.name} v1`] = best(() => { wrapped1.forEach((w, i) => unwrapKey(be, WRAP_KIND.contentKey, ctx, w, v1[i]!, 32)); }, rounds);
  into.open[`${be.name} v2`] = best(() => { wrapped2.forEach((w, i) => unwrapKeyV2(be, WRAP_KIND.contentKey, ctx, w, v2[i]!)); }, rounds);
}

export async function measureWraps(rounds: number): Promise<WrapFigures> {
  const figures: WrapFigures = { seal: {}, open: {} };
  for (const name of ['sodium', 'noble'] as const) measureBackend(await loadBackend(name), rounds, figures);
  return figures;
}
