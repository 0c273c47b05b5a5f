import type { Command } from 'commander';
import { contentNotice } from '../../client/content-notice.js';
import { checkedWorkflow, resolveCaseId, transitionCase } from '../../client/staff-workflow.js';
import { isDay } from '../../domain/index.js';
import { CliError, emit } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';
import { textOption } from './text-input.js';

// `tipline case notify-denounced`: the head's notice of the content of a denunciation to
// the person denounced (Law Art. 29(3); Decree 31 Art. 9(2), form 06), due within 5
// working days of acceptance. The notice is written from the template here, from the
// acceptance day of the history as checked here, and sealed as the step's reason for the
// case file; nothing of the denouncer is asked for, so nothing of it can go in.

interface NotifyOptions extends StaffOptions {
  denounced?: string; content?: string; contentFile?: string; agency?: string; on?: string; print?: boolean; acceptUnverifiedHistory?: boolean;
}

export function registerNotifyDenounced(program: Command): void {
  const kase = program.commands.find((c) => c.name() === 'case') ?? program.command('case').description('work on cases');
  withStaffOptions(kase.command('notify-denounced')
    .description('record the notice of the content of the denunciation to the person denounced (Law Art. 29(3), form 06): sealed in the case file and signed; it carries nothing of the denouncer'))
    .argument('<case>', 'case id or public number (TL-…)')
    .option('--denounced <who>', 'the person denounced: name, position, workplace, as the acceptance decision names them')
    .option('--content <text>', 'the content accepted for settlement, as the decision states it')
    .option('--content-file <file>', 'the content, from a file')
    .option('--agency <name>', 'the agency, as the notice is headed')
    .option('--on <day>', 'the day of the notice, YYYY-MM-DD (default today)')
    .option('--print', 'print the notice and record nothing')
    .option('--accept-unverified-history', 'sign on top of unsigned events recorded before signatures were kept with them')
    .action(run(async (ref: string, o: NotifyOptions) => {
      if (o.on !== undefined && !isDay(o.on)) throw new CliError('--on takes a day as YYYY-MM-DD');
      const client = await staffClient(o);
      const caseId = await resolveCaseId(client, ref);
      const { history } = await checkedWorkflow(client, caseId);
      const accepted = history.events.find((e) => e.action === 'accept' && e.authenticity !== 'refused');
      if (!accepted) throw new CliError(`case ${ref} has no acceptance decision: the content is notified after it (Law Art. 29(3))`);
      const { publicNumber } = await client.caseDetail(caseId);
      const notice = contentNotice({ publicNumber, acceptedOn: accepted.onDay, agency: o.agency, denounced: o.denounced, content: await textOption('content', o.content, o.contentFile) });
      if (o.print) return emit(o, { caseId, notice }, () => notice);
      const { keys } = await unlockKeys(o);
      const r = await transitionCase(client, caseId, { action: 'notify_denounced', reason: notice, onDay: o.on, acceptLegacy: o.acceptUnverifiedHistory }, keys);
      emit(o, r, () => `notify_denounced: recorded on ${r.onDay}${r.late ? ' (late)' : ''}, the notice sealed in the case file — ${r.legalBasis}`);
    }));
}
