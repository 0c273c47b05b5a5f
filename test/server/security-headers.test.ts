import t from 'tap';
import { createTestApp } from '../helpers/app.js';

// Every response, found or not, carries the security headers and may not be cached.

t.test('API answers and missing routes carry the security headers', async (t) => {
  const { app } = await createTestApp(t);
  for (const url of ['/healthz', '/nope']) {
    const res = await app.inject({ url });
    t.match(res.headers['content-security-policy'], /default-src 'none'/, `${url}: CSP`);
    t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/, `${url}: no framing`);
    t.equal(res.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains', `${url}: HSTS`);
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${url}: no referrer`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`);
    t.equal(res.headers['cross-origin-embedder-policy'], 'require-corp', `${url}: COEP`);
    t.equal(res.headers['cache-control'], 'no-store', `${url}: not cached`);
  }
});
