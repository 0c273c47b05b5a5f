import { loadBackend, verifyDetached } from '../../../protocol/index.js';
import { isWrappedLength } from '../../../protocol/headers.js';
import { grantSigningBytes } from '../../../protocol/signing-bytes.js';
import { audited } from '../../db/audited.js';
import type { Database } from '../../db/connect.js';
import { insertGrant } from '../../db/grants.js';
import type { StaffPrincipal } from '../../db/sessions.js';
import { findStaff } from '../../db/staff.js';
import { fail } from '../../errors.js';
import { currentBundle } from '../cases/submission-checks.js';
import { bytesOf } from '../staff-schemas.js';

// A grant as every route stores one — an ordinary assignment or transfer (grants.ts) and
// a case re-granted at a recovery drill (recovery.ts): the content key wrapped to the
// recipient, of v1's length (§3) or, for a recipient their agency's current bundle lists
// as accepting version 2, of v2's (§16.5), signed by the granter (§8.3.2) and checked against the
// granter's registered key, then stored with its audit entry in one transaction. Who may
// grant which case, and to whom, each route decides before.

export interface SignedGrant {
  caseId: string;
  recipientId: string;
  recipientAgencyId: string;
  /** The request's base64url fields. */
  wrapped: string;
  signature: string;
  /** Said in the audit entry beside the recipient. */
  detail: Record<string, unknown>;
}

export async function storeSignedGrant(db: Database, granter: StaffPrincipal, g: SignedGrant): Promise<void> {
  const wrapped = bytesOf(g.wrapped);
  const signature = bytesOf(g.signature, 64);
  const be = await loadBackend();
  if (!isWrappedLength(wrapped.length, false)) {
    const bundle = (await currentBundle(db, be, g.recipientAgencyId)).content;
    const accepts = bundle.staff.find((m) => m.staffId === g.recipientId)?.versions?.includes(2) === true;
    if (!isWrappedLength(wrapped.length, accepts)) return fail('validation_failed', 'a wrapped key has the wrong length');
  }
  const signedBytes = grantSigningBytes(g.caseId, g.recipientId, wrapped, be);
  const key = (await findStaff(db, granter.id))?.signPublicKey;
  if (!key || !verifyDetached(be, 'grant', signature, signedBytes, key)) return fail('crypto_failed', 'the grant signature does not verify');
  await audited(db, async (trx) => {
    if (!(await insertGrant(trx, { caseId: g.caseId, recipientId: g.recipientId, wrapped, grantedBy: granter.id, signature }))) {
      return fail('conflict', 'this staff member already holds the case');
    }
    return { result: null, audit: {
      agencyId: granter.agencyId, staffId: granter.id, action: 'case.grant', caseId: g.caseId, detail: { recipient: g.recipientId, ...g.detail },
      signed: { kind: 'grant', signer: granter.id, bytes: signedBytes, signature },
    } };
  });
}
