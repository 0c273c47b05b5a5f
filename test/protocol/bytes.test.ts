import t from 'tap';
import fc from 'fast-check';
import * as nodeBytes from '../../src/protocol/bytes.js';

// Strict base64url (PROTOCOL.md): exactly one text per byte string. The decoder accepts
// a text if and only if the encoder would have written it.

// The module decodes with Node's Buffer when there is one; called with Buffer hidden, it
// takes the path browsers take. Both must give the same answers. Buffer is hidden only
// for the length of one synchronous call, so nothing else in the process misses it.
function withoutBuffer<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    const hidden = globalThis.Buffer;
    Reflect.deleteProperty(globalThis, 'Buffer');
    try {
      return fn(...args);
    } finally {
      globalThis.Buffer = hidden;
    }
  };
}
const portableBytes = { fromBase64Url: withoutBuffer(nodeBytes.fromBase64Url), toBase64Url: withoutBuffer(nodeBytes.toBase64Url) };

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

for (const [path, { fromBase64Url, toBase64Url }] of [['Node', nodeBytes], ['portable', portableBytes]] as const) {
  t.test(`${path}: round trip, and the same bytes as Node’s decoder`, async (t) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        return Buffer.from(fromBase64Url(text)).equals(Buffer.from(bytes)) && Buffer.from(text, 'base64url').equals(Buffer.from(bytes));
      }),
      { numRuns: 500 },
    );
    t.pass('500 random byte strings');
  });

  t.test(`${path}: accepted exactly when canonical`, async (t) => {
    const symbol = fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...alphabet) },
      { weight: 1, arbitrary: fc.constantFrom('+', '/', '=', ' ', '\n', '\u00e9', '\u0100', '\ud83d\ude00', '\0') },
    );
    fc.assert(
      fc.property(fc.array(symbol, { maxLength: 40 }), (symbols) => {
        const text = symbols.join('');
        let decoded: Uint8Array | undefined;
        try {
          decoded = fromBase64Url(text);
        } catch {
          decoded = undefined;
        }
        const canonical = [...text].every((c) => alphabet.includes(c)) && text.length % 4 !== 1
          && Buffer.from(text, 'base64url').toString('base64url') === text;
        return decoded !== undefined ? canonical && toBase64Url(decoded) === text : !canonical;
      }),
      { numRuns: 2000 },
    );
    t.pass('2000 random texts');
    t.throws(() => fromBase64Url('AB'), 'non-zero trailing bits');
    t.same(fromBase64Url('AA'), new Uint8Array([0]));
    t.throws(() => fromBase64Url('AAAAA'), 'a length of 4n+1');
    t.same(fromBase64Url(''), new Uint8Array(0));
  });
}
