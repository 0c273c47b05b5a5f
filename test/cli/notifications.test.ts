import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { utcToDay } from '../../src/domain/index.js';
import { createTestApp } from '../helpers/app.js';
import { makeAgency, makeCase, makeStaff } from '../server/workflow-fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline notifications show | set | off`, as a script would run them: a listening
// server and a session token.

t.setTimeout(120_000);

t.test('notifications from the command line', async (t) => {
  const { app, database } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  await makeCase(db, agency, utcToDay(Date.now()));
  const dir = mkdtempSync(join(tmpdir(), 'tipline-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tipline = (...args: string[]) =>
    tiplineCli(args, { DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_HOME: join(dir, 'home'), TIPLINE_SESSION: intake.auth.replace(/^Bearer /, '') });

  const help = await tipline('notifications', '--help');
  t.match(help.stdout, /show[\s\S]*set[\s\S]*off/, 'the commands are listed');
  t.match((await tipline('notifications', 'set', '--help')).stdout, /--email <address>[\s\S]*--kinds <list>[\s\S]*--within <days>/);

  const before = await tipline('notifications', 'show');
  t.equal(before.code, 0, before.stderr);
  t.match(before.stdout, /inbox\s+1/, 'one case awaits triage');
  t.match(before.stdout, /digest: off/);

  const set = await tipline('notifications', 'set', '--email', 'tiep.nhan@agency.test', '--kinds', 'inbox,deadlines', '--within', '5');
  t.equal(set.code, 0, set.stderr);
  t.match(set.stdout, /digest on: inbox, deadlines \(deadlines within 5 working days\) to tiep\.nhan@agency\.test/);
  const shown = JSON.parse((await tipline('notifications', 'show', '--json')).stdout) as { withinDays: number; mail: boolean; preferences: unknown };
  t.same(shown.preferences, { address: 'tiep.nhan@agency.test', kinds: ['inbox', 'deadlines'], withinDays: 5 });
  t.equal(shown.mail, false, 'no SMTP server is configured here');
  t.match((await tipline('notifications', 'show')).stdout, /this server sends no mail/);

  const bad = await tipline('notifications', 'set', '--email', 'a@agency.test', '--kinds', 'gossip');
  t.equal(bad.code, 1);
  t.match(bad.stderr, /--kinds takes a comma-separated list/);
  t.equal((await tipline('notifications', 'set', '--email', 'not-an-address')).code, 1, 'the server refuses a malformed address');

  t.match((await tipline('notifications', 'off')).stdout, /digest off; your address is deleted/);
  t.match((await tipline('notifications', 'off')).stdout, /already off/);
});
