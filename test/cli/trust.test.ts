import t from 'tap';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline trust` keeps the pin file that `submit` checks every key bundle against;
// a changed pin needs --replace, and a wrong pin stops the submission.

// In process (test/cli/in-process.ts): the same commands, without a child process each.
const tipline = tiplineCli;

t.test('pins are added, listed, guarded against silent change and removed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tipline-trust-'));
  const file = join(dir, 'pins.json');
  const f = ['--trust-file', file];

  t.match((await tipline(['trust', 'list', ...f])).stdout, /no agency pinned/);
  const added = await tipline(['trust', 'add', 'thanh-tra', '7k2m', '9qxa', 'BCDE-FGHJ', 'KMNP QRST VWXY Z012', ...f]);
  t.equal(added.code, 0, added.stderr);
  t.same(JSON.parse(await readFile(file, 'utf8')), { 'thanh-tra': { fingerprint: '7K2M 9QXA BCDE FGHJ KMNP QRST VWXY Z012', serial: 0 } },
    'stored grouped, upper case, with no serial seen yet');

  const changed = await tipline(['trust', 'add', 'thanh-tra', '0000 0000 0000 0000 0000 0000 0000 0000', ...f]);
  t.not(changed.code, 0, 'a different pin is refused');
  t.match(changed.stderr, /already pinned.*--replace/);
  const replaced = await tipline(['trust', 'add', 'thanh-tra', '0000 0000 0000 0000 0000 0000 0000 0000', '--replace', ...f]);
  t.equal(replaced.code, 0, replaced.stderr);

  for (const bad of ['ILOU ILOU ILOU ILOU ILOU ILOU ILOU ILOU', 'AAAA BBBB', '']) {
    const r = await tipline(['trust', 'add', 'other', ...(bad ? [bad] : []), ...f]);
    t.not(r.code, 0, `"${bad}" is refused`);
  }
  t.not((await tipline(['trust', 'add', 'Not A Slug', '0000 0000 0000 0000 0000 0000 0000 0000', ...f])).code, 0);

  const listed = JSON.parse((await tipline(['trust', 'list', '--json', ...f])).stdout);
  t.same(listed, [{ agency: 'thanh-tra', fingerprint: '0000 0000 0000 0000 0000 0000 0000 0000', serial: 0 }]);
  t.equal((await tipline(['trust', 'remove', 'thanh-tra', ...f])).code, 0);
  t.same(JSON.parse(await readFile(file, 'utf8')), {});
  t.not((await tipline(['trust', 'remove', 'thanh-tra', ...f])).code, 0, 'removing what is not there says so');

  await writeFile(file, '{"x": 1}');
  t.match((await tipline(['trust', 'list', ...f])).stderr, /pins\.json: "x" must be a fingerprint/, 'a malformed pin file is named, not trusted');
});

t.test('submit checks the bundle against the pin kept by `trust add`', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 4 });
  const agency = await createTestAgency(database.db, { slug: 'thanh-tra', custodians: 1, threshold: 1 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const dir = await mkdtemp(join(tmpdir(), 'tipline-trust-'));
  const pins = ['--trust-file', join(dir, 'pins.json')];
  const report = join(dir, 'report.txt');
  await writeFile(report, 'The land register was altered.');

  t.equal((await tipline(['trust', 'add', 'thanh-tra', '0000 0000 0000 0000 0000 0000 0000 0000', ...pins])).code, 0);
  const refused = await tipline(['submit', 'thanh-tra', '--file', report, ...pins, '--server', address]);
  t.not(refused.code, 0, 'a wrong pin stops the submission');
  t.equal((await database.db.selectFrom('cases').select('id').execute()).length, 0, 'nothing was sent');

  t.equal((await tipline(['trust', 'add', 'thanh-tra', agency.fingerprint, '--replace', ...pins])).code, 0);
  const sent = await tipline(['submit', 'thanh-tra', '--file', report, ...pins, '--server', address]);
  t.equal(sent.code, 0, sent.stderr);
  t.notMatch(sent.stderr, /no pinned fingerprint/, 'no warning once pinned');
  t.match(sent.stdout, /YOUR RECEIPT/);

  const unpinned = await tipline(['submit', 'thanh-tra', '--file', report, '--trust-file', join(dir, 'none.json'), '--server', address]);
  t.match(unpinned.stderr, /tipline trust add thanh-tra/, 'without a pin, the warning says how to pin');
});

t.test('the serial seen under a pin only rises; the older file form is read and upgraded', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tipline-trust-'));
  const file = join(dir, 'pins.json');
  const f = ['--trust-file', file];
  const PIN = '7K2M 9QXA BCDE FGHJ KMNP QRST VWXY Z012';
  const stored = async () => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

  // What `tipline trust add` wrote before serials were kept: slug → fingerprint.
  await writeFile(file, JSON.stringify({ 'thanh-tra': PIN, 'so-tai-chinh': '0000 0000 0000 0000 0000 0000 0000 0000' }));
  const listed = await tiplineCli(['trust', 'list', '--json', ...f]);
  t.same(JSON.parse(listed.stdout), [
    { agency: 'so-tai-chinh', fingerprint: '0000 0000 0000 0000 0000 0000 0000 0000', serial: 0 },
    { agency: 'thanh-tra', fingerprint: PIN, serial: 0 },
  ]);

  t.equal((await tiplineCli(['trust', 'add', 'thanh-tra', PIN, '--serial', '7', ...f])).code, 0, 'the serial from the agency is taken');
  t.same((await stored())['thanh-tra'], { fingerprint: PIN, serial: 7 });
  t.same((await stored())['so-tai-chinh'], { fingerprint: '0000 0000 0000 0000 0000 0000 0000 0000', serial: 0 }, 'the other pin is upgraded as it stands');

  const lower = await tiplineCli(['trust', 'add', 'thanh-tra', PIN, '--serial', '3', ...f]);
  t.not(lower.code, 0, 'lowering the serial would let an older bundle back in: refused');
  t.match(lower.stderr, /already seen bundle serial 7; a lower --serial needs --replace/);
  t.equal((await tiplineCli(['trust', 'add', 'thanh-tra', PIN, ...f])).code, 0, 'adding the same pin again');
  t.same((await stored())['thanh-tra'], { fingerprint: PIN, serial: 7 }, 'keeps the serial');
  t.equal((await tiplineCli(['trust', 'add', 'thanh-tra', PIN, '--serial', '3', '--replace', ...f])).code, 0);
  t.same((await stored())['thanh-tra'], { fingerprint: PIN, serial: 3 }, '--replace lowers it, deliberately');

  const other = '0000 0000 0000 0000 0000 0000 0000 0001';
  t.equal((await tiplineCli(['trust', 'add', 'thanh-tra', other, '--replace', ...f])).code, 0);
  t.same((await stored())['thanh-tra'], { fingerprint: other, serial: 0 }, 'a serial seen under the old key does not carry over to a new one');
  for (const bad of ['-1', '1.5', 'seven']) {
    t.not((await tiplineCli(['trust', 'add', 'thanh-tra', other, '--serial', bad, ...f])).code, 0, `--serial ${bad} is refused`);
  }
  t.same(await readdir(dir), ['pins.json'], 'atomic writes leave no temporary file behind');
  await writeFile(file, JSON.stringify({ 'thanh-tra': { fingerprint: PIN, serial: 'x' } }));
  t.match((await tiplineCli(['trust', 'list', ...f])).stderr, /serial of "thanh-tra" must be a whole number/);
});

t.test('trust list shows the agency keys a re-pin revoked', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tipline-trust-'));
  const file = join(dir, 'pins.json');
  const f = ['--trust-file', file];
  const [k1, k2, k3] = ['0000 0000 0000 0000 0000 0000 0000 0001', '0000 0000 0000 0000 0000 0000 0000 0002', '0000 0000 0000 0000 0000 0000 0000 0003'];
  await writeFile(file, JSON.stringify({ 'so-tai-chinh': { fingerprint: k1, serial: 2 } }));
  t.equal((await tipline(['trust', 'add', 'so-tai-chinh', k2, '--replace', '--revoke-old', ...f])).code, 0);
  t.equal((await tipline(['trust', 'add', 'so-tai-chinh', k3, '--replace', '--revoke-old', ...f])).code, 0);
  await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), 'thanh-tra': { fingerprint: k1, serial: 5 } }));

  t.same(JSON.parse((await tipline(['trust', 'list', '--json', ...f])).stdout), [
    { agency: 'so-tai-chinh', fingerprint: k3, serial: 0, revoked: [k1, k2] },
    { agency: 'thanh-tra', fingerprint: k1, serial: 5 },
  ], 'each revoked key in the JSON, none for a pin that revoked nothing');
  const lines = (await tipline(['trust', 'list', ...f])).stdout.trimEnd().split('\n');
  t.match(lines[0], /cơ quan \/ agency.*khóa đã thu hồi \/ revoked keys/, 'headers in Vietnamese and English');
  t.match(lines[1], new RegExp(`^so-tai-chinh\\s+${k3}\\s+-\\s+${k1}$`), 'the first revoked key beside its pin');
  t.match(lines[2], new RegExp(`^\\s+${k2}$`), 'the next on a line of its own');
  t.match(lines[3], new RegExp(`^thanh-tra\\s+${k1}\\s+5\\s+-$`), 'a pin with none shows -');
  t.match((await tipline(['trust', 'list', '--help'])).stdout, /revoked/, '--help says so');
});

t.test('agency pins, on a staff machine, shows the agency keys a re-pin revoked', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'tipline-pins-'));
  const env = { TIPLINE_HOME: home };
  const agencyId = '6f1c3a4e-8f7b-4c2d-9a1e-2b3c4d5e6f70';
  const [k1, k2] = ['0000 0000 0000 0000 0000 0000 0000 0001', '0000 0000 0000 0000 0000 0000 0000 0002'];
  t.equal((await tipline(['agency', 'pin', agencyId, k1], env)).code, 0);
  const repin = await tipline(['agency', 'pin', agencyId, k2, '--replace', '--revoke-old'], env);
  t.equal(repin.code, 0, repin.stderr);
  const shown = (await tipline(['agency', 'pins'], env)).stdout.trimEnd().split('\n');
  t.match(shown[0], /mã cơ quan \/ agency id.*khóa đã thu hồi \/ revoked keys/, 'headers in Vietnamese and English');
  t.match(shown[1], new RegExp(`^${agencyId}\\s+${k2}\\s+\\d+\\s+${k1}$`), 'the leaked key beside the new pin');
});
