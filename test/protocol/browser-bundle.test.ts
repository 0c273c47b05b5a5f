import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

const entry = fileURLToPath(new URL('../../src/protocol/index.ts', import.meta.url));

t.test('src/protocol bundles for the browser with no Node built-in', async (t) => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    // Argon2id key files are for staff tools; the denouncer page never loads them.
    external: ['libsodium-wrappers-sumo'],
    metafile: true,
    logLevel: 'silent',
  });
  t.equal(result.errors.length, 0);
  const inputs = Object.keys(result.metafile.inputs);
  t.notOk(inputs.some((i) => i.startsWith('node:')), 'no node: input');
  const code = result.outputFiles[0]!.text;
  t.notMatch(code, /from\s*["']node:/, 'no static node: import');
  t.notMatch(code, /import\(["']node:/, 'no dynamic node: import');
  t.notMatch(code, /require\(["'](node:)?(crypto|fs|path|buffer)["']\)/, 'no Node module required');
  t.ok(inputs.some((i) => i.includes('@noble/ciphers')), 'the pure-JavaScript backend is in the bundle');
});

t.test('the browser bundle runs: both backends load and open what the other seals', async (t) => {
  const result = await build({
    stdin: {
      contents: `
        import * as p from ${JSON.stringify(entry)};
        export async function roundTrip() {
          const [a, b] = [await p.loadBackend('sodium'), await p.loadBackend('noble')];
          const staff = p.generateStaffKeys(b);
          const ctx = { agencyId: '0b6c7a52-3e0f-4c1a-9d57-5a0e2f7c1d01', caseId: '6f1d2c3b-4a59-4e68-8b7a-9c0d1e2f3a01' };
          const sealed = await p.sealCase(a, { ctx, body: new TextEncoder().encode('bundled'), denouncerPublicKey: staff.boxPublicKey,
            recipients: [{ staffId: '5a7e0000-0000-4000-8000-000000000001', boxPublicKey: staff.boxPublicKey }] });
          const key = p.unwrapContentKey(b, ctx, sealed.denouncerKey, { publicKey: staff.boxPublicKey, secretKey: staff.boxSecretKey });
          return [a.name, b.name, new TextDecoder().decode(p.openCase(a, ctx, sealed.envelope, key))];
        }`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    external: ['libsodium-wrappers-sumo'],
    logLevel: 'silent',
  });
  const dir = mkdtempSync(join(tmpdir(), 'tipline-bundle-'));
  try {
    const file = join(dir, 'protocol.mjs');
    writeFileSync(file, result.outputFiles[0]!.text);
    const bundled = (await import(pathToFileURL(file).href)) as { roundTrip(): Promise<string[]> };
    t.same(await bundled.roundTrip(), ['sodium', 'noble', 'bundled']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
