import { AuditChainVerifier, type ChainBreak } from '../../client/staff-audit.js';
import { loadConfig } from '../../server/config.js';
import { listAudit } from '../../server/db/audit.js';
import { connectDatabase } from '../../server/db/connect.js';

/**
 * Operators' mode of `tipline audit verify --direct`: walks every agency's chain
 * straight from the database named by DATABASE_URL / TIPLINE_DATA_DIR, trusting no
 * server code path. (An embedded database must not be in use by a running server.)
 */
export async function verifyAuditDirect(onPage?: (verified: number) => void): Promise<{ verified: number; firstBreak: ChainBreak | null }> {
  const db = await connectDatabase(loadConfig());
  try {
    const v = new AuditChainVerifier();
    let after: string | undefined;
    for (;;) {
      const rows = await listAudit(db, { agencyId: 'all', afterSeq: after, limit: 1000 });
      for (const row of rows) if (!v.push(row)) return { verified: v.verified, firstBreak: v.firstBreak };
      onPage?.(v.verified);
      if (rows.length < 1000) return { verified: v.verified, firstBreak: null };
      after = rows[rows.length - 1]!.seq;
    }
  } finally {
    await db.destroy();
  }
}
