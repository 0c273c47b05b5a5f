import t from 'tap';
import { createTestApp } from '../helpers/app.js';

t.test('health, readiness and the OpenAPI document', async (t) => {
  const { app } = await createTestApp(t);
  t.same((await app.inject({ url: '/healthz' })).json(), { status: 'ok' });
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.equal(ready.headers['cache-control'], 'no-store');
  const doc = await app.inject({ url: '/openapi.json' });
  t.equal(doc.statusCode, 200);
  t.ok(doc.json().paths['/readyz']);
  const missing = await app.inject({ url: '/nope?secret=1' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().error.code, 'not_found');
});
