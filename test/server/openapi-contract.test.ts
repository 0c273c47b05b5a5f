import t from 'tap';
import { errorCodes, type ErrorCode } from '../../src/server/errors.js';
import { renderReference } from '../../src/server/routes/docs/render.js';
import { createTestApp } from '../helpers/app.js';
import { documentedOperations, type JsonSchema } from '../reliability/openapi.js';

// What /openapi.json must say of every operation, read from the document itself: what it
// does, each answer described, a success declared, each refusal with the one error body and
// the codes its status carries (under that status in errors.ts), only JSON or octet-stream bodies,
// staff scopes that are roles, and a 401 on every route that declares a credential. What
// the server really answers is held to the document by authz-matrix.test.ts and the fuzz tests.

const ROLES = ['admin', 'intake', 'investigator', 'custodian', 'supervisor', 'auditor'];

t.test('every operation documents its answers, refusals and credentials', async (t) => {
  const { app } = await createTestApp(t);
  const ops = await documentedOperations(app);
  t.ok(ops.length > 50, `${ops.length} operations`);
  for (const op of ops) {
    const name = `${op.method} ${op.template}`;
    t.ok(op.summary, `${name}: says what it does`);
    const statuses = Object.keys(op.responses);
    t.ok(statuses.some((s) => s.startsWith('2')), `${name}: declares its success`);
    t.ok(statuses.includes('500'), `${name}: declares the fixed 500`);
    for (const [status, r] of Object.entries(op.responses)) {
      t.ok(r.description && r.description !== 'Default Response', `${name} ${status}: described (${r.description})`);
      const types = Object.keys(r.content ?? {});
      t.ok(types.every((type) => type === 'application/json' || type === 'application/octet-stream'), `${name} ${status}: ${types.join(', ')}`);
      const schema = r.content?.['application/json']?.schema;
      const codes = schema?.['x-error-codes'] as ErrorCode[] | undefined;
      if (status.startsWith('2')) continue;
      if (!codes) {
        // The readiness probe's 503 is its own status body, not a refusal.
        t.equal(`${name} ${status}`, 'GET /readyz 503', `${name} ${status}: a refusal lists its codes`);
        continue;
      }
      t.ok(codes.length > 0, `${name} ${status}: at least one code`);
      for (const code of codes) t.equal(String(errorCodes[code]), status, `${name}: ${code} is a ${status}`);
      t.same(schema?.properties?.['error']?.properties?.['code']?.enum, codes, `${name} ${status}: error.code is one of them`);
    }
    const secured = op.security.some((req) => 'receipt' in req || 'staff' in req);
    if (secured) t.ok(op.responses['401']?.content?.['application/json']?.schema?.['x-error-codes']?.includes('unauthorized'), `${name}: a credential route declares 401 unauthorized`);
    for (const req of op.security) for (const role of req['staff'] ?? []) t.ok(ROLES.includes(role), `${name}: ${role} is a role`);
    if (op.security.some((req) => 'receipt' in req)) t.ok(op.security.every((req) => 'pow' in req), `${name}: a receipt route needs a proof of work`);
  }
});

/** Every object property a schema names, with where it is, through arrays and alternatives. */
function propertyNames(schema: JsonSchema | undefined, at: string, out: string[] = []): string[] {
  if (!schema) return out;
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    out.push(`${at}.${name}`);
    propertyNames(sub, `${at}.${name}`, out);
  }
  propertyNames(schema.items, `${at}[]`, out);
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) propertyNames(alt, at, out);
  return out;
}

// A client writer reads a field's name as the thing it names: a bare `id` says nothing of
// which thing (a case, a protection request, a session?), so every id carries its thing's
// name (caseId, messageId, sessionId, identityRequestId, ...), in requests and answers alike.
t.test('no parameter, request or answer property is a bare id', async (t) => {
  const { app } = await createTestApp(t);
  const bare: string[] = [];
  for (const op of await documentedOperations(app)) {
    const name = `${op.method} ${op.template}`;
    for (const p of op.parameters) if (p.name === 'id') bare.push(`${name} ${p.in} parameter id`);
    const found = propertyNames(op.bodySchema, `${name} body`);
    for (const [status, r] of Object.entries(op.responses)) propertyNames(r.content?.['application/json']?.schema, `${name} ${status}`, found);
    bare.push(...found.filter((path) => path.endsWith('.id')));
  }
  t.same(bare, [], 'every id is named for its thing');
});

t.test('/docs/api is an HTML page with its stylesheet, from this origin, without a script', async (t) => {
  const { app } = await createTestApp(t);
  const page = await app.inject({ url: '/docs/api' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], 'text/html');
  t.notMatch(page.body, /<script/i, 'no script to block');
  t.match(page.body, '<link rel="stylesheet" href="/docs/api/reference.css">');
  const css = await app.inject({ url: '/docs/api/reference.css' });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], 'text/css');
});

t.test('the reference page escapes every text it takes from the document', async (t) => {
  const hostile = '<script>alert(1)</script>"\'&';
  const html = renderReference({
    info: { title: hostile, version: hostile, description: hostile },
    paths: { [`/v1/${hostile}`]: { get: { summary: hostile, tags: [hostile], parameters: [{ name: hostile, in: 'query', schema: { type: 'string', description: hostile } }], responses: { 200: { description: hostile } } } } },
  }, '/docs/api/reference.css', { [hostile]: hostile });
  t.notMatch(html, /<script/i, 'no tag comes through');
  t.notMatch(html, /"'&(?!#)/, 'no quote or ampersand comes through raw');
  t.match(html, '&#60;script&#62;');
});
