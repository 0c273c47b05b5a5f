import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CASEWORK_ROLES } from '../../../domain/index.js';
import { auditOnly } from '../../db/audited.js';
import { assigneesOf, findCaseForStaff, grantedAgencies, listCasesForStaff, listGrants, ownCaseKey, seesWholeAgency } from '../../db/case-access.js';
import { custodiansOf } from '../../db/identity.js';
import { errors } from '../../error-responses.js';
import { untouchedDueBounds, withRunningDue } from '../../db/workflow-queries.js';
import { fail } from '../../errors.js';
import { day, text, threshold } from '../../schemas.js';
import { enc, uuid } from '../staff-schemas.js';

// Case lists and one case's ciphertext. The server hands out the envelope and the
// caller's own wrapped key; opening happens on the staff member's machine.

const summary = z.object({
  caseId: uuid, agencyId: uuid, publicNumber: z.string(), kind: z.string(), status: z.string(),
  hasIdentity: z.boolean(), urgent: z.boolean(), receivedOn: z.string(), dueOn: z.string().nullable(),
});

const listed = summary.extend({
  assignees: z.array(uuid).describe('staff a colleague assigned the case to (granted its key)'),
  unread: z.boolean().describe('a message from the denouncer the caller could read is newer than the last one they marked read (POST …/read)'),
});

function encodeCursor(c: { receivedOn: string; id: string }): string {
  return Buffer.from(`${c.receivedOn}|${c.id}`).toString('base64url');
}

function decodeCursor(text: string): { receivedOn: string; id: string } {
  const [receivedOn, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (!receivedOn || !id || !day.safeParse(receivedOn).success || !uuid.safeParse(id).success) {
    return fail('validation_failed', 'bad cursor');
  }
  return { receivedOn, id };
}

const cases: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/staff/cases',
    {
      preHandler: app.requireStaff(...CASEWORK_ROLES),
      schema: {
        tags: ['staff'], summary: 'Cases in reach: the agency\'s (intake, supervisor) or those granted (investigator)',
        querystring: z.object({
          scope: z.enum(['agency', 'granted']).optional(),
          status: text(40).optional(),
          kind: text(40).optional(),
          receivedFrom: day.optional(),
          receivedTo: day.optional(),
          dueBy: day.optional().describe('cases whose running deadline falls on or before this day, overdue ones included (for a case untouched since receipt: its first deadline)'),
          urgent: z.enum(['true', 'false']).optional(),
          assigned: z.enum(['me']).optional().describe('only cases a colleague assigned (granted) to the caller'),
          unread: z.enum(['true', 'false']).optional().describe('only cases with (true) or without (false) an unread message from the denouncer'),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ cases: z.array(listed), nextCursor: z.string().nullable() }), ...errors('validation_failed') },
      },
    },
    async (request) => {
      const me = request.staff;
      const q = request.query;
      const scope = q.scope ?? (seesWholeAgency(me) ? 'agency' : 'granted');
      const after = q.cursor ? decodeCursor(q.cursor) : undefined;
      const untouchedReceivedBy = q.dueBy
        ? await untouchedDueBounds(app.db, scope === 'agency' ? [me.agencyId] : await grantedAgencies(app.db, me.id), q.dueBy)
        : undefined;
      const rows = await withRunningDue(app.db, await listCasesForStaff(app.db, me, {
        ...q, scope, after, limit: q.limit, untouchedReceivedBy,
        urgent: q.urgent === undefined ? undefined : q.urgent === 'true', assignedToMe: q.assigned === 'me',
        unread: q.unread === undefined ? undefined : q.unread === 'true',
      }));
      const assignees = await assigneesOf(app.db, rows.map((r) => r.id));
      await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'case.list', detail: { scope, count: rows.length } });
      const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
      return {
        cases: rows.map(({ id, ...r }) => ({ caseId: id, ...r, assignees: assignees.get(id) ?? [] })),
        nextCursor: last ? encodeCursor({ receivedOn: last.receivedOn, id: last.id }) : null,
      };
    },
  );

  app.get(
    '/v1/staff/cases/:caseId',
    {
      preHandler: app.requireStaff(),
      schema: {
        tags: ['staff'], summary: 'One case: metadata, and its envelope with the caller\'s wrapped key when they hold one',
        params: z.object({ caseId: uuid }),
        response: {
          200: summary.extend({
            parentCaseId: uuid.nullable(),
            identityThreshold: threshold.nullable(),
            envelope: z.string().nullable().describe('sealed case, base64url; only for a caller holding a key'),
            wrappedKey: z.string().nullable().describe("the caller's wrapped content key, base64url"),
            keyGrant: z.object({
              grantedBy: uuid, granterAgencyId: uuid.nullable(), signature: z.string().nullable().describe('the grant signature, base64url (§8.3.2)'),
            }).nullable().describe("who granted the caller's key; null for a key wrapped at submission"),
            keyRekey: z.object({ originDigest: z.string(), signature: z.string() }).nullable()
              .describe('set when the caller re-sealed their key at a key rotation: H(32) of the key the grant signed, and their rekey signature (§8.3.12)'),
            grants: z.array(z.object({ staffId: uuid, grantedBy: uuid.nullable(), grantedOn: z.string() })),
            custodians: z.array(uuid).describe('who holds a share of the identity key'),
          }),
          ...errors('not_found'),
        },
      },
    },
    async (request) => {
      const me = request.staff;
      const found = (await findCaseForStaff(app.db, me, request.params.caseId)) ?? fail('not_found', 'no such case');
      const own = await ownCaseKey(app.db, me.id, found.id);
      const wrapped = own?.wrapped ?? null;
      const grant = own?.grant ?? null;
      await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'case.open', caseId: found.id, detail: { withKey: wrapped !== null } });
      return {
        caseId: found.id, agencyId: found.agency_id, publicNumber: found.public_number, kind: found.kind, status: found.status,
        hasIdentity: found.has_identity, urgent: found.urgent, receivedOn: found.received_on, dueOn: found.due_on,
        parentCaseId: found.parent_case_id, identityThreshold: found.identity_threshold,
        envelope: wrapped && found.envelope ? enc(found.envelope) : null,
        wrappedKey: wrapped ? enc(wrapped) : null,
        keyGrant: grant && { grantedBy: grant.grantedBy, granterAgencyId: grant.granterAgencyId, signature: grant.signature && enc(grant.signature) },
        keyRekey: own?.rekey ? { originDigest: enc(own.rekey.originDigest), signature: enc(own.rekey.signature) } : null,
        grants: await listGrants(app.db, found.id),
        custodians: await custodiansOf(app.db, found.id),
      };
    },
  );
};
export default cases;
