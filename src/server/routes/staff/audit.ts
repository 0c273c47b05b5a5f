import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAudit } from '../../db/audit.js';
import { auditOnly } from '../../db/audited.js';
import { enc, uuid } from '../staff-schemas.js';

// Auditors read their agency's chain, page by page, and verify it themselves
// (`tipline audit verify`); the hashes let them detect any edited or missing row.

const row = z.object({
  seq: z.string(), at: z.string(), agencyId: uuid.nullable(), staffId: uuid.nullable(), action: z.string(),
  caseId: uuid.nullable(), detail: z.unknown(), prevHash: z.string(), hash: z.string(),
});

const audit: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/staff/audit',
    {
      preHandler: app.requireStaff('auditor'),
      schema: {
        tags: ['staff'], summary: 'The agency\'s hash-chained audit log, page by page (§14)',
        querystring: z.object({ after: z.string().regex(/^\d{1,19}$/).optional(), limit: z.coerce.number().int().min(1).max(1000).default(500) }),
        response: { 200: z.object({ rows: z.array(row), nextAfter: z.string().nullable() }) },
      },
    },
    async (request) => {
      const me = request.staff;
      const { after, limit } = request.query;
      const rows = await listAudit(app.db, { agencyId: me.agencyId, afterSeq: after, limit });
      // Logged after the read, so a page never contains its own read.
      if (!after) await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'audit.read' });
      const last = rows.length === limit ? rows[rows.length - 1] : undefined;
      return {
        rows: rows.map((r) => ({ ...r, detail: r.detail ?? {}, prevHash: enc(r.prevHash), hash: enc(r.hash) })),
        nextAfter: last ? last.seq : null,
      };
    },
  );
};
export default audit;
