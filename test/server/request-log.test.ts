import t from 'tap';
import { createTestApp } from '../helpers/app.js';

// Each request leaves exactly one log line, written at the response: method, route
// pattern, status and duration, nothing that could locate the sender.

t.test('one line per request, at the response, with the route and not the URL', async (t) => {
  const { app, logs } = await createTestApp(t);
  const before = logs.length;
  await app.inject({ url: '/healthz' });
  await app.inject({ url: '/nope?secret=1', headers: { 'user-agent': 'probe/1.0' } });
  const lines = logs.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(lines.length, 2, 'two requests, two lines');
  t.same(lines.map((l) => l['msg']), ['request completed', 'request completed']);
  t.same(lines[0]?.['req'], { method: 'GET', route: '/healthz' });
  t.same(lines[0]?.['res'], { statusCode: 200 });
  t.type(lines[0]?.['responseTime'], 'number');
  t.same(lines[1]?.['res'], { statusCode: 404 });
  const text = logs.slice(before).join('');
  t.notOk(/secret|probe|nope|"time"|"hostname"|"pid"/.test(text), 'no URL, query, user agent, time, host or pid');
});
