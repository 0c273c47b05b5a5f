import { Option, type Command } from 'commander';
import type { CheckedSteps } from '../../client/protection-steps-check.js';
import { protectionRequest } from '../../client/staff-protection.js';
import { takeProtectionStep, type ProtectionStepInput } from '../../client/staff-protection-steps.js';
import type { SignedName } from '../../client/staff-names.js';
import { isDay, type ProtectionStep, type ProtectionStepGround } from '../../domain/index.js';
import { CliError, emit, table } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from '../staff/context.js';
import { run } from '../staff/run.js';
import { describeDecision, staffLabel } from './history.js';
import { textOption } from './text-input.js';

// `tipline protection change | add | end` (the head of agency, Law Art. 54) and
// `tipline protection confirm` (an intake officer or the head: the written confirmation of
// an urgent request made by phone or in person, Art. 50(3)); `tipline protection history`
// shows the measures' history, every step checked against its maker's key in the agency's
// signed bundles. Each step is sealed and signed here; the protected person is notified.

interface StepOptions extends StaffOptions {
  ground?: ProtectionStepGround; record?: string; recordFile?: string; measures?: string; responsibleBody?: string;
  notice?: string; noticeFile?: string; on?: string;
}

const GROUNDS: Readonly<Record<'change' | 'add' | 'end', readonly ProtectionStepGround[]>> = {
  change: ['on_initiative', 'on_request'], add: ['on_initiative', 'on_request'], end: ['conclusion', 'termination', 'grounds_gone', 'on_request', 'breach'],
};

const HELP: Readonly<Record<ProtectionStep, string>> = {
  change: 'thay đổi biện pháp bảo vệ / change the measures of an applied protection (supervisors; Art. 54(1))',
  add: 'bổ sung biện pháp bảo vệ / add measures to an applied protection (supervisors; Art. 54(1))',
  end: 'chấm dứt việc áp dụng biện pháp bảo vệ / end an applied protection (supervisors; Art. 54(2); Law 136: deliberate breach)',
  confirm_writing: 'ghi nhận văn bản xác nhận đề nghị bảo vệ khẩn cấp / record the written confirmation of an urgent request made by phone or in person (intake, supervisors; Art. 50(3))',
};

const GROUND_HELP = 'on_initiative (xét thấy cần thiết / the body finds it needed), on_request (đề nghị bằng văn bản / written request of the protected person); '
  + 'to end also: conclusion (đã có kết luận), termination (đình chỉ giải quyết), grounds_gone (căn cứ không còn), breach (cố ý vi phạm nghĩa vụ, Luật 136/2025)';

function registerStep(protection: Command, name: string, step: ProtectionStep): void {
  const cmd = withStaffOptions(protection.command(name).description(HELP[step])).argument('<protectionRequestId>');
  if (step !== 'confirm_writing') {
    cmd.addOption(new Option('--ground <ground>', GROUND_HELP).choices([...GROUNDS[step]]).makeOptionMandatory());
  }
  cmd.option('--record <text>', step === 'confirm_writing' ? 'what the letter says and when it came (sealed)' : 'what is decided and why (sealed)')
    .option('--record-file <file>', 'the record, from a file')
    .option('--on <day>', 'the day, YYYY-MM-DD (default today)');
  if (step === 'change' || step === 'add') {
    cmd.option('--measures <text>', 'the measures as they now stand').option('--responsible-body <text>', 'the body that carries them out');
  }
  cmd.option('--notice <text>', 'the notice to the protected person (sealed); by default the step, its ground and measures')
    .option('--notice-file <file>', 'the notice, from a file')
    .action(run(async (requestId: string, o: StepOptions) => {
      if (o.on !== undefined && !isDay(o.on)) throw new CliError('--on nhận ngày YYYY-MM-DD / --on takes a day as YYYY-MM-DD');
      const record = (await textOption('record', o.record, o.recordFile))?.trim();
      if (!record) throw new CliError('ghi nội dung: --record hoặc --record-file / give the record: --record or --record-file');
      if ((step === 'change' || step === 'add') && !o.measures?.trim()) throw new CliError('nêu biện pháp: --measures / name the measures: --measures');
      const input: ProtectionStepInput = {
        step, ground: o.ground, record, measures: o.measures?.trim(), responsibleBody: o.responsibleBody?.trim(),
        notice: await textOption('notice', o.notice, o.noticeFile), onDay: o.on,
      };
      const client = await staffClient(o);
      const { keys } = await unlockKeys(o);
      const r = await takeProtectionStep(client, requestId, input, keys);
      const taken = r.history.steps.at(-1)!;
      emit(o, r, () => `${step} ${taken.ground} ${taken.onDay} — đã ký, bước ${taken.seq} / signed, step ${taken.seq}${step === 'confirm_writing' ? '' : '; đã thông báo cho người được bảo vệ / the protected person has been notified'}`);
    }));
}

/** The measures' history as a table: each step, its ground, day, maker, and whether it verified. */
export function stepsTable(h: CheckedSteps, names: ReadonlyMap<string, SignedName>): string {
  const intake = h.intake.authenticity === 'signed' ? `ghi nhận bởi / recorded by ${staffLabel(names, h.intake.recordedBy!)}` : `intake record: ${h.intake.authenticity}${h.intake.problem ? ` — ${h.intake.problem}` : ''}`;
  const rows = h.steps.map((s) => [String(s.seq), s.step, s.ground, s.onDay, s.authenticity === 'signed' ? staffLabel(names, s.by) : '', s.authenticity === 'signed' ? 'signed' : `REFUSED: ${s.problem}`]);
  const state = h.endedOn ? `đã chấm dứt / ended ${h.endedOn}` : h.standing.status === 'granted' ? 'đang áp dụng / in force' : h.standing.status;
  return [intake, `${state}${h.confirmedOn ? `; xác nhận bằng văn bản / confirmed in writing ${h.confirmedOn}` : ''}`,
    rows.length ? table(['bước/step', 'step', 'căn cứ/ground', 'ngày/day', 'by', 'checked'], rows) : 'chưa có bước nào / no steps yet'].join('\n');
}

export function registerProtectionSteps(protection: Command): void {
  registerStep(protection, 'change', 'change');
  registerStep(protection, 'add', 'add');
  registerStep(protection, 'end', 'end');
  registerStep(protection, 'confirm', 'confirm_writing');
  withStaffOptions(protection.command('history').description("lịch sử biện pháp bảo vệ / a protection's decision and measures' history, every step checked against its maker's key (supervisors, intake)"))
    .argument('<protectionRequestId>')
    .action(run(async (requestId: string, o: StaffOptions) => {
      const client = await staffClient(o);
      const [r, names] = await Promise.all([protectionRequest(client, requestId), client.staffNames()]);
      emit(o, r, () => [`${r.protectionRequestId} (${r.channel}) ${describeDecision(r.status, r.decidedOn, r.checked, names)}`, stepsTable(r.history, names)].join('\n'));
    }));
}
