import type { JurisdictionProfile, Period } from '../profile.js';
import { vn2018ProtectionSteps } from './vn-protection.js';

// Law on Denunciation 2018 (No. 25/2018/QH14) with Decree 31/2019/NĐ-CP, as they stood
// until 30/06/2026. Article numbers are the law's; docs/LAW-VN.md gives, rule by rule,
// the text each rests on and how far it was checked. From 01/07/2026: vn-2026.ts.

const LAW = 'Luật Tố cáo 2018';
const wd = (amount: number): Period => ({ amount, unit: 'working_days' });
const cd = (amount: number): Period => ({ amount, unit: 'calendar_days' });

const settling = ['ACCEPTED', 'VERIFYING'] as const;
const open = ['RECEIVED', 'TRIAGE', 'ACCEPTED', 'VERIFYING', 'SUSPENDED', 'PETITION'] as const;
// A petition / feedback (kiến nghị, phản ánh) is answered within 10 working days, counted
// from receipt: the period belongs to the letter, which the agency has held since that
// day, and counting from the reclassification would let a slow triage lengthen it.
const PETITION = 'kiến nghị, phản ánh: answered within 10 working days of receipt';

export const vn2018: JurisdictionProfile = {
  id: 'VN-2018',
  title: 'Việt Nam — Luật Tố cáo 2018, Nghị định 31/2019/NĐ-CP',
  effectiveFrom: '2019-01-01',
  sources: [
    { act: 'Luật Tố cáo số 25/2018/QH14', provisions: 'Art. 24, 29, 30, 31, 33, 34, 35, 36, 40, 47–58', inForceFrom: '2019-01-01' },
    { act: 'Nghị định 31/2019/NĐ-CP', provisions: 'Art. 3 (complexity), 6 (publication), 9 (acceptance), 15 (expert assessment)', inForceFrom: '2019-05-28' },
    { act: 'Bộ luật Dân sự 2015', provisions: 'Art. 148.5 (a period ending on a rest day)', inForceFrom: '2017-01-01' },
  ],
  initialClock: { phase: 'triage', period: wd(7) },
  transitions: [
    { action: 'triage', from: ['RECEIVED'], to: 'TRIAGE', roles: ['intake', 'supervisor'], notice: false, legalBasis: `${LAW} Art. 24.1` },
    {
      action: 'extend_triage', from: ['RECEIVED', 'TRIAGE'], to: 'same', roles: ['intake', 'supervisor'], notice: false,
      legalBasis: `${LAW} Art. 24.1 (several locations or delegated checking)`, once: true,
      clock: { kind: 'start', phase: 'triage', period: wd(10), from: 'received' },
    },
    {
      action: 'transfer', from: ['RECEIVED', 'TRIAGE'], to: 'TRANSFERRED', roles: ['intake', 'supervisor'], notice: true,
      legalBasis: `${LAW} Art. 24.2`, within: wd(5), clock: { kind: 'stop' },
    },
    {
      // Art. 24.1 ¶2: the denouncer is told at once, with the reasons; the notice goes with the decision.
      action: 'not_accept', from: ['TRIAGE'], to: 'NOT_ACCEPTED', roles: ['intake', 'supervisor'], notice: true,
      legalBasis: `${LAW} Art. 24.1, Art. 29.1`, clock: { kind: 'stop' },
    },
    {
      action: 'accept', from: ['TRIAGE'], to: 'ACCEPTED', roles: ['intake', 'supervisor'], notice: true,
      legalBasis: `${LAW} Art. 29, Art. 30`,
      clock: { kind: 'start', phase: 'settlement', period: cd(30), from: 'event' },
    },
    {
      action: 'start_verification', from: ['ACCEPTED'], to: 'VERIFYING', roles: ['investigator', 'supervisor'],
      notice: false, legalBasis: `${LAW} Art. 31`,
    },
    {
      action: 'extend', from: settling, to: 'same', roles: ['supervisor'], proposedBy: ['investigator'], notice: true,
      legalBasis: `${LAW} Art. 30; Nghị định 31/2019 Art. 3`, clock: { kind: 'extend', phase: 'settlement' },
    },
    { action: 'suspend', from: settling, to: 'SUSPENDED', roles: ['supervisor'], notice: true, legalBasis: `${LAW} Art. 34.1`, clock: { kind: 'pause' } },
    { action: 'resume', from: ['SUSPENDED'], to: 'previous', roles: ['supervisor'], notice: true, legalBasis: `${LAW} Art. 34.3`, clock: { kind: 'resume' } },
    {
      action: 'terminate', from: ['TRIAGE', 'ACCEPTED', 'VERIFYING', 'SUSPENDED'], to: 'TERMINATED', roles: ['supervisor'],
      notice: true, legalBasis: `${LAW} Art. 34.2`, clock: { kind: 'stop' },
    },
    {
      action: 'conclude', from: ['VERIFYING'], to: 'CONCLUDED', roles: ['investigator', 'supervisor'], proposedBy: ['investigator'], notice: true,
      legalBasis: `${LAW} Art. 35`, requiresFinding: true, carriesFigures: true, clock: { kind: 'stop' },
    },
    { action: 'close', from: ['CONCLUDED'], to: 'CLOSED', roles: ['supervisor'], notice: false, legalBasis: `${LAW} Art. 36; Nghị định 31/2019 Art. 6` },
    {
      action: 'reclassify_petition', from: ['RECEIVED', 'TRIAGE'], to: 'PETITION', roles: ['intake', 'supervisor'], notice: false,
      legalBasis: `${LAW} Art. 24.1 (classification); ${PETITION}`, setsKind: 'petition',
      clock: { kind: 'start', phase: 'petition', period: wd(10), from: 'received' },
    },
    {
      action: 'answer', from: ['PETITION'], to: 'CLOSED', roles: ['intake', 'supervisor'], notice: true,
      legalBasis: PETITION, clock: { kind: 'stop' },
    },
    { action: 'withdraw', from: open, to: 'WITHDRAWN', roles: ['denouncer'], notice: false, legalBasis: `${LAW} Art. 33`, clock: { kind: 'stop' } },
  ],
  extensions: {
    phase: 'settlement',
    unit: 'calendar_days',
    limits: { complex: { count: 1, maxAmount: 30 }, especially_complex: { count: 2, maxAmount: 30 } },
    legalBasis: `${LAW} Art. 30; Nghị định 31/2019 Art. 3`,
  },
  rollForward: { enabled: true, legalBasis: 'Bộ luật Dân sự 2015 Art. 148.5' },
  noticeWithin: wd(5),
  // Editable defaults: the agency's archive schedule governs (Luật Lưu trữ).
  retention: { years: 10, legalBasis: 'Luật Lưu trữ; agency archive schedule (default, editable)' },
  protection: { decideWithin: wd(5), urgentWithin: wd(1), legalBasis: `${LAW} Art. 50–52 (periods are agency defaults)`, ...vn2018ProtectionSteps },
  // "Công khai kết luận nội dung tố cáo": posted for at least 15 consecutive days, with
  // nothing about the denouncer. The head of the agency that concluded decides it. This
  // set knows that one form, on display on the portal (the other forms: vn-2026.ts).
  publication: {
    from: ['CONCLUDED', 'CLOSED'], roles: ['supervisor'], legalBasis: 'Nghị định 31/2019/NĐ-CP Art. 6',
    forms: [{ form: 'portal', minimumDays: 15, legalBasis: 'Nghị định 31/2019/NĐ-CP Art. 6' }],
  },
};
