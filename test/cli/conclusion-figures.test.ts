import t from 'tap';
import { utcToDay } from '../../src/domain/index.js';
import { sealTestCase } from '../helpers/fixtures.js';
import { cliScene } from './staff-scene.js';

// `tipline case transition … conclude` with the figures the conclusion recommends (form
// 03/KQGQ's money, land and persons): --help names them in Vietnamese and English, a
// malformed one never reaches the server, the signed ones show in `case history` and are
// summed in `tipline report`.

t.test('the head concludes with the figures from the command line, and the report counts them', async (t) => {
  const { app, agency, keyFile, tipline, ok } = await cliScene(t, { intake: 1, custodians: 2, investigators: 0, extraStaff: [['supervisor', 'investigator']] }, 'figures');
  const [intake, head] = [agency.withRole('intake')[0]!, agency.withRole('supervisor')[0]!];
  const files = { intake: await keyFile(intake, 'intake'), head: await keyFile(head, 'head') };
  for (const key of Object.values(files)) await ok(key, 'login');
  await ok(files.intake, 'agency', 'pin', agency.id, agency.fingerprint);
  const sealed = await sealTestCase(agency, 'the land office sold public land');
  const { caseId } = (await app.inject({ method: 'POST', url: '/v1/cases', payload: sealed.body })).json() as { caseId: string };
  await ok(files.intake, 'case', 'transition', caseId, 'triage', '--reason', 'within our remit');
  await ok(files.intake, 'case', 'assign', caseId, '--to', head.id);
  await ok(files.head, 'case', 'transition', caseId, 'accept', '--reason', 'grounded');
  await ok(files.head, 'case', 'transition', caseId, 'start_verification', '--reason', 'verifying');

  const help = (await ok(files.head, 'case', 'transition', '--help')).replace(/\s+/g, ' ');
  t.match(help, '--recovery-money <dong> (conclude) kiến nghị thu hồi cho Nhà nước: tiền (đồng) / recommended for recovery to the State: money (VND)', '--help names the figures, vi and en');
  t.match(help, /--sanction-officials <n>[\s\S]*--referred-persons <n>/);
  const conclude = ['case', 'transition', caseId, 'conclude', '--reason', 'founded', '--finding', 'true'];
  const malformed = await tipline(files.head, ...conclude, '--recovery-money', '1.250.000.000');
  t.same([malformed.status, /--recovery-money takes a whole number/.test(malformed.stderr)], [1, true], 'separators are refused before anything is signed');
  const outnumbered = await tipline(files.head, ...conclude, '--sanction-persons', '1', '--sanction-officials', '2');
  t.same([outnumbered.status, /officials are among the persons/.test(outnumbered.stderr)], [1, true], 'the officials are among the persons');
  t.match(await ok(files.head, ...conclude, '--recovery-money', '1250000000', '--recovery-land', '340', '--sanction-persons', '3', '--sanction-officials', '2'), /conclude: now CONCLUDED/);

  const history = await ok(files.head, 'case', 'history', caseId);
  t.match(history, /conclude VERIFYING → CONCLUDED  signed by [\s\S]*figures signed with it \/ số liệu ký cùng: recoveryMoney 1250000000, recoveryLand 340, returnedMoney 0, returnedLand 0, sanctionPersons 3, sanctionOfficials 2, referredPersons 0/);
  const today = utcToDay(Date.now());
  const csv = await ok(files.head, 'report', '--from', today, '--to', today, '--format', 'csv');
  t.match(csv, /"Kiến nghị thu hồi cho Nhà nước: tiền \(triệu đồng\)","Recommended for recovery to the State: money \(million VND\)",1250,""/, 'the report: 1 250 million đồng');
  t.match(csv, /"Kiến nghị xử lý hành chính: số người bị kiến nghị xử lý","Persons recommended for administrative sanction",3,""/);
});
