import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encryptKeyFile } from '../../src/protocol/index.js';
import { submitCase } from '../../src/server/db/submissions.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, sealTestCase, submissionOf } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline keys rotate` as an intake officer runs it: a new key file, every case key
// re-sealed to it and staged, the new fingerprint to read to the admin; `keys rotation`
// shows what is staged. The admin's half is the bundle (test/server/staff-rotation.test.ts).

t.test('an intake officer rotates from the CLI', async (t) => {
  const { app, database } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agency = await createTestAgency(database.db, { intake: 1 });
  const officer = agency.withRole('intake')[0]!;
  for (const text of ['one', 'two']) await submitCase(database.db, submissionOf(await sealTestCase(agency, text)));
  const dir = mkdtempSync(join(tmpdir(), 'tipline-rotate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'intake.json');
  writeFileSync(key, await encryptKeyFile(officer.keys, 'correct horse', { staffId: officer.id, agencyId: agency.id, label: 'staff' }, { opslimit: 1, memlimit: 8192 }));
  const env = { DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_ORIGIN: app.config.origin, TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: key, TIPLINE_PASSPHRASE: 'correct horse' };
  const tipline = (...args: string[]) => tiplineCli(args, env);
  t.equal((await tipline('agency', 'pin', agency.id, agency.fingerprint)).code, 0);
  t.equal((await tipline('login')).code, 0);
  t.match((await tipline('keys', 'rotate', '--help')).stdout, /--out <file>/, '--help lists the options');

  const out = join(dir, 'intake-2027.json');
  const r = await tipline('keys', 'rotate', '--out', out, '--json');
  t.equal(r.code, 0, r.stderr);
  const rotated = JSON.parse(r.stdout) as { resealed: number; unstaged: number; fingerprint: string };
  t.same([rotated.resealed, rotated.unstaged], [2, 0], 'both case keys re-sealed');
  const again = await tipline('keys', 'rotate', '--out', out);
  t.not(again.code, 0, 'an existing key file is never overwritten');
  const status = JSON.parse((await tipline('keys', 'rotation', '--json')).stdout) as { fingerprint: string; unstaged: number };
  t.same([status.fingerprint, status.unstaged], [rotated.fingerprint, 0], 'the staged rotation names the new key');
  const login = await tiplineCli(['login'], { ...env, TIPLINE_KEY: out });
  t.not(login.code, 0, 'the new key file logs in only once a bundle lists it');
});
