import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import t from 'tap';
import { isDatabaseUnavailable } from '../../src/server/db/unavailable.js';
import { createTestApp, unlimited } from '../helpers/app.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';

// A database that cannot answer (a failover under way: docs/OPERATIONS.md) is a 503
// `unavailable` with Retry-After, which clients send again, not a 500 they give up on; the
// retry of a submission then stores exactly one case. The next query either driver makes
// is made to fail as a lost connection does.

let failNext: Error | undefined;
const failing = <T>(run: () => T): T => {
  const error = failNext;
  if (!error) return run();
  failNext = undefined;
  return Promise.reject(error) as T;
};
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  return failing(() => (pgQuery as (...a: unknown[]) => unknown).apply(this, args));
} as typeof pgQuery;
const pgliteQuery = PGlite.prototype.query;
PGlite.prototype.query = function (this: PGlite, ...args: Parameters<typeof pgliteQuery>) {
  return failing(() => pgliteQuery.apply(this, args));
} as typeof pgliteQuery;
const pgliteTransaction = PGlite.prototype.transaction;
PGlite.prototype.transaction = function (this: PGlite, ...args: Parameters<typeof pgliteTransaction>) {
  return failing(() => pgliteTransaction.apply(this, args));
} as typeof pgliteTransaction;

t.test('which errors mean the database is gone for a moment', async (t) => {
  const gone = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
  ];
  for (const e of gone) t.ok(isDatabaseUnavailable(e), e.message);
  const real = [
    Object.assign(new Error('duplicate key value'), { code: '23505' }),
    Object.assign(new Error('division by zero'), { code: '22012' }),
    new Error('something else'),
    Object.assign(new Error('x'), { code: '0800' }),
    undefined,
    'ECONNREFUSED',
  ];
  for (const e of real) t.notOk(isDatabaseUnavailable(e), String((e as Error | undefined)?.message ?? e));
});

t.test('a submission the database could not take is a 503 to retry, and its retry is one case', async (t) => {
  const { app, database, logs } = await createTestApp(t, unlimited);
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'the district office sells permits');
  const post = () => app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });

  failNext = new Error('Connection terminated unexpectedly');
  const lost = await post();
  t.equal(lost.statusCode, 503, 'answered 503');
  t.equal(lost.headers['retry-after'], '1', 'with Retry-After');
  t.same(lost.json(), { error: { code: 'unavailable', message: 'the service is not available now' } }, 'and a fixed body');
  t.equal(failNext, undefined, 'the request did reach the database');

  const retried = await post();
  t.equal(retried.statusCode, 201, 'the retry is stored');
  t.equal(Number((await database.db.selectFrom('cases').select((e) => e.fn.countAll().as('n')).where('id', '=', sub.caseId).executeTakeFirstOrThrow()).n), 1, 'once');
  t.equal((await post()).statusCode, 200, 'and a second retry is answered as one');

  failNext = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
  const status = await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: sub.authorization } });
  t.equal(status.statusCode, 500, 'an error on its merits stays a 500');
  t.same(status.json(), { error: { code: 'internal', message: 'internal error' } });
  t.ok(logs.some((line) => line.includes('database unavailable')), 'the log says the database was unavailable');
  t.notOk(logs.some((line) => line.includes('sells permits') || line.includes(sub.caseId)), 'and names nothing of the case');
});
