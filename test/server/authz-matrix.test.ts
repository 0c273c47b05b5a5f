import t, { type Test } from 'tap';
import { requestIdentity } from '../../src/client/staff-identity.js';
import { deriveReceiptKeys, loadBackend, toBase64Url, type StaffRole } from '../../src/protocol/index.js';
import { createAttachment, finishAttachment, findAttachment, storeChunks } from '../../src/server/db/attachments.js';
import { heldSubjects, insertPlan } from '../../src/server/db/reshares.js';
import { createSession } from '../../src/server/db/sessions.js';
import { insertProtectionRequest } from '../../src/server/db/workflow-protection.js';
import { createTestApp, unlimited } from '../helpers/app.js';
import { documentedOperations, sampleFor, undeclared, type JsonSchema, type Operation } from '../reliability/openapi.js';
import { newAgency, newCase, newStaff, type Person, publishBundleOf } from './staff-kit.js';

// Every operation of /openapi.json × every kind of caller: none, the case's receipt, each
// staff role of the case's agency and of another agency. What each cell must answer is
// read from the operation's declared security, never from a list of routes here:
// - every answer is below 500 and declared (status, media type, error code);
// - a route that declares no credential answers every caller alike;
// - with a declared credential, no credential (or another kind) is 401, a role it does not
//   admit is the same 403 for every such role, and a role it admits never gets that 403;
// - another agency's caller never gets a 2xx on a path naming this agency's objects;
// - someone gets past authorisation on every route (not 401, 403 or 404).
// Values come from the fixtures by parameter name, bodies from the operation's own schema,
// and every caller gets a fresh session per operation (logout and deactivation are operations).

const roles: StaffRole[] = ['admin', 'intake', 'investigator', 'custodian', 'supervisor', 'auditor'];
type Caller = 'none' | 'receipt' | `${'own' | 'other'}:${StaffRole}`;
/**
 * Path parameters that name one agency's own objects. Agencies are public to staff, and a
 * session id is always the caller's own here (one's own sessions are one's to end).
 */
const AGENCY_OBJECTS = ['caseId', 'staffId', 'identityRequestId', 'protectionRequestId', 'attachmentId', 'reshareId'];
const PASSED = (status: number) => ![401, 403, 404].includes(status);

/** Roles the operation admits (empty: any staff member); undefined when it takes no session. */
function admitted(op: Operation): StaffRole[] | undefined {
  const staff = op.security.filter((req) => 'staff' in req);
  if (staff.length === 0) return undefined;
  return staff.some((req) => req['staff']!.length === 0) ? [] : staff.flatMap((req) => req['staff'] as StaffRole[]);
}
const needsReceipt = (op: Operation) => op.security.some((req) => 'receipt' in req);

/** The schema's sample, with every field named like a fixture given the fixture's value. */
function withFixtures(value: unknown, schema: JsonSchema | undefined, fixtures: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withFixtures(v, schema?.items, fixtures));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const field = schema?.properties?.[k];
    out[k] = typeof v === 'string' && fixtures[k] !== undefined && field?.type === 'string' ? fixtures[k] : withFixtures(v, field, fixtures);
  }
  return out;
}

