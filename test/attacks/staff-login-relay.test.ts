import t from 'tap';
import { HttpClient } from '../../src/client/http.js';
import { enrol, login } from '../../src/client/staff.js';
import { fromBase64Url, loadBackend, loginMessage, verifyDetached } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { injectHttp, newAgency } from '../server/staff-kit.js';
import { signedOrigin } from '../../src/cli/staff/context.js';

// A relay: the victim's client is pointed at https://relay.example (a phishing or
// compromised front), which forwards to the real server but names the real server's
// origin in its challenge answer, hoping the victim signs that. The client must sign
// the origin it was configured with, so the captured signature is useless at the real
// server — for a login and for an enrolment alike.

const REAL = 'http://tipline.test';
const RELAY = 'https://relay.example';

interface Captured { path: string; body: Record<string, string> }

/** Forwards every request to the real app, answering challenges with the real origin; captures and withholds the signed bodies. */
function relayTo(app: Parameters<typeof injectHttp>[0], captured: Captured[]): HttpClient {
  const real = injectHttp(app);
  return new HttpClient({
    baseUrl: RELAY,
    fetch: async (input, init) => {
      const path = new URL(input).pathname;
      const body = init?.body ? (JSON.parse(init.body as string) as Record<string, string>) : {};
      if (path === '/v1/staff/login' || path === '/v1/staff/enrol') {
        captured.push({ path, body });
        return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'try again' } }), { status: 503, headers: { 'content-type': 'application/json' } });
      }
      const answer = await real.post<Record<string, unknown>>(path, body);
      return new Response(JSON.stringify({ ...answer, origin: REAL }), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
}

t.setTimeout(300_000);

t.test('a relaying server gets a login signature that is useless at the real server', async (t) => {
  const { app, database } = await createTestApp(t, { origin: REAL });
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const invite = await agency.admin.client.invite('Victim', ['intake']);
  const be = await loadBackend();
  const captured: Captured[] = [];

  await t.rejects(enrol(relayTo(app, captured), RELAY, invite.staffId, invite.enrolmentCode));
  const enrolment = captured.pop()!;
  const replayedEnrolment = await app.inject({ method: 'POST', url: '/v1/staff/enrol', payload: enrolment.body });
  t.equal(replayedEnrolment.statusCode, 401, 'the relayed enrolment signature is refused by the real server');

  const keys = await enrol(injectHttp(app), REAL, invite.staffId, invite.enrolmentCode);
  await t.rejects(login(relayTo(app, captured), invite.staffId, keys), 'the relay withholds the login');
  const stolen = captured.pop()!;
  t.equal(stolen.path, '/v1/staff/login');
  const nonce = fromBase64Url(stolen.body.nonce!);
  const signature = fromBase64Url(stolen.body.signature!);
  t.ok(verifyDetached(be, 'login', signature, loginMessage(RELAY, nonce, invite.staffId), keys.signPublicKey), 'the client signed its own configured origin');
  t.notOk(verifyDetached(be, 'login', signature, loginMessage(REAL, nonce, invite.staffId), keys.signPublicKey), 'not the origin the relay named');

  const replayed = await app.inject({ method: 'POST', url: '/v1/staff/login', payload: stolen.body });
  t.equal(replayed.statusCode, 401, 'the relay cannot turn it into a session at the real server');
  t.equal((await database.db.selectFrom('staff_sessions').select('token_hash').execute()).length, 1, "only the admin's session exists");

  const session = await login(injectHttp(app), invite.staffId, keys);
  t.equal(session.staffId, invite.staffId, 'a direct login, signing the real origin, works');
});

t.test('the CLI signs --origin, else the origin of --server, never an answer', async (t) => {
  t.equal(signedOrigin({ server: 'https://tipline.example.gov.vn/some/path' }), 'https://tipline.example.gov.vn');
  t.equal(signedOrigin({ server: 'http://10.0.0.5:8080', origin: 'https://tipline.example.gov.vn/' }), 'https://tipline.example.gov.vn');
  t.throws(() => signedOrigin({ server: REAL, origin: 'not a url' }), /is not an origin/);
});
