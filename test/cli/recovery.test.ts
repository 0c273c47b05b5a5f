import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { submitCase } from '../../src/client/denouncer.js';
import { encryptKeyFile } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline recovery init` on the offline machine and `tipline recovery open`, the drill,
// at the intake officer's: the public key goes into the bundle, the paper shares to their
// holders, and two of three shares re-grant every case to an investigator.

t.test('recovery init writes only the public key; open with m shares re-grants, with fewer opens nothing', async (t) => {
  const { app, database } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agency = await createTestAgency(database.db, { intake: 1, investigators: 1 });
  const [officer, investigator] = [agency.withRole('intake')[0]!, agency.withRole('investigator')[0]!];
  const dir = mkdtempSync(join(tmpdir(), 'tipline-recovery-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'intake.json');
  writeFileSync(key, await encryptKeyFile(officer.keys, 'correct horse', { staffId: officer.id, label: 'staff' }, { opslimit: 1, memlimit: 8192 }));
  const env = { DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_ORIGIN: app.config.origin, TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: key, TIPLINE_PASSPHRASE: 'correct horse' };
  const tipline = (...args: string[]) => tiplineCli(args, env);

  t.match((await tipline('recovery', 'init', '--help')).stdout, /--threshold <m>/, '--help');
  t.match((await tipline('recovery', 'open', '--help')).stdout, /--share-file <file>/, '--help');
  t.not((await tipline('recovery', 'init', '--threshold', '1', '--shares', '3', '--out', join(dir, 'x.json'))).code, 0, 'no whole key on one sheet');
  const recipientFile = join(dir, 'recovery-recipient.json');
  const sharesDir = join(dir, 'shares');
  const init = await tipline('recovery', 'init', '--threshold', '2', '--shares', '3', '--out', recipientFile, '--shares-dir', sharesDir);
  t.equal(init.code, 0, init.stderr);
  const recipient = JSON.parse(readFileSync(recipientFile, 'utf8')) as { boxPublicKey: string; threshold: number; shares: number };
  t.same(Object.keys(recipient).sort(), ['boxPublicKey', 'format', 'keyId', 'shares', 'threshold', 'version'], 'the public key and its split, no private key');
  const shares = readdirSync(sharesDir).sort().map((f) => join(sharesDir, f));
  t.equal(shares.length, 3);
  t.equal(statSync(shares[0]!).mode & 0o777, 0o600);

  await publishBundle(database.db, agency.be, { ...agency.bundle, serial: 2, recovery: { boxPublicKey: recipient.boxPublicKey, threshold: 2, shares: 3 } }, agency.keys);
  for (const body of ['first', 'second']) await submitCase({ server, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body });
  t.equal((await tipline('agency', 'pin', agency.id, agency.fingerprint)).code, 0);
  t.equal((await tipline('login')).code, 0);

  const few = await tipline('recovery', 'open', '--to', investigator.id, '--share-file', shares[1]!);
  t.not(few.code, 0, 'one share of two');
  t.match(few.stderr, /do not rebuild the recovery key/);
  const garbled = readFileSync(shares[0]!, 'utf8').replace(/^(.{10})./, (_, head: string) => `${head}${head.endsWith('U') ? 'V' : 'U'}`);
  writeFileSync(join(dir, 'typo.txt'), garbled);
  t.match((await tipline('recovery', 'open', '--to', investigator.id, '--share-file', join(dir, 'typo.txt'), '--share-file', shares[1]!)).stderr, /typo/);
  const granted = await database.db.selectFrom('case_keys').select('id').where('staff_id', '=', investigator.id).execute();
  t.same(granted, [], 'nothing was granted');

  const drill = await tipline('recovery', 'open', '--to', investigator.id, '--share-file', shares[2]!, '--share-file', shares[0]!);
  t.equal(drill.code, 0, drill.stderr);
  t.match(drill.stdout, /re-granted 2 of 2 cases/);
  t.match(drill.stderr, /1\. TL-\d{4}-\d{6} granted\n2\. TL-\d{4}-\d{6} granted/, 'one line per case');
  const rows = await database.db.selectFrom('case_keys').select(['granted_by']).where('staff_id', '=', investigator.id).execute();
  t.same(rows.map((r) => r.granted_by), [officer.id, officer.id], 'each a grant the officer signed');
});
