import t from 'tap';
import type { CheckedProtectionRequest } from '../../src/client/staff-protection.js';
import { vietnam } from '../../src/domain/profiles/index.js';
import { draftProblem, emptyDraft, noticeOf, protectionOffer, stepInput, type CaseStanding } from '../../src/console/protection.js';

// What the console offers on a protection request (src/console/protection.ts), from what
// it checked alone: the decisions to the head, the steps with only the grounds the rules
// in force admit on the case as its signed history leaves it, and nothing at all on a
// decision, chain, intake record or case history that did not check out.

const DAY = '2026-09-01';

function request(over: { status?: 'pending' | 'granted' | 'refused'; authenticity?: 'pending' | 'signed' | 'refused'; intact?: boolean; ended?: boolean; channel?: 'online' | 'phone' } = {}): CheckedProtectionRequest {
  const status = over.status ?? 'granted';
  const granted = status === 'granted' && (over.authenticity ?? 'signed') === 'signed';
  const channel = over.channel ?? 'online';
  return {
    protectionRequestId: '6f1c0a52-0000-4000-8000-000000000001', caseId: '6f1c0a52-0000-4000-8000-000000000002', urgent: true,
    requestedOn: '2026-08-20', dueOn: '2026-08-21', channel, status, decidedOn: status === 'pending' ? null : '2026-08-21', decision: null,
    endedOn: null, confirmedOn: null, intakeRecord: null, steps: [],
    checked: { authenticity: over.authenticity ?? (status === 'pending' ? 'pending' : 'signed'), decidedBy: null },
    history: {
      steps: [], endedOn: over.ended ? '2026-08-25' : null, confirmedOn: null, intact: over.intact ?? true, next: { seq: 1, previous: null },
      intake: { authenticity: channel === 'online' ? 'online' : 'signed', recordedBy: null },
      standing: { status: granted ? 'granted' : status === 'granted' ? 'pending' : status, decidedOn: granted ? '2026-08-21' : null, channel, ended: over.ended ?? false, confirmed: false, lastStepOn: null },
    },
  };
}

const at = (state: CaseStanding['state']): CaseStanding => ({ jurisdiction: vietnam, state });
const choices = (o: ReturnType<typeof protectionOffer>): string[][] | string => (o.kind === 'open' ? o.choices.map((c) => [c.choice, c.grounds.join(' ')]) : o.why);
const named = (o: ReturnType<typeof protectionOffer>) => (o.kind === 'open' ? o.choices.map((c) => c.choice) : o.why);

t.test('the head: decide a pending request; change, add or end a granted one on the grounds the case allows', async (t) => {
  t.same(choices(protectionOffer(request({ status: 'pending' }), at('RECEIVED'), ['supervisor'], DAY)), [['granted', ''], ['refused', '']], 'pending: grant or refuse');
  t.same(choices(protectionOffer(request(), at('VERIFYING'), ['supervisor'], DAY)), [
    ['change', 'on_initiative on_request'], ['add', 'on_initiative on_request'], ['end', 'grounds_gone on_request breach'],
  ], 'granted, case being verified: no end at the conclusion or the discontinuation');
  t.same((choices(protectionOffer(request(), at('CONCLUDED'), ['supervisor'], DAY)) as string[][]).at(-1), ['end', 'conclusion grounds_gone on_request breach'], 'concluded: the end at the conclusion');
  t.same((choices(protectionOffer(request(), at('TERMINATED'), ['supervisor'], DAY)) as string[][]).at(-1), ['end', 'termination grounds_gone on_request breach'], 'discontinued: the end at the discontinuation');
  const in2025 = request();
  const old = { ...in2025, requestedOn: '2025-05-02', decidedOn: '2025-05-05', history: { ...in2025.history, standing: { ...in2025.history.standing, decidedOn: '2025-05-05' } } };
  t.same((choices(protectionOffer(old, at('VERIFYING'), ['supervisor'], '2025-06-02')) as string[][]).at(-1), ['end', 'grounds_gone on_request'],
    'under the 2018 rules, no end for a deliberate breach (Law 136/2025)');
  t.same(choices(protectionOffer(request({ ended: true }), at('CONCLUDED'), ['supervisor'], DAY)), [], 'ended: nothing more');
  t.same(choices(protectionOffer(request({ status: 'refused' }), at('RECEIVED'), ['supervisor'], DAY)), [], 'refused: no measure to change');
});

