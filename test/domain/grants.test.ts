import t from 'tap';
import { GRANTER_ROLES, mayReceiveGrant } from '../../src/domain/index.js';

// Who may receive a case's content key (PROTOCOL.md §8.3.2): in the case's own agency an
// investigator, an intake officer or the head of agency who decides the case, in another
// agency only an intake officer; never a staff member who is not active.

const active = (...roles: string[]) => ({ status: 'active', roles });

t.test('assignment within the agency, transfer to another agency', async (t) => {
  t.ok(mayReceiveGrant(active('investigator'), true), 'an investigator of the agency');
  t.ok(mayReceiveGrant(active('intake'), true), 'an intake officer of the agency');
  t.notOk(mayReceiveGrant(active('custodian'), true), 'not a custodian');
  t.ok(mayReceiveGrant(active('supervisor'), true), 'the head of agency, who decides the case (LEGAL.md "Who decides")');
  t.notOk(mayReceiveGrant(active('auditor'), true), 'not an auditor');
  t.notOk(mayReceiveGrant(active('supervisor'), false), 'nor another agency\'s head');
  t.ok(mayReceiveGrant(active('intake'), false), 'an intake officer of another agency (transfer)');
  t.notOk(mayReceiveGrant(active('investigator'), false), "not another agency's investigator");
});

t.test('never a staff member who is not active', async (t) => {
  t.notOk(mayReceiveGrant({ status: 'deactivated', roles: ['investigator'] }, true));
  t.notOk(mayReceiveGrant({ status: 'invited', roles: ['intake'] }, false));
});

t.test('intake officers grant', async (t) => {
  t.same([...GRANTER_ROLES], ['intake']);
});
