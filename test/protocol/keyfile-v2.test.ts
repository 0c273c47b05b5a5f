import t from 'tap';
import { decryptKeyFile, encryptKeyFile, generateStaffKeys, generateStaffKeysV2, generateXWingKeyPair } from '../../src/protocol/index.js';
import { codeOf, sodium } from './helpers.js';

// PROTOCOL.md §16.4. Test limits: Argon2id at its minimum, the format is what is tested.
const FAST = { opslimit: 1, memlimit: 8192 };
const META = { staffId: '5a7e0000-0000-4000-8000-000000000001', label: 'laptop' };

t.test('keys with an X-Wing pair write a version-2 file that opens to the same six keys', async (t) => {
  const keys = generateStaffKeysV2(sodium);
  const text = await encryptKeyFile(keys, 'pass phrase', META, FAST);
  const file = JSON.parse(text);
  t.equal(file.version, 2);
  t.equal(Buffer.from(file.ciphertext, 'base64url').length, 144);
  t.same((await decryptKeyFile(text, 'pass phrase')).keys, keys);
});

t.test('keys without one still write version 1, byte for byte the v1 layout', async (t) => {
  const keys = generateStaffKeys(sodium);
  const file = JSON.parse(await encryptKeyFile(keys, 'pass phrase', META, FAST));
  t.equal(file.version, 1);
  t.notOk('xwingPublicKey' in file);
  t.equal(Buffer.from(file.ciphertext, 'base64url').length, 112);
});

t.test('an X-Wing secret that does not derive the listed public key is open_failed', async (t) => {
  const keys = { ...generateStaffKeysV2(sodium), xwingPublicKey: generateXWingKeyPair(sodium).publicKey };
  const text = await encryptKeyFile(keys, 'pass phrase', META, FAST);
  t.equal(await codeOf(() => decryptKeyFile(text, 'pass phrase')), 'open_failed');
});

t.test('half an X-Wing pair, or one of the wrong size, is refused before writing', async (t) => {
  const { xwingSecretKey: _, ...publicOnly } = generateStaffKeysV2(sodium);
  t.equal(await codeOf(() => encryptKeyFile(publicOnly, 'pass phrase', META, FAST)), 'input_invalid');
  const short = { ...generateStaffKeysV2(sodium), xwingSecretKey: new Uint8Array(31) };
  t.equal(await codeOf(() => encryptKeyFile(short, 'pass phrase', META, FAST)), 'input_invalid');
});
