import t from 'tap';
import { createTestApp } from '../helpers/app.js';

// Every response, found or not, carries security headers and may not be cached. Documents
// (and anything outside the API prefix) get the whole document policy; API answers get
// the REST set (src/server/plugins/security-headers.ts says which and why).

const DOCUMENT_ONLY = [
  'cross-origin-embedder-policy', 'cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control',
  'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection',
];

t.test('documents, health checks and paths that match no API route carry the whole document policy', async (t) => {
  const { app } = await createTestApp(t);
  for (const url of ['/', '/healthz', '/nope', '/v1/nope']) {
    const res = await app.inject({ url });
    t.match(res.headers['content-security-policy'], /default-src 'none'/, `${url}: CSP`);
    t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/, `${url}: no framing`);
    t.equal(res.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains', `${url}: HSTS`);
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${url}: no referrer`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`);
    t.equal(res.headers['cross-origin-embedder-policy'], 'require-corp', `${url}: COEP`);
    t.equal(res.headers['cross-origin-opener-policy'], 'same-origin', `${url}: COOP`);
    t.equal(res.headers['cross-origin-resource-policy'], 'same-origin', `${url}: CORP`);
    t.equal(res.headers['cache-control'], 'no-store', `${url}: not cached`);
    for (const name of DOCUMENT_ONLY) t.ok(res.headers[name], `${url}: ${name}`);
  }
});

t.test('API answers, refusals included, carry the REST set and nothing only a document uses', async (t) => {
  const { app } = await createTestApp(t);
  const answers = [
    await app.inject({ method: 'POST', url: '/v1/pow' }),
    // Percent-encoded, the path still reaches the API route, and its answer is an API one.
    await app.inject({ method: 'POST', url: '/%761/pow' }),
    await app.inject({ url: '/v1/case', headers: { authorization: 'Receipt not-a-key' } }),
  ];
  for (const res of answers) {
    const what = `${res.statusCode} ${res.headers['content-type']}`;
    t.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", `${what}: a CSP that allows nothing`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
    t.equal(res.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains', `${what}: HSTS`);
    t.equal(res.headers['x-frame-options'], 'DENY', `${what}: no framing`);
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: no referrer`);
    t.equal(res.headers['cross-origin-resource-policy'], 'same-origin', `${what}: CORP`);
    t.equal(res.headers['cache-control'], 'no-store', `${what}: not cached`);
    for (const name of DOCUMENT_ONLY) t.notOk(name in res.headers, `${what}: no ${name}`);
  }
  t.same(answers.map((r) => r.statusCode), [200, 200, 401], 'answers and a refusal');
});

t.test('a URL the router cannot take gets the document policy and a fixed refusal that echoes nothing', async (t) => {
  const { app } = await createTestApp(t);
  for (const url of ['/v1/agencies/%E0%A4%A', `/v1/agencies/${'A'.repeat(200)}`, '/v1/staff/cases/%ED%A0%80']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 400, `${url.slice(0, 40)}: 400`);
    t.same(res.json(), { error: { code: 'bad_request', message: 'the URL is malformed' } }, 'the fixed body');
    t.match(res.headers['content-security-policy'], /default-src 'none'/, 'CSP');
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.equal(res.headers['cache-control'], 'no-store');
  }
});
