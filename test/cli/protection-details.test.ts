import t from 'tap';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import { sealTestCase, type FixtureStaff } from '../helpers/fixtures.js';
import { cliScene } from './staff-scene.js';

// `tipline protection details` as a supervisor runs it, and `tipline identity list |
// approve` as custodians run it, against a listening server: the details sealed by the
// denouncer's page print on the supervisor's terminal once two of three have released.


t.setTimeout(540_000);

t.test('a supervisor asks, two custodians release, the details print', async (t) => {
  const { app, database, server, agency, keyFile, tipline } = await cliScene(t, { intake: 1, custodians: 3, threshold: 2, extraStaff: [['supervisor'], ['investigator']] }, 'protection');
  const [c1, c2] = agency.withRole('custodian') as [FixtureStaff, FixtureStaff];
  const [head, investigator] = [agency.withRole('supervisor')[0]!, agency.withRole('investigator')[0]!];

  const files = { head: await keyFile(head, 'head'), c1: await keyFile(c1, 'c1'), c2: await keyFile(c2, 'c2'), investigator: await keyFile(investigator, 'inv') };
  for (const key of Object.values(files)) t.equal((await tipline(key, 'login')).status, 0, 'logged in');
  // As each member's invitation gave it (they share one TIPLINE_HOME here).
  t.equal((await tipline(files.head, 'agency', 'pin', agency.id, agency.fingerprint)).status, 0, 'the agency is pinned');

  const submission = await sealTestCase(agency, 'the district chief takes bribes');
  t.equal((await app.inject({ method: 'POST', url: '/v1/cases', payload: submission.body })).statusCode, 201);
  const page = receiptWorkflow(agency.be, submission.receipt, server);
  const details = { reasons: 'My manager threatened to fire my brother.', measures: 'Keep both of us in our posts.', urgent: true };
  await page.requestProtection({ agencyId: agency.id, caseId: submission.caseId }, agency.bundle, details);
  const { id: requestId } = await database.db.selectFrom('protection_requests').select('id').where('case_id', '=', submission.caseId).executeTakeFirstOrThrow();

  const denied = await tipline(files.investigator, 'protection', 'details', requestId, '--reason', 'curious');
  t.equal(denied.status, 1, 'an investigator cannot ask');
  const early = await tipline(files.head, 'protection', 'details', requestId);
  t.match(early.stderr, /you have not asked for these details/);
  const ask = await tipline(files.head, 'protection', 'details', requestId, '--reason', 'to arrange the measures', '--json');
  t.equal(ask.status, 0, ask.stderr);
  const { identityRequestId: askId } = JSON.parse(ask.stdout) as { identityRequestId: string };

  const list = await tipline(files.c1, 'identity', 'list');
  t.match(list.stdout, new RegExp(`${askId}\\s+protection details ${requestId} \\(URGENT\\)\\s+${submission.caseId}\\s+${head.id}\\s+pending\\s+0/2`), 'the custodian sees the urgent ask');
  const unconfirmed = await tipline(files.c1, 'identity', 'approve', askId);
  t.equal(unconfirmed.status, 1, 'without a terminal or --yes nothing is released');
  t.match(unconfirmed.stderr, /pass --yes from a script/);
  const one = await tipline(files.c1, 'identity', 'approve', askId, '--yes');
  t.equal(one.status, 0, one.stderr);
  t.match(one.stderr, new RegExp(`case: +TL-\\d{4}-\\d{6} \\(${submission.caseId}\\)`), 'the custodian sees which case');
  t.match(one.stderr, new RegExp(`asked by: +${head.id} \\(supervisor;`), 'who asks, as the pinned bundle lists them');
  t.match(one.stderr, /reason: +to arrange the measures/, 'and the decrypted reason');
  const notYet = await tipline(files.head, 'protection', 'details', requestId);
  t.equal(notYet.status, 1);
  t.match(notYet.stderr, /is pending: 1 of 2 custodians have released the details/, 'one release is not enough');
  t.equal((await tipline(files.c2, 'identity', 'approve', askId, '--yes')).status, 0);

  const read = await tipline(files.head, 'protection', 'details', requestId);
  t.equal(read.status, 0, read.stderr);
  t.equal(read.stdout, 'reasons: My manager threatened to fire my brother.\nmeasures: Keep both of us in our posts.\nurgent: true\n', 'the details print');
  const json = await tipline(files.head, 'protection', 'details', requestId, '--json');
  t.same(JSON.parse(json.stdout).details, details);
});
