import { Option, type Command } from 'commander';
import { actions, complexities, findings, isDay, type Action, type Complexity, type Finding } from '../../domain/index.js';
import { caseProposals, declineProposal, proposeDecision } from '../../client/staff-proposals.js';
import { resolveCaseId } from '../../client/staff-workflow.js';
import { CliError, emit } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';
import { extensionOf } from './extension-option.js';
import { textOption } from './text-input.js';

// `tipline case propose | proposals | decline`: the intake officer proposes an acceptance,
// the investigator a case is assigned to an extension or a conclusion (the steps the
// rule set says they prepare), to the head of agency, who takes it with
// `case transition` or declines it (PROTOCOL.md §8.3.8). Reasons are sealed and every
// step signed here with the key file; `case proposals` shows each proposal as checked
// against the agency's verified bundles and the case's checked history.

interface ProposeOptions extends StaffOptions { reason?: string; reasonFile?: string; finding?: Finding; complexity?: Complexity; days?: string; on?: string }


async function reasonOf(o: { reason?: string; reasonFile?: string }): Promise<string> {
  const reason = await textOption('reason', o.reason, o.reasonFile);
  if (!reason?.trim()) throw new CliError('give the reasons with --reason "…" or --reason-file <file>');
  return reason;
}

export function registerProposals(program: Command): void {
  const kase = program.commands.find((c) => c.name() === 'case') ?? program.command('case').description('work on cases');

  withStaffOptions(kase.command('propose').description('propose to the head of agency a step you prepare (accept, not_accept; extend, conclude, suspend, terminate); sealed and signed here'))
    .argument('<case>', 'case id or public number (TL-…)')
    .argument('<action>', 'the step proposed, e.g. accept | extend | conclude')
    .option('--reason <text>', 'your reasons, for the case file (sealed)')
    .option('--reason-file <file>', 'the reasons, from a file')
    .addOption(new Option('--finding <finding>', 'the proposed finding (conclude)').choices(findings))
    .addOption(new Option('--complexity <level>', 'why the extension (extend)').choices(complexities))
    .option('--days <n>', 'proposed extension in days (extend)')
    .option('--on <day>', 'the day of the proposal, YYYY-MM-DD (default today)')
    .action(run(async (ref: string, action: string, o: ProposeOptions) => {
      if (!(actions as readonly string[]).includes(action)) throw new CliError(`unknown step ${action}; one of ${actions.join(', ')}`);
      if (o.on !== undefined && !isDay(o.on)) throw new CliError('--on takes a day as YYYY-MM-DD');
      const input = { action: action as Action, reason: await reasonOf(o), finding: o.finding, extension: extensionOf(o), onDay: o.on };
      const client = await staffClient(o);
      const { keys } = await unlockKeys(o);
      const r = await proposeDecision(client, await resolveCaseId(client, ref), input, keys);
      emit(o, r, () => `proposal ${r.proposalId} (${action}) sent to the head of agency on ${r.proposedOn}${r.supersedes ? `; it replaces ${r.supersedes}` : ''}`);
    }));

  withStaffOptions(kase.command('proposals').description("a case's proposals to the head of agency, checked against the agency's signed bundles"))
    .argument('<case>', 'case id or public number (TL-…)')
    .action(run(async (ref: string, o: StaffOptions) => {
      const client = await staffClient(o);
      const { keys } = await unlockKeys(o);
      const list = await caseProposals(client, await resolveCaseId(client, ref), keys);
      emit(o, { proposals: list.map(({ body: _b, answer: { body: _a, ...answer }, ...p }) => ({ ...p, answer })) }, () => list.length === 0 ? 'no proposals' : list.map((p) => {
        const what = p.extension ? `${p.action} by ${p.extension.days} days (${p.extension.complexity})` : p.finding ? `${p.action}: ${p.finding}` : p.action;
        if (p.authenticity === 'refused') return `${p.proposalId}  ${p.proposedOn}  REFUSED (${p.problem ?? 'does not verify'}): not shown, cannot be decided on`;
        const answer = p.answer.authenticity === 'refused' ? `answer REFUSED (${p.answer.problem ?? ''})`
          : p.status === 'open' ? 'open' : `${p.status}${p.answer.by ? ` by ${p.answer.by} on ${p.answer.onDay}` : ''}`;
        return [`${p.proposalId}  ${p.proposedOn}  ${what}  by ${p.proposedBy}  [${answer}]`, `  ${p.text ?? '(sealed)'}`, ...(p.answerText ? [`  declined: ${p.answerText}`] : [])].join('\n');
      }).join('\n'));
    }));

  withStaffOptions(kase.command('decline').description('decline an open proposal (head of agency), with a sealed reason; take it instead with `case transition`'))
    .argument('<case>', 'case id or public number (TL-…)')
    .argument('<proposalId>', 'the proposal, as `case proposals` lists it')
    .option('--reason <text>', 'why not (sealed; the proposer reads it)')
    .option('--reason-file <file>', 'the reason, from a file')
    .option('--on <day>', 'the day of the answer, YYYY-MM-DD (default today)')
    .action(run(async (ref: string, proposalId: string, o: StaffOptions & { reason?: string; reasonFile?: string; on?: string }) => {
      if (o.on !== undefined && !isDay(o.on)) throw new CliError('--on takes a day as YYYY-MM-DD');
      const reason = await reasonOf(o);
      const client = await staffClient(o);
      const { keys } = await unlockKeys(o);
      const r = await declineProposal(client, await resolveCaseId(client, ref), proposalId, reason, keys, o.on);
      emit(o, r, () => `proposal ${proposalId} declined on ${r.answeredOn}`);
    }));
}
