import fc from 'fast-check';
import t from 'tap';
import { deriveReceiptKeys, generateReceipt, normalizeReceipt, receiptVerifier } from '../../src/protocol/index.js';
import { BACKENDS, codeOf, noble, sodium } from './helpers.js';

const SHAPE = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/;

t.test('generated receipts have the displayed shape and normalise to themselves', async (t) => {
  for (const be of BACKENDS) {
    for (let i = 0; i < 50; i++) {
      const receipt = generateReceipt(be);
      t.match(receipt, SHAPE);
      t.equal(normalizeReceipt(receipt.toLowerCase().replaceAll('-', ' ')), receipt);
    }
  }
});

t.test('every data symbol position uses the whole alphabet (no bias toward a subset)', async (t) => {
  const seen = Array.from({ length: 24 }, () => new Set<string>());
  for (let i = 0; i < 400; i++) {
    const symbols = generateReceipt(sodium).replaceAll('-', '');
    for (let p = 0; p < 24; p++) seen[p]!.add(symbols[p]!);
  }
  t.ok(seen.every((s) => s.size === 32), 'all 32 symbols appear at every position');
});

t.test('both backends derive the same keys; the verifier is a hash of the auth key', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.constant(null), async () => {
      const receipt = generateReceipt(sodium);
      const a = deriveReceiptKeys(sodium, receipt);
      const b = deriveReceiptKeys(noble, receipt.toLowerCase());
      t.same(a, b);
      t.same(a.verifier, receiptVerifier(noble, a.authKey));
      t.not(Buffer.from(a.verifier).toString('hex'), Buffer.from(a.authKey).toString('hex'));
    }),
    { numRuns: 20 },
  );
});

t.test('most single-symbol typos and every length error are caught before any key is derived', async (t) => {
  let caught = 0;
  const trials = 320;
  for (let i = 0; i < trials; i++) {
    const symbols = generateReceipt(sodium).replaceAll('-', '');
    const at = i % 25;
    const replacement = symbols[at] === 'Z' ? 'Y' : 'Z';
    const typo = symbols.slice(0, at) + replacement + symbols.slice(at + 1);
    if ((await codeOf(() => normalizeReceipt(typo))) === 'receipt_invalid') caught++;
  }
  // A one-symbol check catches 31 in 32 substitutions; allow generous slack for chance.
  t.ok(caught >= trials * 0.9, `${caught} of ${trials} typos caught`);
  const good = generateReceipt(sodium);
  t.equal(await codeOf(() => normalizeReceipt(good.slice(1))), 'receipt_invalid');
  t.equal(await codeOf(() => normalizeReceipt(`${good}0`)), 'receipt_invalid');
  t.equal(await codeOf(() => normalizeReceipt(good.replace(/[0-9A-Z]/, 'U'))), 'receipt_invalid');
  t.equal(await codeOf(() => normalizeReceipt(good.replace(/[0-9A-Z]/, '*'))), 'receipt_invalid');
});
