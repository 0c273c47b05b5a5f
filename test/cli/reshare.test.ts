import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { combineShares, encryptKeyFile, fromBase64Url, openIdentity, TiplineCryptoError, unwrapShare } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle, sealTestCase, type FixtureStaff } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline reshare plan | split | accept | status` as an admin and custodians run them:
// the agency moves its custodians from 2 of 3 to 3 of 3, and the identity sealed before
// then opens with three new shares, not two.

t.setTimeout(540_000);

t.test('the admin plans, two old custodians split, three new custodians accept', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agency = await createTestAgency(db, { intake: 1, custodians: 3, threshold: 2, extraStaff: [['admin']] });
  const [c1, c2, c3] = agency.withRole('custodian') as [FixtureStaff, FixtureStaff, FixtureStaff];
  const admin = agency.withRole('admin')[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'tipline-reshare-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = async (who: FixtureStaff) => {
    const file = join(dir, `${who.id}.json`);
    writeFileSync(file, await encryptKeyFile(who.keys, 'correct horse', { staffId: who.id, label: 'staff' }, { opslimit: 1, memlimit: 8192 }));
    return file;
  };
  const tipline = async (who: FixtureStaff, ...args: string[]) => {
    const r = await tiplineCli(args, { DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_ORIGIN: app.config.origin, TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: await keyFile(who), TIPLINE_PASSPHRASE: 'correct horse' });
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
  };
  for (const who of [admin, c1, c2, c3]) t.equal((await tipline(who, 'login')).status, 0, 'logged in');
  t.equal((await tipline(admin, 'agency', 'pin', agency.id, agency.fingerprint)).status, 0, 'the agency is pinned');
  const submission = await sealTestCase(agency, 'the district chief takes bribes', { identity: 'Lê Văn C, Huế' });
  t.equal((await app.inject({ method: 'POST', url: '/v1/cases', payload: submission.body })).statusCode, 201);

  // The new threshold is the agency key's to sign: a bundle at 3 comes first.
  t.match((await tipline(admin, 'reshare', 'plan', '--from', `${c1.id},${c2.id}`, '--threshold', '3')).stderr, /threshold.*\(2\)/, 'a threshold the bundle in force does not sign is refused');
  await publishBundle(db, agency.be, { ...agency.bundle, serial: 2, threshold: 3 }, agency.keys);
  t.match((await tipline(c1, 'reshare', 'plan', '--from', `${c1.id},${c2.id}`, '--threshold', '3')).stderr, /forbidden|admin/i, 'a custodian cannot plan');
  const plan = await tipline(admin, 'reshare', 'plan', '--from', `${c1.id},${c2.id}`, '--threshold', '3');
  t.equal(plan.status, 0, plan.stderr);
  t.match(plan.stdout, /new set: +.* \(threshold 3, bundle 2\)/);
  t.match(plan.stdout, /0 of 1 identity blocks/);
  t.match(plan.stdout, new RegExp(`split: +${c1.id} 0/1, ${c2.id} 0/1\naccepted: +${c1.id} 0/1, ${c2.id} 0/1, ${c3.id} 0/1`), 'each custodian\'s part, by staff id');
  const unconfirmed = await tipline(c1, 'reshare', 'split');
  t.equal(unconfirmed.status, 1, 'without a terminal or --yes nothing is re-split');
  t.match(unconfirmed.stderr, new RegExp(`to: +custodian [0-9] \\(${c1.id}\\)`), 'the new set is shown by its signed names first');
  for (const who of [c1, c2]) {
    const split = await tipline(who, 'reshare', 'split', '--yes');
    t.equal(split.status, 0, split.stderr);
    t.match(split.stdout, /re-split your share of 1 blocks/);
  }
  for (const who of [c1, c2, c3]) t.equal((await tipline(who, 'reshare', 'accept')).status, 0);
  const status = await tipline(admin, 'reshare', 'status', '--json');
  t.same([JSON.parse(status.stdout).done, JSON.parse(status.stdout).finished], [1, true], 'finished');

  const kase = await db.selectFrom('cases').select(['identity_block', 'identity_threshold']).where('id', '=', submission.caseId).executeTakeFirstOrThrow();
  t.equal(kase.identity_threshold, 3, 'the current threshold is 3');
  const rows = await db.selectFrom('identity_shares').select(['custodian_id', 'wrapped']).where('case_id', '=', submission.caseId).execute();
  const ctx = { agencyId: agency.id, caseId: submission.caseId };
  const byId = new Map([c1, c2, c3].map((c) => [c.id, c]));
  const shares = rows.map((r) => unwrapShare(agency.be, ctx, new Uint8Array(r.wrapped), { publicKey: byId.get(r.custodian_id)!.keys.boxPublicKey, secretKey: byId.get(r.custodian_id)!.keys.boxSecretKey }));
  const block = new Uint8Array(kase.identity_block!);
  t.equal(new TextDecoder().decode(openIdentity(agency.be, ctx, block, await combineShares(agency.be, ctx, shares, block, 3))), 'Lê Văn C, Huế');
  await t.rejects(combineShares(agency.be, ctx, shares.slice(1), block, 2), TiplineCryptoError, 'two new shares do not open it');
  t.ok(fromBase64Url(JSON.parse(status.stdout).signature).length === 64);
});
