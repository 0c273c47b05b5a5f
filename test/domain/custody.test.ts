import t from 'tap';
import { approvalsOf, custodyState, releasesBlock } from '../../src/domain/index.js';

// m of n custodians open an identity block (or a protection request's details); the
// sealed block goes to the requester only, and only once m have approved.

const approve = { decision: 'approve' } as const;
const refuse = { decision: 'refuse' } as const;

t.test('2 of 3: pending, approved at the second approval, refused once two refuse', async (t) => {
  t.equal(custodyState(2, [], 3), 'pending');
  t.equal(custodyState(2, [approve], 3), 'pending');
  t.equal(custodyState(2, [approve, refuse], 3), 'pending', 'the third custodian can still make it two');
  t.equal(custodyState(2, [approve, approve], 3), 'approved');
  t.equal(custodyState(2, [refuse, approve, approve], 3), 'approved');
  t.equal(custodyState(2, [refuse, refuse], 3), 'refused', 'one custodian left cannot reach two');
  t.equal(approvalsOf([refuse, approve, approve]), 2);
});

t.test('m of m: one refusal refuses', async (t) => {
  t.equal(custodyState(2, [refuse], 2), 'refused');
  t.equal(custodyState(1, [approve], 1), 'approved');
});

t.test('the block goes to the requester, once approved, and to nobody else', async (t) => {
  t.ok(releasesBlock('approved', true));
  t.notOk(releasesBlock('approved', false), 'not to a custodian or anyone else');
  t.notOk(releasesBlock('pending', true), 'not before m approvals');
  t.notOk(releasesBlock('refused', true));
});
