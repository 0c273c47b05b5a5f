import { join } from 'node:path';
import ExcelJS from 'exceljs';
import t from 'tap';
import { openReceipt } from '../../src/client/denouncer.js';
import { storeProtectionRequest } from '../server/workflow-fixtures.js';
import { sealTestCase } from '../helpers/fixtures.js';
import { cliScene } from './staff-scene.js';

// The workflow commands run as a person would run them — `tipline …` in a shell, with a
// key file and a passphrase — against a listening server; the denouncer's SDK then
// checks that the sealed notices open to the right text and the status moved.


t.setTimeout(540_000);

t.test('case transition and protection decide seal their reasons and notices locally', async (t) => {
  const { app, database, server, agency, dir, keyFile, tipline } = await cliScene(t, { intake: 1, extraStaff: [['supervisor', 'investigator']] }, 'workflow');
  const [intake, head] = [agency.withRole('intake')[0]!, agency.withRole('supervisor')[0]!];

  const files = { intake: await keyFile(intake, 'intake'), head: await keyFile(head, 'head') };
  for (const key of [files.intake, files.head]) t.equal((await tipline(key, 'login')).status, 0, 'logged in with the key file');
  // As the members' invitations gave it (they share one TIPLINE_HOME here).
  t.equal((await tipline(files.intake, 'agency', 'pin', agency.id, agency.fingerprint)).status, 0, 'the agency is pinned');

  const submission = await sealTestCase(agency, 'the district chief takes bribes');
  const submitted = await app.inject({ method: 'POST', url: '/v1/cases', payload: submission.body });
  t.equal(submitted.statusCode, 201);
  const { caseId, publicNumber } = submitted.json() as { caseId: string; publicNumber: string };
  const denouncer = await openReceipt(submission.receipt, { server });

  const triage = await tipline(files.intake, 'case', 'transition', caseId, 'triage', '--reason', 'within our remit');
  t.equal(triage.status, 0, triage.stderr);
  t.match(triage.stdout, /triage: now TRIAGE/);
  t.notMatch(triage.stdout, /notice/, 'triage owes no notice, so none is sent');

  await t.test('an accept by someone holding no key for the case fails and says why', async (t) => {
    const refused = await tipline(files.head, 'case', 'transition', caseId, 'accept', '--reason', 'grounded');
    t.equal(refused.status, 1);
    t.match(refused.stderr, /you hold no key for case .* cannot be sealed; ask a colleague .* to grant it/);
    t.equal((await denouncer.status()).status, 'TRIAGE', 'nothing moved');
  });

  const byIntake = await tipline(files.intake, 'case', 'transition', caseId, 'accept', '--reason', 'grounded');
  t.match(byIntake.stderr, /your role may not accept/, 'the head of agency decides acceptance (Law Art. 29(1)), not the intake officer');
  const assigned = await tipline(files.intake, 'case', 'assign', caseId, '--to', head.id);
  t.equal(assigned.status, 0, `the intake officer grants the case to the head ${assigned.stderr}`);
  const accept = await tipline(files.head, 'case', 'transition', publicNumber, 'accept', '--reason', 'grounded', '--json');
  t.equal(accept.status, 0, accept.stderr);
  const accepted = JSON.parse(accept.stdout) as { to: string; noticeMessageId: string | null };
  t.equal(accepted.to, 'ACCEPTED', 'found by its public number');
  t.ok(accepted.noticeMessageId, 'accept owes a notice and one was sent');

  const status = await denouncer.status();
  t.equal(status.status, 'ACCEPTED', 'the denouncer sees the new status');
  const notice = (await denouncer.messages()).find((m) => m.messageId === accepted.noticeMessageId);
  t.equal(notice?.text, 'Vụ việc của bạn đã được thụ lý. / Your case has been accepted.', 'and opens the default notice');
  t.same(notice?.notice?.transition, 'accept');

  const reasonRow = await database.db.selectFrom('case_events').select('reason').where('case_id', '=', caseId).where('action', '=', 'accept').executeTakeFirstOrThrow();
  t.notOk(Buffer.from(reasonRow.reason!).includes('grounded'), 'the server holds the reason sealed');

  await t.test('a protection decision is sealed, and the denouncer reads its measures', async (t) => {
    // Stored as the route stores one (the route's own checks: test/server/threshold-checks.test.ts).
    const requestId = await storeProtectionRequest(database.db, agency.id, caseId, true);
    const granted = ['protection', 'decide', requestId, 'granted', '--measures', 'police escort at home', '--responsible-body', 'District police'];
    const decided = await tipline(files.head, ...granted);
    t.equal(decided.status, 0, decided.stderr);
    t.match(decided.stdout, /granted on \d{4}-\d{2}-\d{2}/);
    const last = (await denouncer.messages()).at(-1);
    t.match(last?.text, /Your request for protection has been granted\.[\s\S]*Measures: police escort at home[\s\S]*Responsible body: District police/);
    const listed = await tipline(files.head, 'protection', 'list');
    t.match(listed.stdout, new RegExp(`${requestId} .*granted \\d{4}-\\d{2}-\\d{2}, signed by ${head.id}`), 'the list shows the decision as the head signed it');
  });

  await t.test('tipline report writes the form as CSV and as an .xlsx made here, with the same lines', async (t) => {
    const year = new Date().toISOString().slice(0, 4);
    const xlsx = join(dir, 'report.xlsx');
    const r = await tipline(files.head, 'report', '--from', `${year}-01-01`, '--to', `${year}-12-31`, '--format', 'csv', '--xlsx', xlsx);
    t.equal(r.status, 0, r.stderr);
    t.match(r.stdout, '"Số vụ việc đã thụ lý","Accepted",1,', 'the accepted case, labelled as the form labels it');
    t.match(r.stdout, `"${agency.slug}"`, 'the agency as its verified bundle names it');
    const sheet = (await new ExcelJS.Workbook().xlsx.readFile(xlsx)).worksheets[0]!;
    const accepted = sheet.getRows(1, sheet.rowCount)!.find((row) => row.getCell(2).value === 'Số vụ việc đã thụ lý');
    t.same([sheet.getCell('A4').value, accepted?.getCell(4).value], [agency.slug, 1], 'and the workbook says the same');
  });

  await t.test('case history marks every event; a row the database wrote is REFUSED and nothing is signed on it', async (t) => {
    const history = await tipline(files.head, 'case', 'history', caseId);
    t.equal(history.status, 0, history.stderr);
    t.match(history.stdout, new RegExp(`#1 \\S+ triage RECEIVED → TRIAGE  signed by ${intake.id}`));
    t.match(history.stdout, new RegExp(`#2 \\S+ accept TRIAGE → ACCEPTED  signed by ${head.id}`));
    await database.db.insertInto('case_events').values({
      case_id: caseId, seq: 3, agency_id: agency.id, action: 'terminate', from_state: 'ACCEPTED', to_state: 'TERMINATED',
      on_day: new Date().toISOString().slice(0, 10), actor_id: head.id, legal_basis: 'Luật Tố cáo 2018 Art. 34.2', reason: new Uint8Array(48),
    }).execute();
    const forged = await tipline(files.head, 'case', 'history', caseId);
    t.match(forged.stdout, /^case \S+: ACCEPTED \(the server says TERMINATED/m, 'the state the verified history leads to');
    t.match(forged.stdout, /#3 \S+ REFUSED: "terminate ACCEPTED → TERMINATED" as the server lists it — no signature, after signed events; not counted, no author trusted/);
    const refused = await tipline(files.head, 'case', 'transition', caseId, 'start_verification', '--reason', 'assigned');
    t.equal(refused.status, 1);
    t.match(refused.stderr, /không ký chuyển trạng thái nào .* no transition is signed on top of it.*\(history_refused\)/s, 'a clear refusal, in both languages, with its code');
  });
});
