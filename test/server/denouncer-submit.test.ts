import t from 'tap';
import { randomUUID } from 'node:crypto';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle, sealTestCase } from '../helpers/fixtures.js';

// Submitting a case and reading it back with the receipt, as the denouncer API promises.

t.test('the directory lists agencies with their latest signed bundle', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db, { slug: 'thanh-tra-hn', name: 'Thanh tra Hà Nội' });
  await publishBundle(database.db, agency.be, { ...agency.bundle, serial: 2 }, agency.keys);
  const res = await app.inject({ method: 'GET', url: '/v1/agencies' });
  t.equal(res.statusCode, 200);
  const [listed] = res.json().agencies;
  t.match(listed, { agencyId: agency.id, slug: 'thanh-tra-hn', name: 'Thanh tra Hà Nội', profile: 'VN' });
  t.equal(listed.bundle.serial, 2, 'only the newest bundle is offered');
  t.equal((await app.inject({ method: 'GET', url: '/v1/agencies/thanh-tra-hn' })).json().agencyId, agency.id);
  t.equal((await app.inject({ method: 'GET', url: '/v1/agencies/nope' })).statusCode, 404);
  const byId = (await app.inject({ method: 'GET', url: `/v1/agencies/${agency.id.toUpperCase()}` })).json();
  t.same([byId.slug, byId.bundle.serial], ['thanh-tra-hn', 2], 'by id too, as the page asks for the agency it listed');
  t.equal((await app.inject({ method: 'GET', url: `/v1/agencies/${randomUUID()}` })).statusCode, 404);
});

t.test('the directory names every agency, and carries no key', async (t) => {
  const { app, database } = await createTestApp(t);
  const hn = await createTestAgency(database.db, { slug: 'thanh-tra-hn', name: 'Thanh tra Hà Nội' });
  const bare = await createTestAgency(database.db, { slug: 'thanh-tra-dn', name: 'Thanh tra Đà Nẵng' });
  const res = await app.inject({ method: 'GET', url: '/v1/directory' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), {
    agencies: [
      { agencyId: bare.id, slug: 'thanh-tra-dn', name: 'Thanh tra Đà Nẵng', profile: 'VN' },
      { agencyId: hn.id, slug: 'thanh-tra-hn', name: 'Thanh tra Hà Nội', profile: 'VN' },
    ],
  }, 'names, in slug order: nothing to seal to');
  const full = (await app.inject({ method: 'GET', url: '/v1/agencies' })).body.length;
  t.ok(res.body.length * 3 < full, `a fraction of the full list (${res.body.length} of ${full} bytes)`);
});

t.test('a submission gets a public number and the day, once, however often it is retried', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db, { intake: 2 });
  const sub = await sealTestCase(agency, 'The district chief took a bribe');
  const first = await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });
  t.equal(first.statusCode, 201);
  const year = new Date().getUTCFullYear();
  t.match(first.json(), { caseId: sub.caseId, publicNumber: new RegExp(`^TL-${year}-000001$`), receivedOn: /^\d{4}-\d{2}-\d{2}$/ });
  const retry = await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });
  t.equal(retry.statusCode, 200, 'a retry after a lost response is answered, not duplicated');
  t.same(retry.json(), first.json());
  const count = await database.db.selectFrom('cases').select((e) => e.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  t.equal(Number(count.n), 1);
  const keys = await database.db.selectFrom('case_keys').selectAll().where('case_id', '=', sub.caseId).execute();
  t.equal(keys.length, 3, 'one key for the denouncer and one per intake officer');

  const other = await sealTestCase(agency, 'Something else');
  const conflict = await app.inject({ method: 'POST', url: '/v1/cases', payload: { ...other.body, caseId: sub.caseId } });
  t.equal(conflict.statusCode, 400, 'an envelope sealed for another case id is refused before any conflict');
  const sameIdOtherBytes = { ...sub.body, denouncerKey: other.body['denouncerKey'] };
  const c2 = await app.inject({ method: 'POST', url: '/v1/cases', payload: sameIdOtherBytes });
  t.equal(c2.statusCode, 409);
  t.equal(c2.json().error.code, 'submission_conflict');

  const second = await app.inject({ method: 'POST', url: '/v1/cases', payload: other.body });
  t.equal(second.json().publicNumber, `TL-${year}-000002`, 'numbers are sequential');
});

t.test('the server refuses what it can tell is wrong without keys', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db, { intake: 1, custodians: 3, threshold: 2 });
  const elsewhere = await createTestAgency(database.db);
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/cases', payload: payload as object });
  const sub = await sealTestCase(agency, 'text', { identity: 'Nguyễn Văn A, 12 Hàng Bài' });

  const custodian = agency.withRole('custodian')[0]!;
  const notIntake = { ...sub.body, recipientKeys: [{ staffId: custodian.id, wrapped: (sub.body['recipientKeys'] as { wrapped: string }[])[0]!.wrapped }] };
  t.equal((await post(notIntake)).json().error.code, 'validation_failed', 'a custodian is not an intake recipient');
  t.equal((await post({ ...sub.body, agencyId: elsewhere.id })).statusCode, 400, 'the envelope names another agency');
  t.equal((await post({ ...sub.body, agencyId: randomUUID() })).statusCode, 404, 'unknown agency');
  const identity = sub.body['identity'] as Record<string, unknown>;
  t.equal((await post({ ...sub.body, identity: { ...identity, threshold: 1 } })).statusCode, 400, "threshold below the agency's");
  t.equal((await post({ ...sub.body, verifier: 'AAAA' })).statusCode, 400, 'short verifier');
  t.equal((await post({ ...sub.body, envelope: 'not base64!' })).statusCode, 400);
  const rows = await database.db.selectFrom('cases').select('id').execute();
  t.equal(rows.length, 0, 'nothing was written');

  const ok = await post(sub.body);
  t.equal(ok.statusCode, 201);
  const shares = await database.db.selectFrom('identity_shares').selectAll().execute();
  t.equal(shares.length, 3, 'one sealed share per custodian');
});

t.test('the receipt opens the status and the sealed copy; a wrong one looks like a missing one', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'text');
  const other = await sealTestCase(agency, 'never submitted');
  await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });

  const status = await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: sub.authorization } });
  t.equal(status.statusCode, 200);
  t.match(status.json(), { caseId: sub.caseId, status: 'RECEIVED', kind: 'denunciation', hasIdentity: false, agency: { agencyId: agency.id, slug: agency.slug }, timeline: [] });
  const sealed = await app.inject({ method: 'GET', url: '/v1/case/sealed', headers: { authorization: sub.authorization } });
  t.equal(sealed.json().envelope, sub.body['envelope']);
  t.equal(sealed.json().denouncerKey, sub.body['denouncerKey']);

  const wrong = await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: other.authorization } });
  // A purged case keeps its row but loses its verifier: the receipt then finds nothing.
  const purged = await sealTestCase(agency, 'purged');
  await app.inject({ method: 'POST', url: '/v1/cases', payload: purged.body });
  await database.db.updateTable('cases').set({ verifier: null }).where('id', '=', purged.caseId).execute();
  const gone = await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: purged.authorization } });
  t.equal(wrong.statusCode, 404);
  t.equal(gone.statusCode, 404);
  t.equal(wrong.body, gone.body, 'the same answer, byte for byte');
  t.equal(wrong.body, (await app.inject({ method: 'GET', url: '/v1/nothing-here' })).body, 'and the same as any missing thing');
  t.equal((await app.inject({ method: 'GET', url: '/v1/case' })).statusCode, 401);
  t.equal((await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: 'Receipt short' } })).statusCode, 401);
});
