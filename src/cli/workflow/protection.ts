import { Option, type Command } from 'commander';
import type { CheckedSteps } from '../../client/protection-steps-check.js';
import { recordUrgentProtection } from '../../client/staff-intake.js';
import { approvalsOf, isDay, protectionIntakeChannels, type ProtectionIntakeChannel } from '../../domain/index.js';
import {
  decideProtection, protectionDetailsRequest, protectionDetailsRequests, protectionRequests, readProtectionDetails, requestProtectionDetails,
} from '../../client/staff-protection.js';
import { CliError, emit, table } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';
import { describeDecision } from './history.js';
import { registerProtectionSteps } from './protection-steps.js';
import { textOption } from './text-input.js';

// `tipline protection record` (intake officers): an urgent request made by phone or in
// person (Art. 50(3)), for a case, its details sealed here to the custodians.
// `tipline protection list | details | decide` (supervisors, Law ch. VI). The details
// are released by m custodians (`tipline identity approve`) and opened here. A grant
// names its measures and the body carrying them out (Art. 51); a refusal gives its
// reasons (Art. 52). Both are sealed here and reach the denouncer as a signed notice.
// What follows the decision (change, add, end, confirm, history): protection-steps.ts.

interface DecideOptions extends StaffOptions {
  reason?: string; reasonFile?: string; notice?: string; noticeFile?: string; measures?: string; responsibleBody?: string; on?: string;
}

interface RecordOptions extends StaffOptions {
  channel: ProtectionIntakeChannel; protected: string; reasons?: string; reasonsFile?: string; measures: string; contact?: string;
}

function registerRecord(protection: Command): void {
  withStaffOptions(protection.command('record')
    .description('record an urgent protection request made by phone or in person, for a case (intake; Law Art. 50(3)); the details are sealed here to the custodians'))
    .argument('<case>', 'the case id or its public number (TL-…)')
    .addOption(new Option('--channel <channel>', 'how the request came').choices([...protectionIntakeChannels]).makeOptionMandatory())
    .requiredOption('--protected <text>', 'who is to be protected: the denouncer, and any spouse, parent or child named (Art. 47)')
    .option('--reasons <text>', 'why protection is needed, as the caller said it')
    .option('--reasons-file <file>', 'the reasons, from a file')
    .requiredOption('--measures <text>', 'the measures asked for')
    .option('--contact <text>', 'how to reach the caller back, if they gave one')
    .action(run(async (kase: string, o: RecordOptions) => {
      const reasons = (await textOption('reasons', o.reasons, o.reasonsFile))?.trim();
      if (!reasons) throw new CliError('give the reasons: --reasons or --reasons-file (Art. 50(1))');
      if (!o.protected.trim() || !o.measures.trim()) throw new CliError('--protected and --measures must not be empty');
      const client = await staffClient(o);
      const { keys } = await unlockKeys(o);
      const r = await recordUrgentProtection(client, {
        case: kase, channel: o.channel,
        details: { protectedPersons: o.protected.trim(), reasons, measures: o.measures.trim(), ...(o.contact?.trim() ? { contact: o.contact.trim() } : {}) },
      }, keys);
      emit(o, r, () => [
        `đã ghi nhận đề nghị bảo vệ khẩn cấp ${r.protectionRequestId} (${r.channel}) ngày ${r.requestedOn}; người đứng đầu quyết định trước ${r.dueOn}.`,
        `recorded urgent protection request ${r.protectionRequestId} (${r.channel}) on ${r.requestedOn}; the head of agency decides by ${r.dueOn}.`,
        r.confirmDueOn
          ? `Đề nghị người gọi xác nhận bằng văn bản trước ${r.confirmDueOn} (Điều 50(3)); ghi nhận bằng: tipline protection confirm ${r.protectionRequestId} / Ask the caller to confirm it in writing by ${r.confirmDueOn}; record it with that command.`
          : 'Đề nghị người gọi xác nhận bằng văn bản (Điều 50(3)). / Ask the caller to confirm it in writing (Art. 50(3)).',
      ].join('\n'));
    }));
}

/** Where the checked steps leave it, in a few words (vi / en): `tipline protection history` shows them all. */
function stepsSummary(h: CheckedSteps): string {
  if (!h.intact) return 'REFUSED step: see history';
  const parts = [h.endedOn ? `chấm dứt/ended ${h.endedOn}` : h.steps.length ? `${h.steps.length} step(s)` : ''];
  if (h.intake.authenticity !== 'online' && h.intake.authenticity !== 'signed') parts.push(`intake record ${h.intake.authenticity}`);
  if (h.intake.authenticity !== 'online') parts.push(h.confirmedOn ? `xác nhận/confirmed ${h.confirmedOn}` : 'chờ văn bản/awaiting writing');
  return parts.filter(Boolean).join('; ');
}

