import t from 'tap';
import { SubmitRefusedError, submitCase } from '../../src/client/denouncer.js';
import type { FetchLike } from '../../src/client/http.js';
import { fromBase64Url, generateStaffKeys, loadBackend, toBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { injectFetch } from '../client/inject-fetch.js';

// A hostile server that wants every new case sealed to a key it holds names that key as
// the agency's recovery recipient (PROTOCOL.md §9.1): beside the signed bundle, or inside
// its payload. The unmodified denouncer SDK must seal to no such key: a recovery
// recipient counts only when the pinned agency key signed it.

const server = 'http://tipline.test';

interface Served { slug: string; bundle: { payload: string } | null; recovery?: unknown }
interface Listing { agencies: Served[] }

/**
 * The app behind a server that rewrites what it serves of agencies (the list, and the one
 * agency a client asks for), recording what is posted as a case.
 */
function rewriting(app: Parameters<typeof injectFetch>[0], rewrite: (listing: Listing) => void, posted: Record<string, unknown>[]): FetchLike {
  const inner = injectFetch(app);
  return async (input, init) => {
    const res = await inner(input, init);
    const path = new URL(input).pathname;
    if (path === '/v1/cases' && typeof init?.body === 'string') posted.push(JSON.parse(init.body) as Record<string, unknown>);
    if (path !== '/v1/agencies' && !path.startsWith('/v1/agencies/')) return res;
    const served = (await res.json()) as Listing | Served;
    const listing = 'agencies' in served ? served : { agencies: [served] };
    rewrite(listing);
    return new Response(JSON.stringify(served), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
}

t.test('a recovery key the signed bundle does not list is never sealed to', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db, { intake: 1 });
  const be = await loadBackend();
  const attacker = toBase64Url(generateStaffKeys(be).boxPublicKey);
  const recovery = { boxPublicKey: attacker, threshold: 2, shares: 3 };
  const posted: Record<string, unknown>[] = [];

  // Beside the signed payload: the SDK reads the bundle's own fields only.
  const beside = rewriting(app, (l) => { for (const a of l.agencies) a.recovery = recovery; }, posted);
  const sent = await submitCase({ server, fetch: beside, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: 'a report' });
  t.ok(sent.publicNumber, 'the case is submitted');
  t.equal(posted.length, 1);
  t.notOk('recoveryKey' in posted[0]!, 'with no recovery wrap');
  const rows = await database.db.selectFrom('case_keys').select('recipient').where('recipient', '=', 'recovery').execute();
  t.same(rows, [], 'and none is stored');

  // Inside the payload, the agency's signature left as it was: the bundle no longer verifies.
  const inside = rewriting(app, (l) => {
    for (const a of l.agencies) {
      if (!a.bundle) continue;
      const content = JSON.parse(new TextDecoder().decode(fromBase64Url(a.bundle.payload))) as Record<string, unknown>;
      a.bundle.payload = toBase64Url(new TextEncoder().encode(JSON.stringify({ ...content, recovery })));
    }
  }, posted);
  const refused = await submitCase({ server, fetch: inside, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: 'a report' })
    .then(() => 'sent', (e: unknown) => (e instanceof SubmitRefusedError ? e.code : String(e)));
  t.equal(refused, 'bundle_invalid', 'refused before sealing');
  t.equal(posted.length, 1, 'nothing more was posted');
});
