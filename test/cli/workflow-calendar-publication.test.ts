import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { addCalendarDays, utcToDay } from '../../src/domain/index.js';
import { createTestApp } from '../helpers/app.js';
import { makeAgency, makeCase, makeStaff, transition } from '../server/workflow-fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline holidays …`, `tipline case publish`, `tipline publications …` run as a script
// would run them: a listening server and a session token, no key file.


t.setTimeout(240_000);

t.test('holidays and publications from the command line', async (t) => {
  const { app, database } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const db = database.db;
  const agency = await makeAgency(db);
  const head = await makeStaff(db, agency, ['supervisor']);
  const investigator = await makeStaff(db, agency, ['investigator']);
  const dir = mkdtempSync(join(tmpdir(), 'tipline-cal-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tipline = async (auth: string, ...args: string[]) => {
    const r = await tiplineCli(args, { DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_HOME: join(dir, 'home'), TIPLINE_SESSION: auth.replace(/^Bearer /, '') });
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
  };

  const added = await tipline(head.auth, 'holidays', 'add', '2026-03-09', 'Nghỉ theo quyết định');
  t.equal(added.status, 0, added.stderr);
  t.match(added.stdout, /2026-03-09 added as a holiday; calendar version 1/);
  const refused = await tipline(investigator.auth, 'holidays', 'add', '2026-03-10', 'x');
  t.equal(refused.status, 1);
  t.match(refused.stderr, /forbidden/);
  t.equal((await tipline(head.auth, 'holidays', 'add', '2026-3-9', 'x')).status, 1, 'a malformed day never reaches the server');
  const listed = await tipline(investigator.auth, 'holidays', 'list', '--year', '2026', '--json');
  t.equal(listed.status, 0, listed.stderr);
  const days = (JSON.parse(listed.stdout) as { days: Array<{ day: string; origin: string }> }).days;
  t.ok(days.some((d) => d.day === '2026-03-09' && d.origin === 'agency'));
  t.equal((await tipline(head.auth, 'holidays', 'remove', '2026-03-09')).status, 0);

  const kase = await makeCase(db, agency, '2026-01-05');
  for (const body of [{ action: 'triage', onDay: '2026-01-06' }, { action: 'accept', onDay: '2026-01-12' }, { action: 'start_verification', onDay: '2026-01-15' }, { action: 'conclude', onDay: '2026-01-20', finding: 'true' }]) {
    t.equal((await transition(app, head.auth, kase.id, body)).status, 201);
  }
  const { public_number: publicNumber } = await db.selectFrom('cases').select('public_number').where('id', '=', kase.id).executeTakeFirstOrThrow();
  const file = join(dir, 'summary.txt');
  writeFileSync(file, 'Kết luận: nội dung tố cáo là đúng; đã xử lý kỷ luật người vi phạm.\n');

  const dry = await tipline(head.auth, 'case', 'publish', publicNumber, '--summary-file', file);
  t.equal(dry.status, 2, 'without --yes nothing is published');
  t.match(dry.stderr, /WARNING: this summary will be PUBLISHED/);
  t.same((await app.inject({ url: '/v1/publications' })).json().publications, []);
  const published = await tipline(head.auth, 'case', 'publish', publicNumber, '--summary-file', file, '--yes');
  t.equal(published.status, 0, published.stderr);
  t.match(published.stdout, new RegExp(`PUBLISHED on ${utcToDay(Date.now())}; may be taken down from ${addCalendarDays(utcToDay(Date.now()), 14)}`));
  t.equal((await app.inject({ url: '/v1/publications' })).json().publications[0].publicNumber, publicNumber);

  const early = await tipline(head.auth, 'publications', 'withdraw', publicNumber);
  t.equal(early.status, 1);
  t.match(early.stderr, new RegExp(`until at least ${addCalendarDays(utcToDay(Date.now()), 14)}.*publication_period_running`));
  const list = await tipline(head.auth, 'publications', 'list');
  t.equal(list.status, 0, list.stderr);
  t.match(list.stdout, new RegExp(`${publicNumber}\\s+published\\s+portal`));

  // Print, radio or TV run at least twice in a row (Decree 31 Art. 6(2)): the runs are named, and nothing stays on display.
  const fewRuns = await tipline(head.auth, 'case', 'publish', publicNumber, '--summary-file', file, '--form', 'print', '--runs', '1', '--yes');
  t.equal(fewRuns.status, 1);
  t.match(fewRuns.stderr, /at least 2 consecutive times/);
  const print = await tipline(head.auth, 'case', 'publish', publicNumber, '--summary-file', file, '--form', 'print', '--runs', '2', '--yes');
  t.equal(print.status, 0, print.stderr);
  t.match(print.stdout, new RegExp(`may be taken down from ${utcToDay(Date.now())} \\(print, 2 runs\\)`));
  t.equal((await tipline(head.auth, 'publications', 'withdraw', publicNumber, '--form', 'print')).status, 0, 'the print record comes down; the portal stays');
});
