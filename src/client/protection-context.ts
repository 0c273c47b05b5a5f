import type { CaseContext } from '../protocol/index.js';

/**
 * Protection details are sealed in the identity block format (PROTOCOL.md §6.1) with the
 * protection request's id in the case id's place — in the header, the associated data
 * and every wrapped share and key. A share of one request's details therefore opens
 * under no other context: not the case's identity block, not another request's details,
 * so a server cannot get a custodian to release one thing while they approve another.
 */
export function protectionDetailsContext(agencyId: string, protectionRequestId: string): CaseContext {
  return { agencyId, caseId: protectionRequestId };
}
