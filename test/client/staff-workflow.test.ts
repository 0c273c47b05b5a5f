import t from 'tap';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { checkedWorkflow, transitionCase } from '../../src/client/staff-workflow.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// The steps after a conclusion (VN-2026) as a staff client checks them: the measure a
// handling records and who monitors are signed with the step (PROTOCOL.md §8.3.4), so a
// database writer who changes either gets the event REFUSED, with no author and no move
// of state, and the client signs nothing more on the case.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError & { code?: string }) => e.code ?? String(e));

t.setTimeout(300_000);

t.test('handling and monitoring verify as signed; a measure or a monitor changed in the database is refused', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await newAgency(app, db, 'thanh-tra-ket-luan');
  const intake = await newStaff(app, agency, ['intake']);
  const head = await newStaff(app, agency, ['supervisor', 'investigator']);
  await publishBundleOf(agency);
  const { caseId } = await newCase(db, agency, { intake: [intake] });
  await transitionCase(intake.client, caseId, { action: 'triage', reason: 'within our remit' }, intake.keys);
  await intake.client.grant(caseId, { staffId: head.staffId }, intake.keys);
  for (const input of [
    { action: 'accept', reason: 'grounded' }, { action: 'start_verification', reason: 'team formed' },
    { action: 'conclude', reason: 'no violation', finding: 'false' }, { action: 'send_conclusion', reason: 'to the person denounced and the managing body' },
  ] as const) await transitionCase(head.client, caseId, input, head.keys);

  t.equal(await codeOf(transitionCase(head.client, caseId, { action: 'handle_conclusion', reason: 'x', ground: 'violation_handled' }, head.keys)), 'validation_failed',
    'no violation to handle after a finding of false');
  await transitionCase(head.client, caseId, { action: 'handle_conclusion', reason: 'recommended discipline', ground: 'false_denouncer_handled' }, head.keys);
  await transitionCase(head.client, caseId, { action: 'monitor', reason: 'Phòng Pháp chế', ground: 'advisory_unit' }, head.keys);
  const honest = await checkedWorkflow(head.client, caseId);
  t.same(honest.history.events.slice(-3).map((e) => [e.action, e.authenticity]), [['send_conclusion', 'signed'], ['handle_conclusion', 'signed'], ['monitor', 'signed']]);
  t.same([honest.history.snapshot.state, honest.history.snapshot.finding], ['MONITORING', 'false']);

  // The writer turns the recorded measure into another and the advisory unit into the inspectorate.
  await db.updateTable('case_events').set({ ground: 'rights_restored' }).where('case_id', '=', caseId).where('action', '=', 'handle_conclusion').execute();
  await db.updateTable('case_events').set({ ground: 'inspectorate' }).where('case_id', '=', caseId).where('action', '=', 'monitor').execute();
  const forged = await checkedWorkflow(head.client, caseId);
  t.same(forged.history.events.slice(-2).map((e) => [e.action, e.authenticity, e.actorId]), [['handle_conclusion', 'refused', null], ['monitor', 'refused', null]]);
  t.equal(forged.history.snapshot.state, 'CONCLUDED', 'a refused monitor moves no state');
  t.notOk(forged.history.snapshot.taken.has('handle_conclusion'), 'nor counts as the handling');
  t.equal(await codeOf(transitionCase(head.client, caseId, { action: 'end_monitoring', reason: 'done' }, head.keys)), 'history_refused', 'nothing is signed on top');
});
