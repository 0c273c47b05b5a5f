import t from 'tap';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle, type FixtureAgency } from '../helpers/fixtures.js';
import {
  agencyFingerprint, encryptKeyFile, fromBase64Url, generateAgencyKeys, generateStaffKeys, loadBackend, transitionsFromJson, verifyAgencyKeyTransition,
  type AgencyKeys,
} from '../../src/protocol/index.js';
import type { Database } from '../../src/server/db/connect.js';
import { tiplineCli } from './in-process.js';

// The denouncer's CLI across an agency key rotation (PROTOCOL.md §9.2): `agency rotate-key`
// signs the hand-over offline; `submit`, pinned to the old key, follows it and remembers
// the new one; after a leak, `trust add --replace --revoke-old` re-pins, and what the
// leaked key signs is refused.

t.setTimeout(300_000);

const PASSPHRASE = 'correct horse battery';

async function keyFile(dir: string, name: string, keys: AgencyKeys): Promise<string> {
  const pair = generateStaffKeys(await loadBackend());
  const file = join(dir, name);
  await writeFile(file, await encryptKeyFile({ ...pair, signPublicKey: keys.publicKey, signSecretKey: keys.secretKey }, PASSPHRASE, { label: 'agency' }));
  return file;
}

/** What `bundle publish --key-transition` does on the server, written straight in: the statement, the new key, its first bundle. */
async function recordRotation(db: Database, agency: FixtureAgency, statementFile: string, next: AgencyKeys, serial: number): Promise<void> {
  const json = JSON.parse(await readFile(statementFile, 'utf8'));
  const [st] = transitionsFromJson(agency.id, [json]);
  await db.insertInto('agency_key_transitions').values({
    agency_id: agency.id, effective_serial: st!.effectiveSerial, issued_on: st!.issuedOn, old_public_key: st!.oldPublicKey,
    new_public_key: st!.newPublicKey, old_signature: st!.oldSignature, new_signature: st!.newSignature,
  }).execute();
  await db.updateTable('agencies').set({ signing_public_key: next.publicKey }).where('id', '=', agency.id).execute();
  await publishBundle(db, agency.be, { ...agency.bundle, serial }, next);
}

t.test('submit follows a rotation from its pin, and refuses a revoked key after a re-pin', async (t) => {
  const { app, database } = await createTestApp(t);
  const { db } = database;
  const agency = await createTestAgency(db, { slug: 'thanh-tra', custodians: 1, threshold: 1 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const dir = await mkdtemp(join(tmpdir(), 'tipline-rotate-'));
  const trustFile = join(dir, 'pins.json');
  const report = join(dir, 'report.txt');
  await writeFile(report, 'The tender was awarded before it was published.');
  const env = { TIPLINE_PASSPHRASE: PASSPHRASE, TIPLINE_HOME: join(dir, 'home') };
  const tipline = (args: string[]) => tiplineCli([...args, ...(args[0] === 'agency' ? [] : ['--trust-file', trustFile]), ...(args[0] === 'submit' ? ['--server', address] : [])], env);
  const cases = async () => (await db.selectFrom('cases').select('id').execute()).length;

  const help = await tipline(['agency', 'rotate-key', '--help']);
  t.match(help.stdout, /--new-agency-key/, 'rotate-key has --help');
  const k1 = generateAgencyKeys(agency.be);
  const [oldFile, newFile] = [await keyFile(dir, 'k0.json', agency.keys), await keyFile(dir, 'k1.json', k1)];
  const statement = join(dir, 'k0-k1.json');
  const rotated = await tipline(['agency', 'rotate-key', '--agency-id', agency.id, '--agency-key', oldFile, '--new-agency-key', newFile, '--serial', '2', '--out', statement, '--json']);
  t.equal(rotated.code, 0, rotated.stderr);
  t.match(JSON.parse(rotated.stdout), { effectiveSerial: 2, oldFingerprint: agency.fingerprint, newFingerprint: agencyFingerprint(agency.be, k1.publicKey) });
  const [written] = transitionsFromJson(agency.id, [JSON.parse(await readFile(statement, 'utf8'))]);
  t.ok(verifyAgencyKeyTransition(agency.be, written!), 'the statement verifies, signed by both keys');
  t.same(written!.newPublicKey, fromBase64Url(JSON.parse(await readFile(statement, 'utf8')).newPublicKey));
  await recordRotation(db, agency, statement, k1, 2);

  t.equal((await tipline(['trust', 'add', 'thanh-tra', agency.fingerprint])).code, 0);
  const followed = await tipline(['submit', 'thanh-tra', '--file', report]);
  t.equal(followed.code, 0, followed.stderr);
  const k1Print = agencyFingerprint(agency.be, k1.publicKey);
  t.same(JSON.parse(await readFile(trustFile, 'utf8')), { 'thanh-tra': { fingerprint: k1Print, serial: 2 } }, 'the pin follows K0→K1 and keeps the serial');

  // K1 leaks. The agency hands over to K2 and reads K2's fingerprint out through its own channels.
  const k2 = generateAgencyKeys(agency.be);
  const k1File = await keyFile(dir, 'k1b.json', k1);
  const k2File = await keyFile(dir, 'k2.json', k2);
  const second = join(dir, 'k1-k2.json');
  t.equal((await tipline(['agency', 'rotate-key', '--agency-id', agency.id, '--agency-key', k1File, '--new-agency-key', k2File, '--serial', '3', '--out', second])).code, 0);
  await recordRotation(db, agency, second, k2, 3);
  const k2Print = agencyFingerprint(agency.be, k2.publicKey);
  const repin = await tipline(['trust', 'add', 'thanh-tra', k2Print, '--replace', '--revoke-old']);
  t.equal(repin.code, 0, repin.stderr);
  t.same(JSON.parse(await readFile(trustFile, 'utf8'))['thanh-tra'].revoked, [k1Print], 'K1 is revoked in the pin file');
  t.equal((await tipline(['submit', 'thanh-tra', '--file', report])).code, 0, 'sealed under K2');

  // Whoever holds K1 publishes a bundle of its own as the newest.
  await publishBundle(db, agency.be, { ...agency.bundle, serial: 4 }, k1);
  const before = await cases();
  const refused = await tipline(['submit', 'thanh-tra', '--file', report]);
  t.not(refused.code, 0, 'refused');
  t.match(refused.stderr, /revoked key|not validly signed/);
  t.equal(await cases(), before, 'nothing reached the server');
  const back = await tipline(['trust', 'add', 'thanh-tra', k1Print, '--replace']);
  t.not(back.code, 0, 'a revoked key is never pinned again');
});