export function registerProtection(program: Command): void {
  const protection = program.command('protection').description('protection requests (Law ch. VI)');
  registerRecord(protection);
  registerProtectionSteps(protection);

  withStaffOptions(protection.command('list').description("your agency's protection requests (supervisors)"))
    .addOption(new Option('--status <status>', 'only this status').choices(['pending', 'granted', 'refused']))
    .action(run(async (o: StaffOptions & { status?: 'pending' | 'granted' | 'refused' }) => {
      const client = await staffClient(o);
      const [requests, names] = await Promise.all([protectionRequests(client, o.status), client.staffNames()]);
      emit(o, { requests }, () => table(['request id', 'case id', 'urgent', 'by', 'requested', 'due', 'status', 'measures'],
        requests.map((r) => [r.protectionRequestId, r.caseId, r.urgent ? 'urgent' : '', r.channel ?? 'online', r.requestedOn, r.dueOn, describeDecision(r.status, r.decidedOn, r.checked, names), stepsSummary(r.history)])));
    }));

  withStaffOptions(protection.command('details').description("ask the custodians to release a request's details (--reason), or read them once m have (supervisors)"))
    .argument('<protectionRequestId>', 'the protection request')
    .option('--reason <text>', 'why you need the details (sealed to the custodians); sends the ask')
    .option('--reason-file <file>', 'the reason, from a file')
    .action(run(async (requestId: string, o: StaffOptions & { reason?: string; reasonFile?: string }) => {
      const reason = await textOption('reason', o.reason, o.reasonFile);
      const client = await staffClient(o);
      if (reason !== undefined) {
        if (!reason.trim()) throw new CliError('give a reason: the custodians decide on it');
        const { keys } = await unlockKeys(o);
        const askId = await requestProtectionDetails(client, requestId, reason, keys);
        emit(o, { protectionRequestId: requestId, identityRequestId: askId, state: 'pending' }, () => `asked the custodians to release the details (ask ${askId}); run this again without --reason once they have`);
        return;
      }
      const [ask] = await protectionDetailsRequests(client, requestId);
      if (!ask) throw new CliError(`you have not asked for these details: tipline protection details ${requestId} --reason "…"`);
      if (ask.state !== 'approved') {
        const released = approvalsOf(ask.decisions);
        throw new CliError(`ask ${ask.identityRequestId} is ${ask.state}: ${released} of ${ask.threshold} custodians have released the details`);
      }
      const { keys } = await unlockKeys(o);
      const details = await readProtectionDetails(client, await protectionDetailsRequest(client, ask.identityRequestId), keys);
      emit(o, { protectionRequestId: requestId, identityRequestId: ask.identityRequestId, details }, () =>
        Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n'));
    }));

  withStaffOptions(protection.command('decide').description('grant or refuse a protection request (supervisors); sealed here'))
    .argument('<protectionRequestId>')
    .argument('<decision>', 'granted | refused')
    .option('--reason <text>', 'the grounds (sealed); a refusal must give them')
    .option('--reason-file <file>', 'the grounds, from a file')
    .option('--measures <text>', 'the protection measures (granted)')
    .option('--responsible-body <text>', 'the body that carries them out (granted)')
    .option('--notice <text>', 'the notice to the denouncer (sealed); by default the decision with its measures or reasons')
    .option('--notice-file <file>', 'the notice, from a file')
    .option('--on <day>', 'the decision day, YYYY-MM-DD (default today)')
    .action(run(async (requestId: string, decision: string, o: DecideOptions) => {
      if (decision !== 'granted' && decision !== 'refused') throw new CliError('the decision is granted or refused');
      if (o.on !== undefined && !isDay(o.on)) throw new CliError('--on takes a day as YYYY-MM-DD');
      const reason = (await textOption('reason', o.reason, o.reasonFile)) ?? '';
      if (decision === 'granted' && (!o.measures || !o.responsibleBody)) throw new CliError('a grant names its --measures and --responsible-body (Art. 51)');
      if (decision === 'refused' && !reason) throw new CliError('a refusal gives its reasons: --reason or --reason-file (Art. 52)');
      const client = await staffClient(o);
      const { keys } = await unlockKeys(o);
      const r = await decideProtection(client, requestId, {
        decision, reason, measures: o.measures, responsibleBody: o.responsibleBody,
        notice: await textOption('notice', o.notice, o.noticeFile), onDay: o.on,
      }, keys);
      emit(o, r, () => `${r.status} on ${r.decidedOn}; the denouncer has been notified`);
    }));
}
