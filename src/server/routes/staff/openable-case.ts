import type { FastifyInstance } from 'fastify';
import { findCaseForStaff, wrappedKeyFor } from '../../db/case-access.js';
import { fail } from '../../errors.js';
import type { StaffPrincipal } from '../../plugins/staff-auth.js';

/** The case, if the caller can open it (holds a key); otherwise 404 like a missing case. */
export async function openableCase(app: FastifyInstance, me: StaffPrincipal, caseId: string) {
  const found = await findCaseForStaff(app.db, me, caseId);
  if (!found || !(await wrappedKeyFor(app.db, me.id, caseId))) return fail('not_found', 'no such case');
  return found;
}
