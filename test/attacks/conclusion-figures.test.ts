import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { toBase64Url } from '../../src/protocol/index.js';
import { utcToDay } from '../../src/domain/index.js';
import { reportCsv, reportForm } from '../../src/client/report-form.js';
import { report } from '../../src/client/staff-oversight.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { checkedWorkflow, transitionCase } from '../../src/client/staff-workflow.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// A conclusion's figures (money and land recommended for recovery or return, persons for
// handling) are signed with the step, checked by the server, kept with the event and summed
// in the periodic report. A database writer who inflates a stored figure is caught by every
// staff client that checks the case's history.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError & { status?: number }) => e.code ?? String(e));
const today = utcToDay(Date.now());

async function setup(t: Test, count: number) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const head = await newStaff(app, agency, ['supervisor', 'investigator']);
  await publishBundleOf(agency);
  const cases: string[] = [];
  for (let i = 0; i < count; i++) {
    const { caseId } = await newCase(database.db, agency, { intake: [intake] });
    await transitionCase(intake.client, caseId, { action: 'triage', reason: 'within our remit' }, intake.keys);
    await intake.client.grant(caseId, { staffId: head.staffId }, intake.keys);
    await transitionCase(head.client, caseId, { action: 'accept', reason: 'grounded' }, head.keys);
    await transitionCase(head.client, caseId, { action: 'start_verification', reason: 'assigned' }, head.keys);
    cases.push(caseId);
  }
  return { db: database.db, head, cases };
}

const none = { recoveryMoney: 0, recoveryLand: 0, returnedMoney: 0, returnedLand: 0, sanctionPersons: 0, sanctionOfficials: 0, referredPersons: 0 };

t.setTimeout(300_000);

t.test('the conclusions\' figures are signed, kept with the step and summed in the report', async (t) => {
  const { db, head, cases: [a, b, c] } = await setup(t, 3);
  const first = { recoveryMoney: 1_250_000_000, recoveryLand: 340, returnedMoney: 75_500_000, returnedLand: 0, sanctionPersons: 3, sanctionOfficials: 2, referredPersons: 1 };
  const second = { ...none, recoveryMoney: 2_000_000, returnedLand: 1_200, sanctionPersons: 1, sanctionOfficials: 1 };
  await transitionCase(head.client, a!, { action: 'conclude', reason: 'founded', finding: 'true', figures: first }, head.keys);
  await transitionCase(head.client, b!, { action: 'conclude', reason: 'partly founded', finding: 'partly_true', figures: second }, head.keys);
  // A conclusion that states no amount carries no figures, and adds nothing.
  await transitionCase(head.client, c!, { action: 'conclude', reason: 'unfounded', finding: 'false' }, head.keys);

  const { history } = await checkedWorkflow(head.client, a!);
  const concluded = history.events.at(-1)!;
  t.same([concluded.action, concluded.authenticity, concluded.figures], ['conclude', 'signed', first], 'the figures are shown as signed');
  const row = await db.selectFrom('case_events').select('figures').where('case_id', '=', c!).where('action', '=', 'conclude').executeTakeFirstOrThrow();
  t.equal(row.figures, null, 'none stored where none was given');

  const figures = await report(head.client.http, { from: today, to: today });
  // By hand: 1 250 000 000 + 2 000 000 đồng = 1 252 million đồng; 340 m²; 75.5 million đồng; 1 200 m²; 3 + 1 persons, of which 2 + 1 officials; 1 referred.
  t.same(figures.recommended, {
    recoveryMoney: 1_252_000_000, recoveryLand: 340, returnedMoney: 75_500_000, returnedLand: 1_200, sanctionPersons: 4, sanctionOfficials: 3, referredPersons: 1,
  }, 'the server sums the period\'s conclusions');
  const lines = Object.fromEntries(reportForm(figures).map((l) => [l.id, l.value]));
  t.same(
    [lines['recoveryMoney'], lines['recoveryLand'], lines['returnedMoney'], lines['returnedLand'], lines['sanctionPersons'], lines['sanctionOfficials'], lines['referredPersons']],
    [1252, 340, 75.5, 1200, 4, 3, 1], 'the form\'s lines are kept figures, money in million đồng',
  );
  t.match(reportCsv(figures, 'Thanh tra tỉnh'), /"Kiến nghị thu hồi cho Nhà nước: tiền \(triệu đồng\)","Recommended for recovery to the State: money \(million VND\)",1252,""/, 'the CSV carries them');
  const audit = await db.selectFrom('audit_log').select('detail').where('case_id', '=', a!).where('action', '=', 'case.transition.conclude').executeTakeFirstOrThrow();
  t.same((audit.detail as { figures?: unknown }).figures, first, 'the figures are audited in the same transaction');
});

