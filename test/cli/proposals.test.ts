import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encryptKeyFile } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, sealTestCase, type FixtureStaff } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline case propose | proposals | decline` as a person runs them, with key files:
// the investigator proposes, the head of agency takes one proposal with `case
// transition` and declines another, and the investigator reads the answer.

t.test('an investigator proposes and the head of agency answers, from the command line', async (t) => {
  const { app, database } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agency = await createTestAgency(database.db, { intake: 1, investigators: 1, extraStaff: [['supervisor']] });
  const [intake, investigator, head] = [agency.withRole('intake')[0]!, agency.withRole('investigator')[0]!, agency.withRole('supervisor')[0]!];
  const dir = mkdtempSync(join(tmpdir(), 'tipline-proposals-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = async (who: FixtureStaff, name: string) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, await encryptKeyFile(who.keys, 'correct horse', { staffId: who.id, label: 'staff' }, { opslimit: 1, memlimit: 8192 }));
    return file;
  };
  const files = { intake: await keyFile(intake, 'intake'), investigator: await keyFile(investigator, 'investigator'), head: await keyFile(head, 'head') };
  const tipline = async (key: string, ...args: string[]) => {
    const r = await tiplineCli(args, { DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_ORIGIN: app.config.origin, TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: key, TIPLINE_PASSPHRASE: 'correct horse' });
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = async (key: string, ...args: string[]) => {
    const r = await tipline(key, ...args);
    t.equal(r.status, 0, `${args.slice(0, 2).join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
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