t.test('the written confirmation: to the head and to intake, only on a request by phone or in person', async (t) => {
  t.same(choices(protectionOffer(request({ status: 'pending', channel: 'phone' }), at('RECEIVED'), ['intake'], DAY)), [['confirm_writing', '']], 'intake: the confirmation only');
  t.same(named(protectionOffer(request({ status: 'pending', channel: 'phone' }), at('RECEIVED'), ['supervisor'], DAY)), ['granted', 'refused', 'confirm_writing'], 'the head: decide or confirm');
  t.same(choices(protectionOffer(request({ status: 'pending' }), at('RECEIVED'), ['intake'], DAY)), [], 'online: nothing to confirm');
  t.same(choices(protectionOffer(request(), at('RECEIVED'), ['investigator'], DAY)), [], 'an investigator: nothing');
});

t.test('nothing is offered on what did not check out', async (t) => {
  t.equal(choices(protectionOffer(request({ authenticity: 'refused' }), at('RECEIVED'), ['supervisor'], DAY)), 'decision', 'a decision whose signature fails');
  t.equal(choices(protectionOffer(request({ intact: false }), at('RECEIVED'), ['supervisor'], DAY)), 'steps', 'a broken chain of steps');
  const phoned = request({ status: 'pending', channel: 'phone' });
  t.equal(choices(protectionOffer({ ...phoned, history: { ...phoned.history, intake: { authenticity: 'refused', recordedBy: null } } }, at('RECEIVED'), ['supervisor'], DAY)), 'intake',
    'an intake record that fails');
  t.equal(choices(protectionOffer(request(), at(null), ['supervisor'], DAY)), 'case', 'a case history that fails');
});

t.test('the draft: what each choice needs before review, and the notice it sends', async (t) => {
  const r = request();
  const d = emptyDraft(DAY, '');
  t.equal(draftProblem(request({ status: 'pending' }), 'refused', d, DAY), 'refusalReason', 'a refusal states its reasons');
  t.equal(draftProblem(request({ status: 'pending' }), 'granted', { ...d, measures: 'Bảo vệ nơi ở' }, DAY), 'body', 'a grant names the body');
  t.equal(draftProblem(r, 'end', { ...d, reason: 'Theo đơn' }, DAY), 'ground', 'an end names its ground');
  t.equal(draftProblem(r, 'end', { ...d, reason: 'Theo đơn', ground: 'on_request', day: '2026-08-20' }, DAY), 'day', 'not before the decision');
  t.equal(draftProblem(r, 'end', { ...d, reason: 'Theo đơn', ground: 'on_request', notice: ' ' }, DAY), 'notice', 'an emptied notice');
  t.equal(draftProblem(r, 'end', { ...d, reason: 'Theo đơn', ground: 'on_request' }, DAY), null);
  const end = { ...d, reason: 'Theo đơn', ground: 'on_request' as const };
  t.match(noticeOf('end', end), /đã chấm dứt[^]*theo đề nghị bằng văn bản/, 'the template follows the ground');
  t.same(stepInput('end', { ...end, notice: 'Đã sửa.' }), { step: 'end', record: 'Theo đơn', onDay: DAY, ground: 'on_request', notice: 'Đã sửa.' }, 'the edited notice is what is sealed');
  t.notOk('notice' in stepInput('confirm_writing', { ...d, reason: 'Đơn' }), 'a confirmation sends none');
});