t.test('the server refuses figures out of bounds, or on a step other than the conclusion', async (t) => {
  const { head, cases: [a] } = await setup(t, 1);
  const refused = (figures: Record<string, number>, action: 'conclude' | 'extend' = 'conclude') => codeOf(transitionCase(head.client, a!, {
    action, reason: 'x', ...(action === 'conclude' ? { finding: 'true' as const } : { extension: { complexity: 'complex' as const, days: 30 } }), figures: figures as typeof none,
  }, head.keys));
  t.equal(await refused({ ...none, recoveryMoney: -1 }), 'input_invalid', 'the client signs no negative figure');
  // Posted as a client that signs anything would: the body's shape is refused before any signature is looked at.
  const posted = (figures: Record<string, unknown>) => codeOf(head.client.http.post(`/v1/staff/cases/${a}/transitions`, {
    action: 'conclude', reason: toBase64Url(new Uint8Array(randomBytes(80))), finding: 'true', figures, signature: toBase64Url(new Uint8Array(randomBytes(64))),
  }));
  t.equal(await posted({ ...none, recoveryMoney: -1 }), 'validation_failed', 'not negative');
  t.equal(await posted({ ...none, recoveryLand: 1.5 }), 'validation_failed', 'whole square metres');
  t.equal(await posted({ ...none, returnedMoney: 1e16 }), 'validation_failed', 'bounded');
  t.equal(await posted({ ...none, bonus: 1 }), 'validation_failed', 'only the form\'s figures');
  const { recoveryMoney: _, ...short } = none;
  t.equal(await posted(short), 'validation_failed', 'every figure, or none');
  t.equal(await refused({ ...none, sanctionPersons: 1, sanctionOfficials: 2 }), 'validation_failed', 'the officials are among the persons sanctioned');
  t.equal(await refused({ ...none, recoveryMoney: 5 }, 'extend'), 'validation_failed', 'only a conclusion carries figures');
  const { view } = await checkedWorkflow(head.client, a!);
  t.equal(view.state, 'VERIFYING', 'nothing was recorded');
});

t.test('a figure inflated in the database: the staff client refuses the conclusion, and signs nothing on top of it', async (t) => {
  const { db, head, cases: [a] } = await setup(t, 1);
  const signed = { ...none, recoveryMoney: 10_000_000, sanctionPersons: 1 };
  await transitionCase(head.client, a!, { action: 'conclude', reason: 'founded', finding: 'true', figures: signed }, head.keys);
  const forgeries: Array<[string, unknown]> = [
    ['money inflated', { ...signed, recoveryMoney: 10_000_000_000 }],
    ['persons added', { ...signed, sanctionPersons: 5 }],
    ['figures stripped', null],
    ['a stray figure beside the signed ones', { ...signed, bonus: 1 }],
  ];
  for (const [what, figures] of forgeries) {
    await db.updateTable('case_events').set({ figures: figures === null ? null : JSON.stringify(figures) }).where('case_id', '=', a!).where('action', '=', 'conclude').execute();
    const { history, view } = await checkedWorkflow(head.client, a!);
    t.equal(view.state, 'CONCLUDED', `${what}: the server says concluded`);
    const conclusion = history.events.at(-1)!;
    t.same([conclusion.authenticity, conclusion.actorId, conclusion.figures], ['refused', null, undefined], `${what}: REFUSED, no figure believed (${conclusion.problem})`);
    t.equal(history.snapshot.state, 'VERIFYING', `${what}: the refused conclusion moves no state`);
    t.equal(await codeOf(transitionCase(head.client, a!, { action: 'send_conclusion', reason: 'x' }, head.keys)), 'history_refused', `${what}: the next step is not signed`);
  }
  await db.updateTable('case_events').set({ figures: JSON.stringify(signed) }).where('case_id', '=', a!).where('action', '=', 'conclude').execute();
  const { history } = await checkedWorkflow(head.client, a!);
  t.same([history.events.at(-1)!.authenticity, history.events.at(-1)!.figures], ['signed', signed], 'the figures as signed verify again');
});
