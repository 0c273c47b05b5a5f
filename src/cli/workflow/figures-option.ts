import type { Command } from 'commander';
import { conclusionFigureNames, figuresProblem, type ConclusionFigureName, type ConclusionFigures } from '../../domain/index.js';
import { CliError } from '../common/output.js';

// A conclusion's figures (src/domain/conclusion-figures.ts), one option each, worded as the
// report form's lines (form 03/KQGQ): signed with the conclusion, summed in the report.
// Money in whole đồng, land in whole m², persons. Give none, or all that apply: an option
// not given counts 0 once any is given, as the conclusion states no such amount.

const FLAGS: Record<ConclusionFigureName, { flag: string; vi: string; en: string }> = {
  recoveryMoney: { flag: '--recovery-money <dong>', vi: 'kiến nghị thu hồi cho Nhà nước: tiền (đồng)', en: 'recommended for recovery to the State: money (VND)' },
  recoveryLand: { flag: '--recovery-land <m2>', vi: 'kiến nghị thu hồi cho Nhà nước: đất (m²)', en: 'recommended for recovery to the State: land (m²)' },
  returnedMoney: { flag: '--returned-money <dong>', vi: 'trả lại cho tổ chức, cá nhân: tiền (đồng)', en: 'returned to organisations and individuals: money (VND)' },
  returnedLand: { flag: '--returned-land <m2>', vi: 'trả lại cho tổ chức, cá nhân: đất (m²)', en: 'returned to organisations and individuals: land (m²)' },
  sanctionPersons: { flag: '--sanction-persons <n>', vi: 'kiến nghị xử lý hành chính: số người', en: 'persons recommended for administrative sanction' },
  sanctionOfficials: { flag: '--sanction-officials <n>', vi: 'trong đó số cán bộ, công chức, viên chức', en: 'of which officials and public employees' },
  referredPersons: { flag: '--referred-persons <n>', vi: 'chuyển cơ quan điều tra: số đối tượng', en: 'persons recommended for transfer to investigation bodies' },
};

export function withFigureOptions(cmd: Command): Command {
  for (const name of conclusionFigureNames) {
    const { flag, vi, en } = FLAGS[name];
    cmd.option(flag, `(conclude) ${vi} / ${en}`);
  }
  return cmd;
}

/** The figures the options give (commander names each option as the figure: --recovery-money is recoveryMoney), or undefined when none is given; a whole number each (digits only, no separators). */
export function figuresOf(o: Partial<Record<ConclusionFigureName, string>>): ConclusionFigures | undefined {
  if (conclusionFigureNames.every((name) => o[name] === undefined)) return undefined;
  const figures = {} as ConclusionFigures;
  for (const name of conclusionFigureNames) {
    const raw = o[name] ?? '0';
    if (!/^\d{1,16}$/.test(raw)) throw new CliError(`${FLAGS[name].flag.split(' ')[0]} takes a whole number, digits only / chỉ nhận số nguyên, không dấu phân cách`);
    figures[name] = Number(raw);
  }
  const problem = figuresProblem(figures);
  if (problem) throw new CliError(problem);
  return figures;
}
