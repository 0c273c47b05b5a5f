import t from 'tap';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { createTestApp, unlimited } from '../helpers/app.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';

// 1,000 malformed requests at every denouncer route: only 4xx answers, and no case,
// key, message or attachment left half-written.

const routes: { method: 'GET' | 'POST' | 'PUT'; path: (id: string, n: string) => string }[] = [
  { method: 'GET', path: () => '/v1/agencies' },
  { method: 'GET', path: (id) => `/v1/agencies/${id}` },
  { method: 'POST', path: () => '/v1/pow' },
  { method: 'POST', path: () => '/v1/cases' },
  { method: 'GET', path: () => '/v1/case' },
  { method: 'GET', path: () => '/v1/case/sealed' },
  { method: 'GET', path: (_id, n) => `/v1/case/messages?after=${n}` },
  { method: 'POST', path: () => '/v1/case/messages' },
  { method: 'GET', path: () => '/v1/case/attachments' },
  { method: 'POST', path: () => '/v1/case/attachments' },
  { method: 'GET', path: (id) => `/v1/attachments/${id}` },
  { method: 'PUT', path: (id, n) => `/v1/attachments/${id}/chunks/${n}` },
  { method: 'POST', path: (id) => `/v1/attachments/${id}/finish` },
  { method: 'GET', path: (id, n) => `/v1/attachments/${id}/content?from=${n}` },
];

t.test('malformed requests get 4xx and change nothing by halves', async (t) => {
  const { app, database } = await createTestApp(t, { ...unlimited, powDifficulty: 0, maxAttachmentBytes: 200_000 });
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'a real case');
  t.equal((await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body })).statusCode, 201);
  const attachmentId = randomUUID();
  await app.inject({ method: 'POST', url: '/v1/case/attachments', payload: { attachmentId }, headers: { authorization: sub.authorization } });

  const id = fc.oneof(fc.constant(attachmentId), fc.constant(agency.slug), fc.uuid(), fc.string({ maxLength: 40 }).map(encodeURIComponent), fc.constant('%00'), fc.constant('..'));
  const n = fc.oneof(fc.nat().map(String), fc.integer().map(String), fc.constant('1e9'), fc.constant('-0'), fc.constant('99999999999999999999'), fc.string({ maxLength: 8 }).map(encodeURIComponent));
  const auth = fc.oneof(fc.constant(sub.authorization), fc.constant(undefined), fc.string({ maxLength: 80 }), fc.constant('Receipt ' + 'A'.repeat(43)), fc.constant('Receipt '));
  const pow = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 120 }), fc.constant('a.b.c'));
  const validish = fc.record({
    caseId: fc.oneof(fc.uuid(), fc.constant(sub.caseId)),
    agencyId: fc.oneof(fc.uuid(), fc.constant(agency.id), fc.string()),
    kind: fc.oneof(fc.constant('denunciation'), fc.string()),
    envelope: fc.oneof(fc.constant(sub.body['envelope']), fc.base64String(), fc.string()),
    verifier: fc.oneof(fc.constant(sub.body['verifier']), fc.base64String({ maxLength: 60 })),
    denouncerKey: fc.oneof(fc.constant(sub.body['denouncerKey']), fc.string()),
    recipientKeys: fc.oneof(fc.constant(sub.body['recipientKeys']), fc.array(fc.record({ staffId: fc.uuid(), wrapped: fc.string() }), { maxLength: 3 })),
    attachmentId: fc.oneof(fc.uuid(), fc.constant(attachmentId)),
    messageId: fc.uuid(),
    ciphertext: fc.oneof(fc.base64String({ maxLength: 400 }), fc.string()),
    chunkCount: fc.oneof(fc.integer(), fc.double(), fc.string()),
  }, { requiredKeys: [] });
  const body = fc.oneof(
    validish.map((v) => ({ json: v })),
    fc.jsonValue().map((v) => ({ json: v })),
    fc.uint8Array({ maxLength: 70_000 }).map((b) => ({ raw: Buffer.from(b), type: 'application/octet-stream' })),
    fc.string({ maxLength: 200 }).map((s) => ({ raw: Buffer.from(s), type: fc.sample(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'), 1)[0]! })),
    fc.constant(undefined),
  );

  let requests = 0;
  await fc.assert(
    fc.asyncProperty(fc.nat(routes.length - 1), id, n, auth, pow, body, async (r, idv, nv, authv, powv, bodyv) => {
      const route = routes[r]!;
      const headers: Record<string, string> = {};
      if (authv !== undefined) headers['authorization'] = authv;
      if (powv !== undefined) headers['tipline-pow'] = powv;
      let payload: string | Buffer | undefined;
      if (bodyv && 'json' in bodyv) {
        payload = JSON.stringify(bodyv.json) ?? 'null';
        headers['content-type'] = 'application/json';
      } else if (bodyv) {
        payload = bodyv.raw;
        headers['content-type'] = bodyv.type;
      }
      const method = route.method === 'GET' ? 'GET' : route.method;
      const res = await app.inject({ method, url: route.path(idv, nv), headers, ...(payload !== undefined && method !== 'GET' ? { payload } : {}) });
      requests++;
      if (res.statusCode >= 500) throw new Error(`${route.method} ${route.path(idv, nv)} → ${res.statusCode} ${res.body}`);
      return res.statusCode >= 200 && res.statusCode < 500;
    }),
    { numRuns: 1000 },
  );
  t.equal(requests, 1000);

  const db = database.db;
  const cases = await db.selectFrom('cases').select('id').execute();
  const denouncerKeys = await db.selectFrom('case_keys').select('case_id').where('recipient', '=', 'denouncer').execute();
  t.equal(denouncerKeys.length, cases.length, 'every stored case has its denouncer key, and no key lacks its case');
  const staffKeys = await db.selectFrom('case_keys').select('case_id').where('recipient', '=', 'staff').execute();
  t.ok(cases.every((c) => staffKeys.some((k) => k.case_id === c.id)), 'every case has an intake key');
  const chunks = await db.selectFrom('attachment_chunks').select(['attachment_id', 'index']).orderBy('index').execute();
  const byAttachment = new Map<string, number[]>();
  for (const c of chunks) byAttachment.set(c.attachment_id, [...(byAttachment.get(c.attachment_id) ?? []), c.index]);
  for (const [, indexes] of byAttachment) t.same(indexes, indexes.map((_, i) => i), 'stored chunks are contiguous from 0');
});
