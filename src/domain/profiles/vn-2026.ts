import type { DutyRule, JurisdictionProfile, Period, PublicationRule, TransitionRule } from '../profile.js';
import { informationTrack } from './vn-2026-information.js';
import { vn2018 } from './vn-2018.js';
import { vn2026ProtectionSteps } from './vn-protection.js';

// The Law on Denunciation as amended by Law 136/2025/QH15 (and Laws 59/2020, 81/2025,
// 84/2025), with Decree 31/2019 as amended by Decree 156/2026/NĐ-CP: in force from
// 01/07/2026. Decree 156 Art. 10(1): a case accepted before that day and still being
// settled follows these rules from then on, so open cases follow (openCases). What
// changes from vn-2018.ts, and the text each change rests on, is in docs/LAW-VN.md:
// - expert assessment (Decree 31 Art. 15 as amended by Decree 156 Art. 2): the head, or
//   the verification team the head authorises, requests it; the request is copied to
//   the denouncer; the time it takes does not count (Art. 15(4)) — the clock pauses;
// - termination (Law Art. 34(3)) ends a settlement, so it follows acceptance: before
//   acceptance a denunciation is not accepted (Art. 24(1)) instead;
// - withdrawal (Law Art. 33; Decree 31 new Art. 4 as replaced by Decree 156 Art. 1): all
//   or part, before the conclusion, in writing — the denouncer's own letter (form 02) or
//   a record of an oral withdrawal made by staff (form 03). A partial one leaves the case
//   as it is; a full one does not end it but brings the head's decision: terminate
//   (Art. 34(3)(a)) or continue on a ground of new Art. 4(4);
// - who decides, as the law names it: the person competent to settle (the head of
//   agency) decides acceptance or not (Art. 29(1)), extension (Art. 30), suspension and
//   termination (Art. 34) and the conclusion (Art. 35); the intake officer prepares the
//   acceptance and the verification team the rest, and propose them (proposedBy);
// - what follows a conclusion: it is sent to the person denounced and their managing body
//   within 5 working days (Law Art. 35(3)), handled within 7 (Art. 36(1)) and published
//   within 7 (Art. 40(1)) in the forms of Decree 31 Art. 6(2) — duties, each with its own
//   deadline, met by a signed step or by the publication; then its carrying out is
//   monitored (MONITORING) by the head or the unit the head assigns, and the head's record
//   of the result closes the case (Decree 31 Art. 18(2) as amended by Decree 156 Art. 3).
//   The 2018 set had no monitoring step, so nothing of the 2019 text's monthly reports is
//   encoded there;
// - acceptance (Law Art. 29(3); Decree 31 Art. 9(2), form 06): the denouncer is told with
//   the decision, and the content is notified to the person denounced within 5 working
//   days — a duty, met by the head's signed `notify_denounced`, whose sealed record is the
//   notice (never anything of the denouncer), or by a termination, itself sent to the
//   person denounced (Art. 34(4));
// - anonymous information, false names, non-conforming forms (Law Art. 25): their own
//   track, vn-2026-information.ts;
// - after a conclusion, a reward to an honest denouncer (Art. 62) and what befell one who
//   deliberately denounced falsely (Art. 8(10), 65) are recorded, signed, as outcomes.

const LAW = 'Luật Tố cáo 2018 (sửa đổi 2025)';
const ND = 'Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026)';
const wd = (amount: number): Period => ({ amount, unit: 'working_days' });

const assessment: TransitionRule[] = [
  {
    action: 'request_assessment', from: ['VERIFYING'], to: 'ASSESSMENT', roles: ['supervisor', 'investigator'], notice: true,
    legalBasis: `${ND} Art. 15(1)–(2), (4)`, clock: { kind: 'pause' },
  },
  {
    action: 'receive_assessment', from: ['ASSESSMENT'], to: 'VERIFYING', roles: ['supervisor', 'investigator'], notice: false,
    legalBasis: `${ND} Art. 15(4)`, clock: { kind: 'resume' },
  },
];

// Withdrawn before the conclusion only (Art. 33(1)). Form 03's record is made by the one who
// settles, checks the conditions, verifies the content or receives the withdrawal (new
// Art. 4(2)): every staff role, signed on the staff side; form 02 is the denouncer's own.
const withdrawable = ['RECEIVED', 'TRIAGE', 'ACCEPTED', 'VERIFYING', 'SUSPENDED', 'ASSESSMENT', 'PETITION'] as const;
const withdrawnBy = ['denouncer', 'intake', 'investigator', 'supervisor'] as const;

