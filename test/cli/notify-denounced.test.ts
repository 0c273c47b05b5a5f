import t from 'tap';
import { sealTestCase } from '../helpers/fixtures.js';
import { cliScene } from './staff-scene.js';

// `tipline case notify-denounced` as the head of agency runs it after an acceptance (Law
// Art. 29(3)): the notice written from form 06's template, printed for review, then sealed
// and signed as the step's record. The denouncer's identity block is never in it; and the
// anonymous-information track from the command line, its ground signed.

t.test('the head notifies the content to the person denounced, from the command line', async (t) => {
  const { app, agency, keyFile, tipline, ok } = await cliScene(t, { intake: 1, custodians: 2, investigators: 0, extraStaff: [['supervisor']] }, 'notify');
  const [intake, head] = [agency.withRole('intake')[0]!, agency.withRole('supervisor')[0]!];
  const files = { intake: await keyFile(intake, 'intake'), head: await keyFile(head, 'head') };
  for (const key of Object.values(files)) await ok(key, 'login');
  await ok(files.intake, 'agency', 'pin', agency.id, agency.fingerprint);
  const identity = 'Trần Thị Denouncer, 12 Hàng Bài, Hà Nội';
  const sealed = await sealTestCase(agency, 'the district chief takes bribes', { identity });
  const { caseId } = (await app.inject({ method: 'POST', url: '/v1/cases', payload: sealed.body })).json() as { caseId: string };

  t.match(await ok(files.head, 'case', 'notify-denounced', '--help'), /Art\. 29\(3\)[\s\S]*--denounced[\s\S]*--print/, '--help names the law and the fields');
  await ok(files.intake, 'case', 'transition', caseId, 'triage', '--reason', 'within our remit');
  const early = await tipline(files.head, 'case', 'notify-denounced', caseId, '--print');
  t.same([early.status, /no acceptance decision/.test(early.stderr)], [1, true], 'nothing to notify before the acceptance');
  await ok(files.intake, 'case', 'assign', caseId, '--to', head.id);
  await ok(files.head, 'case', 'transition', caseId, 'accept', '--reason', 'the four conditions are met');

  const args = ['case', 'notify-denounced', caseId, '--denounced', 'Nguyễn Văn B, Chủ tịch UBND xã', '--content', 'nhận tiền để cấp phép xây dựng sai quy định', '--agency', 'Thanh tra tỉnh'];
  const printed = await ok(files.head, ...args, '--print');
  t.match(printed, /THÔNG BÁO về nội dung tố cáo[\s\S]*Kính gửi: Nguyễn Văn B, Chủ tịch UBND xã[\s\S]*nhận tiền để cấp phép[\s\S]*— English —/, 'form 06, Vietnamese, English beside');
  t.notOk(printed.includes('Trần Thị') || printed.includes('Hàng Bài') || printed.includes('Receipt'), 'nothing of the denouncer');
  const before = JSON.parse(await ok(files.head, 'case', 'history', caseId, '--json')) as { events: { action: string }[] };
  t.notOk(before.events.some((e) => e.action === 'notify_denounced'), '--print records nothing');

  t.match(await ok(files.head, ...args), /notify_denounced: recorded on \d{4}-\d{2}-\d{2}, the notice sealed in the case file — .*Art\. 29\(3\)/);
  const history = JSON.parse(await ok(files.head, 'case', 'history', caseId, '--json')) as { state: string; events: { action: string; authenticity: string }[] };
  t.same([history.state, history.events.at(-1)], ['ACCEPTED', { ...history.events.at(-1), action: 'notify_denounced', authenticity: 'signed' }], 'signed, the state kept');
  t.equal((await tipline(files.head, ...args)).status, 1, 'once');

  const other = await sealTestCase(agency, 'someone in the ward office is corrupt');
  const anonymous = (await app.inject({ method: 'POST', url: '/v1/cases', payload: other.body })).json() as { caseId: string };
  t.match(await ok(files.intake, 'case', 'transition', anonymous.caseId, 'classify_information', '--reason', 'no name given', '--ground', 'no_name'), /classify_information: now INFORMATION — .*Art\. 25\(1\)/);
});
