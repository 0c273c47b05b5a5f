import t from 'tap';
import { sealTestCase } from '../helpers/fixtures.js';
import { cliScene } from './staff-scene.js';

// `tipline case propose | proposals | decline` as a person runs them, with key files:
// the investigator proposes, the head of agency takes one proposal with `case
// transition` and declines another, and the investigator reads the answer.

t.test('an investigator proposes and the head of agency answers, from the command line', async (t) => {
  const { app, agency, keyFile, tipline, ok } = await cliScene(t, { intake: 1, investigators: 1, extraStaff: [['supervisor']] }, 'proposals');
  const [intake, investigator, head] = [agency.withRole('intake')[0]!, agency.withRole('investigator')[0]!, agency.withRole('supervisor')[0]!];
  const files = { intake: await keyFile(intake, 'intake'), investigator: await keyFile(investigator, 'investigator'), head: await keyFile(head, 'head') };
  for (const key of Object.values(files)) await ok(key, 'login');
  await ok(files.intake, 'agency', 'pin', agency.id, agency.fingerprint);
  const submitted = await app.inject({ method: 'POST', url: '/v1/cases', payload: (await sealTestCase(agency, 'the district chief takes bribes')).body });
  const { caseId } = submitted.json() as { caseId: string };
  await ok(files.intake, 'case', 'transition', caseId, 'triage', '--reason', 'within our remit');
  await ok(files.intake, 'case', 'assign', caseId, '--to', investigator.id);
  await ok(files.intake, 'case', 'assign', caseId, '--to', head.id);
  // The intake officer prepares the acceptance; the head of agency decides it (Law Art. 29(1)).
  await ok(files.intake, 'case', 'propose', caseId, 'accept', '--reason', 'the four conditions are met');
  await ok(files.head, 'case', 'transition', caseId, 'accept', '--reason', 'grounded');
  await ok(files.investigator, 'case', 'transition', caseId, 'start_verification', '--reason', 'team formed');

  t.match((await ok(files.investigator, 'case', 'propose', '--help')), /accept \| extend \| conclude/, '--help names what may be proposed');
  const refused = await tipline(files.investigator, 'case', 'propose', caseId, 'triage', '--reason', 'x');
  t.equal(refused.status, 1);
  t.match(refused.stderr, /triage is not proposed under VN-2026/, 'a step nobody proposes is refused, with the steps that are');
  t.match(await ok(files.investigator, 'case', 'propose', caseId, 'extend', '--reason', 'two more places to check', '--complexity', 'complex', '--days', '30'),
    /proposal .* \(extend\) sent to the head of agency/);
  const listed = await ok(files.head, 'case', 'proposals', caseId);
  t.match(listed, /extend by 30 days \(complex\)/);
  t.match(listed, /two more places to check/, 'the head reads the reasons, opened on their machine');
  t.match(listed, /\[open\]/);
  await ok(files.head, 'case', 'transition', caseId, 'extend', '--reason', 'as proposed', '--complexity', 'complex', '--days', '30');
  t.match(await ok(files.head, 'case', 'proposals', caseId), /\[taken by /, 'the transition answers the proposal');

  await ok(files.investigator, 'case', 'propose', caseId, 'conclude', '--reason', 'the evidence holds', '--finding', 'true');
  const { proposals } = JSON.parse(await ok(files.head, 'case', 'proposals', caseId, '--json')) as { proposals: { proposalId: string; action: string; status: string }[] };
  const open = proposals.find((p) => p.action === 'conclude' && p.status === 'open')!;
  const byInvestigator = await tipline(files.investigator, 'case', 'decline', caseId, open.proposalId, '--reason', 'no');
  t.equal(byInvestigator.status, 1, 'only the head answers');
  await ok(files.head, 'case', 'decline', caseId, open.proposalId, '--reason', 'the bank records are still missing');
  const seen = JSON.parse(await ok(files.investigator, 'case', 'proposals', caseId, '--json')) as { proposals: { proposalId: string; status: string; answerText: string | null; answer: { authenticity: string } }[] };
  t.match(seen.proposals.find((p) => p.proposalId === open.proposalId), { status: 'declined', answerText: 'the bank records are still missing', answer: { authenticity: 'signed' } });
});
