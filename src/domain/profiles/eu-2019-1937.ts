import type { JurisdictionProfile, Period } from '../profile.js';

// Directive (EU) 2019/1937. The directive has no acceptance decision of the VN kind;
// its two clocks are the acknowledgement (Art. 9.1.b) and feedback (Art. 9.1.f,
// Art. 11.2.d), and the feedback clock starts at the acknowledgement or, if none was
// sent in time, at the end of the seven days.

const DIR = 'Directive (EU) 2019/1937';
const cd = (amount: number): Period => ({ amount, unit: 'calendar_days' });
const months = (amount: number): Period => ({ amount, unit: 'months' });

const handling = ['ACCEPTED', 'VERIFYING'] as const;

export const eu2019: JurisdictionProfile = {
  id: 'EU-2019-1937',
  title: 'European Union — Whistleblowing Directive 2019/1937',
  // The day Member States had to apply their transposing laws (Art. 26(1)).
  effectiveFrom: '2021-12-17',
  sources: [{ act: 'Directive (EU) 2019/1937', provisions: 'Art. 9, 11, 16, 18', inForceFrom: '2021-12-17' }],
  initialClock: { phase: 'acknowledgement', period: cd(7) },
  transitions: [
    {
      action: 'triage', from: ['RECEIVED'], to: 'TRIAGE', roles: ['intake', 'supervisor'], notice: true,
      legalBasis: `${DIR} Art. 9.1.b`,
      clock: { kind: 'start', phase: 'feedback', period: months(3), from: 'event', startNoLaterThan: cd(7) },
    },
    { action: 'transfer', from: ['RECEIVED', 'TRIAGE'], to: 'TRANSFERRED', roles: ['intake', 'supervisor'], notice: true, legalBasis: `${DIR} Art. 11.6`, clock: { kind: 'stop' } },
    { action: 'not_accept', from: ['TRIAGE'], to: 'NOT_ACCEPTED', roles: ['intake', 'supervisor'], notice: true, legalBasis: `${DIR} Art. 11.3`, clock: { kind: 'stop' } },
    { action: 'accept', from: ['TRIAGE'], to: 'ACCEPTED', roles: ['intake', 'supervisor'], notice: false, legalBasis: `${DIR} Art. 9.1.d` },
    { action: 'start_verification', from: ['ACCEPTED'], to: 'VERIFYING', roles: ['investigator', 'supervisor'], notice: false, legalBasis: `${DIR} Art. 9.1.d` },
    { action: 'extend', from: handling, to: 'same', roles: ['supervisor'], notice: true, legalBasis: `${DIR} Art. 11.2.d`, clock: { kind: 'extend', phase: 'feedback' } },
    { action: 'suspend', from: handling, to: 'SUSPENDED', roles: ['supervisor'], notice: false, legalBasis: 'agency procedure', clock: { kind: 'pause' } },
    { action: 'resume', from: ['SUSPENDED'], to: 'previous', roles: ['supervisor'], notice: false, legalBasis: 'agency procedure', clock: { kind: 'resume' } },
    { action: 'terminate', from: ['TRIAGE', 'ACCEPTED', 'VERIFYING', 'SUSPENDED'], to: 'TERMINATED', roles: ['supervisor'], notice: true, legalBasis: `${DIR} Art. 11.2.d, 11.3`, clock: { kind: 'stop' } },
    { action: 'conclude', from: ['VERIFYING'], to: 'CONCLUDED', roles: ['investigator', 'supervisor'], notice: true, legalBasis: `${DIR} Art. 9.1.f`, requiresFinding: true, clock: { kind: 'stop' } },
    { action: 'close', from: ['CONCLUDED'], to: 'CLOSED', roles: ['supervisor'], notice: false, legalBasis: `${DIR} Art. 18` },
    { action: 'withdraw', from: ['RECEIVED', 'TRIAGE', 'ACCEPTED', 'VERIFYING', 'SUSPENDED'], to: 'WITHDRAWN', roles: ['denouncer'], notice: false, legalBasis: 'agency procedure', clock: { kind: 'stop' } },
  ],
  // External channels may take six months in duly justified cases: one extension of three.
  extensions: {
    phase: 'feedback',
    unit: 'months',
    limits: { complex: { count: 1, maxAmount: 3 }, especially_complex: { count: 1, maxAmount: 3 } },
    legalBasis: `${DIR} Art. 11.2.d`,
  },
  rollForward: { enabled: false, legalBasis: 'not provided by the directive' },
  noticeWithin: cd(0),
  retention: { years: 3, legalBasis: `${DIR} Art. 17, 18 (no longer than necessary; default, editable)` },
  protection: { decideWithin: cd(7), urgentWithin: cd(1), legalBasis: `${DIR} Art. 19–22 (periods are agency defaults)` },
  // Member states' public holidays differ; the agency lists its own.
  // The directive asks for feedback to the reporting person (Art. 9.1.f), not for a
  // public conclusion; publishing would add exposure the directive does not ask for.
  publication: null,
};