const withdrawal: TransitionRule[] = [
  {
    action: 'withdraw_part', from: withdrawable, to: 'same', roles: withdrawnBy, notice: false,
    legalBasis: `${LAW} Art. 33(1)–(2); ${ND} Art. 4(1)–(3)`,
  },
  {
    // The settlement period runs on: the law stops nothing for a withdrawal (Art. 30, 34).
    action: 'withdraw', from: withdrawable, to: 'WITHDRAWAL_REVIEW', opensReview: true, roles: withdrawnBy, notice: false,
    legalBasis: `${LAW} Art. 33(1)–(2); ${ND} Art. 4(1)–(3)`,
  },
  {
    // "Vẫn phải tiếp tục giải quyết": the head must go on if one of the grounds is on the file.
    action: 'continue_settlement', from: ['WITHDRAWAL_REVIEW'], to: 'before_review', roles: ['supervisor'], notice: true,
    legalBasis: `${LAW} Art. 33(3); ${ND} Art. 4(4)–(5)`,
    grounds: [
      { ground: 'signs_of_violation', legalBasis: `${ND} Art. 4(4)(a)` },
      { ground: 'coercion', legalBasis: `${ND} Art. 4(4)(b)` },
      { ground: 'slander', legalBasis: `${ND} Art. 4(4)(c)` },
    ],
  },
];

// After the conclusion (Law Art. 35(3), 36; Decree 31 Art. 18(2)): the head's, who settles.
// Sending and handling may go on while the carrying out is monitored; monitoring ends
// only once both are recorded, and its end closes the case.
const concluded = ['CONCLUDED', 'MONITORING'] as const;
const NO_VIOLATION = ['false', 'partly_true'] as const;
const VIOLATION = ['true', 'partly_true'] as const;

const afterConclusion: TransitionRule[] = [
  {
    // To the person denounced, their managing body and others concerned; the denouncer was told at the conclusion.
    action: 'send_conclusion', from: concluded, to: 'same', roles: ['supervisor'], notice: false, once: true, legalBasis: `${LAW} Art. 35(3)`,
  },
  {
    action: 'handle_conclusion', from: concluded, to: 'same', roles: ['supervisor'], notice: false, legalBasis: `${LAW} Art. 36(1)`,
    grounds: [
      { ground: 'rights_restored', legalBasis: `${LAW} Art. 36(1)(a)`, findings: NO_VIOLATION },
      { ground: 'false_denouncer_handled', legalBasis: `${LAW} Art. 36(1)(a); Art. 8(10)`, findings: NO_VIOLATION },
      { ground: 'violation_handled', legalBasis: `${LAW} Art. 36(1)(b)`, findings: VIOLATION },
      { ground: 'referred_for_prosecution', legalBasis: `${LAW} Art. 36(1)(c)`, findings: VIOLATION },
      { ground: 'damage_remedied', legalBasis: `${LAW} Art. 36(1)(d)`, findings: VIOLATION },
    ],
  },
  {
    action: 'monitor', from: ['CONCLUDED'], to: 'MONITORING', roles: ['supervisor'], notice: false, legalBasis: `${ND} Art. 18(2)`,
    grounds: [
      { ground: 'head', legalBasis: 'người giải quyết tố cáo theo dõi, đôn đốc' },
      { ground: 'inspectorate', legalBasis: 'giao cơ quan thanh tra cùng cấp' },
      { ground: 'advisory_unit', legalBasis: 'giao đơn vị tham mưu' },
    ],
  },
  {
    action: 'end_monitoring', from: ['MONITORING'], to: 'CLOSED', roles: ['supervisor'], notice: false, legalBasis: `${ND} Art. 18(2)`,
    requires: ['send_conclusion', 'handle_conclusion'],
  },
];

// Art. 29(3): the head notifies the content to the person denounced, as long as the case lasts.
const notifyDenounced: TransitionRule = {
  action: 'notify_denounced', from: ['ACCEPTED', 'VERIFYING', 'SUSPENDED', 'ASSESSMENT', 'WITHDRAWAL_REVIEW', 'CONCLUDED', 'MONITORING'], to: 'same',
  roles: ['supervisor'], notice: false, once: true, legalBasis: `${LAW} Art. 29(3); ${ND} Art. 9(2) (Mẫu số 06)`,
};

// Outcomes recorded after a conclusion, even once the case is closed: the reward follows a
// denunciation found true (in whole or part); the sanction of a deliberate false
// denunciation follows one found false (in whole or part), one step per sanction.
const outcomes: TransitionRule[] = [
  {
    action: 'reward', from: ['CONCLUDED', 'MONITORING', 'CLOSED'], to: 'same', roles: ['supervisor'], notice: false, once: true,
    findings: VIOLATION, legalBasis: `${LAW} Art. 62`,
  },
  {
    action: 'record_false_denunciation', from: ['CONCLUDED', 'MONITORING', 'CLOSED'], to: 'same', roles: ['supervisor'], notice: false,
    findings: NO_VIOLATION, legalBasis: `${LAW} Art. 8(10), Art. 9(2)(đ), Art. 65`,
    grounds: [
      { ground: 'discipline', legalBasis: `${LAW} Art. 65: xử lý kỷ luật` },
      { ground: 'administrative_fine', legalBasis: `${LAW} Art. 65: xử phạt vi phạm hành chính` },
      { ground: 'criminal_liability', legalBasis: `${LAW} Art. 65: truy cứu trách nhiệm hình sự` },
    ],
  },
];

