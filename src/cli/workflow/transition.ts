import { Option, type Command } from 'commander';
import {
  actions, complexities, stepGrounds, findings, isDay, type Action, type Complexity, type StepGround, type Finding,
} from '../../domain/index.js';
import { resolveCaseId, transitionCase } from '../../client/staff-workflow.js';
import { CliError, emit } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';
import { extensionOf } from './extension-option.js';
import { figuresOf, withFigureOptions } from './figures-option.js';
import { textOption } from './text-input.js';

// `tipline case transition`: the reason and, when the law owes one, the notice to the
// denouncer are sealed and signed here with the key file; the server sees ciphertext.
// The transition is signed over the case's history as checked here (`case history`).

interface TransitionOptions extends StaffOptions {
  reason?: string; reasonFile?: string; notice?: string; noticeFile?: string;
  finding?: Finding; ground?: StepGround; complexity?: Complexity; days?: string; legalBasis?: string; on?: string; acceptUnverifiedHistory?: boolean;
  recoveryMoney?: string; recoveryLand?: string; returnedMoney?: string; returnedLand?: string;
  sanctionPersons?: string; sanctionOfficials?: string; referredPersons?: string;
}


export function registerTransition(program: Command): void {
  const kase = program.commands.find((c) => c.name() === 'case') ?? program.command('case').description('work on cases');
  const cmd = withStaffOptions(kase.command('transition').description('move a case through the statutory workflow; the reason and notice are sealed here'))
    .argument('<case>', 'case id or public number (TL-…)')
    // withdraw and withdraw_part here are the record of an oral withdrawal (form 03); the reason is the record.
    .argument('<action>', actions.join(' | '))
    .option('--reason <text>', 'why, for the case file (sealed)')
    .option('--reason-file <file>', 'the reason, from a file')
    .option('--notice <text>', "the notice to the denouncer (sealed); a default for the action if it owes one")
    .option('--notice-file <file>', 'the notice, from a file')
    .addOption(new Option('--finding <finding>', 'the finding (conclude)').choices(findings))
    .addOption(new Option('--ground <ground>', 'the limb of the provision the step names: why the settlement goes on after a full withdrawal (continue_settlement), the measure taken (handle_conclusion), who monitors (monitor), why information is not a denunciation (classify_information, Art. 25(1)), the sanction of a false denunciation (record_false_denunciation, Art. 65)').choices(stepGrounds))
    .addOption(new Option('--complexity <level>', 'why the extension (extend)').choices(complexities))
    .option('--days <n>', 'extension length in days (extend)')
    .option('--legal-basis <text>', 'a more precise legal citation')
    .option('--on <day>', 'the decision day, YYYY-MM-DD (default today)')
    .option('--accept-unverified-history', 'sign on top of unsigned events recorded before signatures were kept with them (check them with `case history` first)');
  withFigureOptions(cmd)
    .action(run(async (ref: string, action: string, o: TransitionOptions) => {
      if (!(actions as readonly string[]).includes(action)) throw new CliError(`unknown action ${action}; one of ${actions.join(', ')}`);
      if (o.on !== undefined && !isDay(o.on)) throw new CliError('--on takes a day as YYYY-MM-DD');
      const input = {
        action: action as Action,
        reason: (await textOption('reason', o.reason, o.reasonFile)) ?? '',
        notice: await textOption('notice', o.notice, o.noticeFile),
        onDay: o.on, legalBasis: o.legalBasis, finding: o.finding, ground: o.ground, extension: extensionOf(o), acceptLegacy: o.acceptUnverifiedHistory,
        figures: figuresOf(o),
      };
      const client = await staffClient(o);
      const { keys } = await unlockKeys(o);
      const r = await transitionCase(client, await resolveCaseId(client, ref), input, keys);
      emit(o, r, () => [
        `${action}: now ${r.to}${r.due ? `, due ${r.due}` : ''}${r.late ? ' (late)' : ''} — ${r.legalBasis}`,
        ...(r.noticeMessageId ? [`notice ${r.noticeMessageId} sent to the denouncer`] : []),
      ].join('\n'));
    }));
}