t.test('authorisation matrix, from the API document', async (t) => {
  const { app, database } = await createTestApp(t, unlimited);
  const db = database.db;
  const A = await newAgency(app, db, 'agency-a');
  const B = await newAgency(app, db, 'agency-b');
  const people = {} as Record<`${'own' | 'other'}:${StaffRole}`, Person>;
  for (const [side, agency] of [['own', A], ['other', B]] as const) {
    for (const role of roles) people[`${side}:${role}`] = role === 'admin' ? agency.admin : await newStaff(app, agency, [role]);
  }
  const victim = await newStaff(app, A, ['investigator'], 'victim');
  await publishBundleOf(A);
  const { caseId, receipt } = await newCase(db, A, { intake: [people['own:intake']], custodians: [people['own:custodian']], threshold: 1 });
  await people['own:intake'].client.grant(caseId, { staffId: people['own:investigator'].staffId }, people['own:intake'].keys);
  await people['own:intake'].client.grant(caseId, { staffId: victim.staffId }, people['own:intake'].keys);
  // The case as sealed to a recovery recipient (PROTOCOL.md §9.1), so the drill's re-grant has one to reach.
  await db.insertInto('case_keys').values({ id: crypto.randomUUID(), case_id: caseId, recipient: 'recovery', staff_id: null, wrapped: new Uint8Array(114) }).execute();
  const requestId = await requestIdentity(people['own:investigator'].client, caseId, 'why', people['own:investigator'].keys);
  const protectionRequestId = crypto.randomUUID();
  await insertProtectionRequest(db, {
    id: protectionRequestId, caseId, agencyId: A.agencyId, urgent: true, requestedOn: '2026-01-05', dueOn: '2026-01-08', sealedDetails: new Uint8Array(200),
    threshold: 1, denouncerKey: new Uint8Array(80), shares: [{ custodianId: people['own:custodian'].staffId, wrapped: new Uint8Array(80) }],
  });
  // One short chunk is a whole sealed file to the server, which never opens it (104
  // plaintext bytes: a padded length, PROTOCOL.md §1.3, so the upload can finish).
  const attachmentId = crypto.randomUUID();
  const oneChunk = async function* () { yield new Uint8Array(120); };
  await storeChunks(db, (await createAttachment(db, { id: attachmentId, caseId, uploader: 'denouncer' }))!, 0, oneChunk(), 1);
  await finishAttachment(db, (await findAttachment(db, attachmentId))!, 1, 1024);
  // An open reshare of the one custodian to themself, so that its routes have a plan to act on.
  const reshareId = crypto.randomUUID();
  const custodian = people['own:custodian'].staffId;
  await insertPlan(db, {
    reshareId, agencyId: A.agencyId, plannedBy: A.admin.staffId, onDay: '2026-01-05', bundleSerial: 1, threshold: 1,
    from: [custodian], to: [custodian], signature: new Uint8Array(64), finished: false,
  }, await heldSubjects(db, A.agencyId));
  const victimSession = await createSession(db, victim.staffId, { idleSeconds: 3600, maxSeconds: 7200 });
  const authorization = `Receipt ${toBase64Url(deriveReceiptKeys(await loadBackend(), receipt).authKey)}`;

  // By name: the one fixture each parameter or body field of that name gets. 2026-09-01 is
  // a shipped holiday, so the calendar routes can act on it.
  const fixtures: Record<string, string> = {
    caseId, agencyId: A.agencyId, staffId: victim.staffId, identityRequestId: requestId, protectionRequestId, attachmentId, proposalId: crypto.randomUUID(),
    slug: 'agency-a', day: '2026-09-01', reshareId, from: '2026-01-01', to: '2026-12-31', sessionId: victimSession.sessionId,
  };
  const callers: Caller[] = ['none', 'receipt', ...(Object.keys(people) as Caller[])];
  const ops = await documentedOperations(app);
  t.ok(ops.length > 50, `the document lists the routes (${ops.length})`);

  for (const op of ops) {
    await db.updateTable('staff').set({ status: 'active' }).where('status', '=', 'deactivated').execute();
    const sessions = new Map<Caller, { token: string; sessionId: string }>();
    for (const [who, p] of Object.entries(people)) sessions.set(who as Caller, await createSession(db, p.staffId, { idleSeconds: 3600, maxSeconds: 7200 }));
    const roleSet = admitted(op);
    const mayPass = (who: Caller) => (who === 'receipt' ? needsReceipt(op)
      : who !== 'none' && roleSet !== undefined && (roleSet.length === 0 || roleSet.includes(who.split(':')[1] as StaffRole)));
    // Callers who may pass go last, so a destructive operation is refused to everyone else first.
    const order = [...callers].sort((a, b) => Number(mayPass(a)) - Number(mayPass(b)));
    const answers = new Map<Caller, { status: number; body: string }>();
    for (const who of order) {
      const session = sessions.get(who);
      const values: Record<string, string> = { ...fixtures, ...(session ? { sessionId: session.sessionId } : {}) };
      const path = op.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        const p = op.parameters.find((x) => x.name === name && x.in === 'path');
        return p?.schema?.type === 'integer' ? String(p.schema.minimum ?? 0) : encodeURIComponent(values[name] ?? 'x');
      });
      const query = op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${encodeURIComponent(values[p.name] ?? String(sampleFor(p.schema)))}`);
      const headers: Record<string, string> = {};
      if (who === 'receipt') headers['authorization'] = authorization;
      else if (session) headers['authorization'] = `Bearer ${session.token}`;
      let payload: string | Buffer | undefined;
      if (op.bodyTypes[0] === 'application/octet-stream') {
        headers['content-type'] = 'application/octet-stream';
        payload = Buffer.alloc(120);
      } else if (op.bodySchema) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(withFixtures(sampleFor(op.bodySchema), op.bodySchema, values));
      }
      const res = await app.inject({ method: op.method as 'GET', url: path + (query.length ? `?${query.join('&')}` : ''), headers, ...(payload ? { payload } : {}) });
      answers.set(who, { status: res.statusCode, body: res.body });
      const cell = `${op.method} ${op.template} as ${who}`;
      t.ok(res.statusCode < 500, `${cell}: below 500 (${res.statusCode})`);
      const problem = undeclared(op, res.statusCode, res.headers['content-type'] as string | undefined, res.body);
      if (problem) t.fail(`${cell}: ${problem}`);
    }
    expectations(t, op, answers, roleSet);
  }
});

function expectations(t: Test, op: Operation, answers: Map<Caller, { status: number; body: string }>, roleSet: StaffRole[] | undefined): void {
  const name = `${op.method} ${op.template}`;
  const of = (who: Caller) => answers.get(who)!;
  const staffCallers = [...answers.keys()].filter((w) => w.includes(':')) as `${'own' | 'other'}:${StaffRole}`[];
  if (!roleSet && !needsReceipt(op)) {
    // No credential declared: no header may change the answer.
    for (const [who, a] of answers) t.equal(a.status, of('none').status, `${name} as ${who}: answered as anyone is (${of('none').status})`);
    return;
  }
  t.equal(of('none').status, 401, `${name} without a credential: 401`);
  if (needsReceipt(op)) {
    for (const who of staffCallers) t.equal(of(who).status, 401, `${name} as ${who}: a session is no receipt`);
    t.ok(PASSED(of('receipt').status), `${name} with the receipt: its case is opened (${of('receipt').status})`);
    return;
  }
  t.equal(of('receipt').status, 401, `${name} with a receipt: a receipt is no session`);
  const isAdmitted = (who: string) => roleSet!.length === 0 || roleSet!.includes(who.split(':')[1] as StaffRole);
  const refused = staffCallers.filter((w) => !isAdmitted(w));
  const refusal = refused[0] && of(refused[0]);
  for (const who of refused) {
    t.equal(of(who).status, 403, `${name} as ${who}: its role is not admitted`);
    t.equal(of(who).body, refusal!.body, `${name} as ${who}: the same refusal as every role not admitted`);
  }
  for (const who of staffCallers.filter(isAdmitted)) {
    const a = of(who);
    t.not(a.status, 401, `${name} as ${who}: the session is accepted`);
    if (refusal) t.not(a.body, refusal.body, `${name} as ${who}: its role is admitted`);
    if (who.startsWith('other:') && AGENCY_OBJECTS.some((p) => op.template.includes(`{${p}}`))) {
      t.ok(a.status >= 400, `${name} as ${who}: another agency's objects are out of reach (${a.status})`);
    }
  }
  t.ok(staffCallers.some((w) => PASSED(of(w).status)), `${name}: some caller gets past authorisation`);
}