const duties: DutyRule[] = [
  { duty: 'notify_denounced', openedBy: 'accept', within: wd(5), metBy: 'notify_denounced', alsoMetBy: ['terminate'], legalBasis: `${LAW} Art. 29(3)` },
  { duty: 'send_conclusion', openedBy: 'conclude', within: wd(5), metBy: 'send_conclusion', legalBasis: `${LAW} Art. 35(3)` },
  { duty: 'handle_conclusion', openedBy: 'conclude', within: wd(7), metBy: 'handle_conclusion', legalBasis: `${LAW} Art. 36(1)` },
  { duty: 'publish_conclusion', openedBy: 'conclude', within: wd(7), metBy: 'publication', legalBasis: `${LAW} Art. 40(1)` },
];

const SHOWN = `${ND} Art. 6(2)`;
const publication: PublicationRule = {
  from: ['CONCLUDED', 'MONITORING', 'CLOSED'], roles: ['supervisor'], legalBasis: `${LAW} Art. 40; ${ND} Art. 6`,
  forms: [
    { form: 'portal', minimumDays: 15, legalBasis: SHOWN },
    { form: 'posting', minimumDays: 15, legalBasis: SHOWN },
    { form: 'e_press', minimumDays: 15, legalBasis: SHOWN },
    { form: 'print', minimumRuns: 2, legalBasis: SHOWN },
    { form: 'radio', minimumRuns: 2, legalBasis: SHOWN },
    { form: 'tv', minimumRuns: 2, legalBasis: SHOWN },
    { form: 'meeting', legalBasis: SHOWN },
  ],
};

/** Who prepares and proposes each decision the head takes. */
const PREPARED_BY: Partial<Record<TransitionRule['action'], TransitionRule['roles']>> = {
  accept: ['intake'], not_accept: ['intake'], extend: ['investigator'], suspend: ['investigator'], terminate: ['investigator'], conclude: ['investigator'],
};

function amended(rule: TransitionRule): TransitionRule[] {
  const prepared = PREPARED_BY[rule.action];
  if (prepared) rule = { ...rule, roles: ['supervisor'], proposedBy: prepared };
  const basis = rule.legalBasis.replace('Luật Tố cáo 2018', LAW).replace('Nghị định 31/2019', ND);
  if (rule.action === 'terminate') {
    return [{ ...rule, from: ['ACCEPTED', 'VERIFYING', 'SUSPENDED', 'ASSESSMENT', 'WITHDRAWAL_REVIEW'], legalBasis: `${LAW} Art. 34(3)–(4)` }];
  }
  if (rule.action === 'conclude') return [{ ...rule, legalBasis: basis }, ...assessment];
  if (rule.action === 'accept') return [{ ...rule, legalBasis: basis }, notifyDenounced];
  if (rule.action === 'withdraw') return withdrawal;
  // A concluded case closes when its monitoring ends (end_monitoring), not before.
  if (rule.action === 'close') return afterConclusion;
  return [{ ...rule, legalBasis: basis }];
}

export const vn2026: JurisdictionProfile = {
  ...vn2018,
  id: 'VN-2026',
  title: 'Việt Nam — Luật Tố cáo 2018 sửa đổi bởi Luật 136/2025/QH15; Nghị định 31/2019 sửa đổi bởi Nghị định 156/2026/NĐ-CP',
  effectiveFrom: '2026-07-01',
  openCases: { follow: true, legalBasis: 'Nghị định 156/2026/NĐ-CP Art. 10(1)' },
  sources: [
    { act: 'Luật Tố cáo số 25/2018/QH14, sửa đổi bởi Luật 59/2020/QH14, 81/2025/QH15, 84/2025/QH15 và 136/2025/QH15', provisions: 'Art. 8, 24, 25, 29, 30, 31, 33, 34, 35, 36, 40, 47–58, 62, 65', inForceFrom: '2026-07-01' },
    { act: 'Nghị định 31/2019/NĐ-CP, sửa đổi bởi Nghị định 156/2026/NĐ-CP', provisions: 'Art. 3, 4 (withdrawal), 6, 9 (acceptance, form 06), 15 (expert assessment), 18(2) (monitoring), 20 (anonymous information); Nghị định 156 Art. 10 (open cases)', inForceFrom: '2026-07-01' },
    { act: 'Bộ luật Dân sự 2015', provisions: 'Art. 148.5 (a period ending on a rest day)', inForceFrom: '2017-01-01' },
  ],
  transitions: [...vn2018.transitions.flatMap(amended), ...informationTrack, ...outcomes],
  extensions: { ...vn2018.extensions, legalBasis: `${LAW} Art. 30; ${ND} Art. 3` },
  protection: {
    ...vn2018.protection, ...vn2026ProtectionSteps,
    legalBasis: `${LAW} Art. 50–52, 54 (the law says "kịp thời", urgent "ngay lập tức": the periods are agency defaults)`,
  },
  publication,
  duties,
};
