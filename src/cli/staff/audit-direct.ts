import type { AuditAnchor } from '../../protocol/audit-anchor.js';
import { AuditVerifier, bundleSignKeys, checkAnchors, type BundleSignKeys, type ChainBreak } from '../../protocol/audit-verify.js';
import { agencyFingerprint, canonicalFingerprint, loadBackend, transitionsFromJson } from '../../protocol/index.js';
import { loadConfig } from '../../server/config.js';
import { listAudit } from '../../server/db/audit.js';
import { bundleHistory } from '../../server/db/bundles.js';
import { keyTransitions } from '../../server/db/key-transitions.js';
import { connectDatabase, type Database } from '../../server/db/connect.js';
import { CliError } from '../common/output.js';

/**
 * Operators' mode of `tipline audit verify --direct`: walks every agency's chain
 * straight from the database named by DATABASE_URL / TIPLINE_DATA_DIR, trusting no
 * server code path. Signatures are checked for the agency whose signing key has the
 * pinned fingerprint, against its bundle history read from the same database and
 * verified against that pin. (An embedded database must not be in use by a running server.)
 */
export async function verifyAuditDirect(trust: DirectTrust, onPage?: (verified: number) => void): Promise<DirectReport> {
  const db = await connectDatabase(loadConfig());
  try {
    return await verifyAuditIn(db, trust, onPage);
  } finally {
    await db.destroy();
  }
}

export interface DirectTrust { pinnedFingerprint?: string | undefined; anchors?: AuditAnchor[] }
export interface DirectReport { verified: number; signaturesChecked: number; signedAgencies: string[]; firstBreak: ChainBreak | null }

/** The walk itself, over an open database. */
export async function verifyAuditIn(db: Database, trust: DirectTrust, onPage?: (verified: number) => void): Promise<DirectReport> {
  const be = await loadBackend();
  const signKeys = trust.pinnedFingerprint ? await pinnedAgencies(db, trust.pinnedFingerprint) : new Map<string, BundleSignKeys>();
  const v = new AuditVerifier(be, { signKeys, anchors: checkAnchors(be, trust.anchors ?? [], signKeys) });
  const done = (firstBreak: ChainBreak | null) => ({ verified: v.verified, signaturesChecked: v.signaturesChecked, signedAgencies: [...signKeys.keys()], firstBreak });
  let after: string | undefined;
  for (;;) {
    const rows = await listAudit(db, { agencyId: 'all', afterSeq: after, limit: 1000 });
    for (const row of rows) if (!v.push(row)) return done(v.firstBreak);
    onPage?.(v.verified);
    if (rows.length < 1000) return done(v.finish());
    after = rows[rows.length - 1]!.seq;
  }
}

/** The agencies whose stored signing key has the pinned fingerprint, with their verified bundles' keys. */
async function pinnedAgencies(db: Database, pinnedFingerprint: string): Promise<Map<string, BundleSignKeys>> {
  const be = await loadBackend();
  const pin = canonicalFingerprint(pinnedFingerprint);
  const agencies = await db.selectFrom('agencies').select(['id', 'signing_public_key']).execute();
  const out = new Map<string, BundleSignKeys>();
  for (const a of agencies) {
    const agencyPublicKey = new Uint8Array(a.signing_public_key);
    // The pinned key may be one the agency has since handed over from (PROTOCOL.md §9.2).
    const transitions = transitionsFromJson(a.id, await keyTransitions(db, a.id));
    const keys = [agencyPublicKey, ...transitions.flatMap((t) => [t.oldPublicKey, t.newPublicKey])];
    if (!keys.some((k) => canonicalFingerprint(agencyFingerprint(be, k)) === pin)) continue;
    const bundles = (await bundleHistory(db, a.id)).map((b) => ({ payload: b.payload, signature: b.signature }));
    out.set(a.id, bundleSignKeys(be, { agencyId: a.id, agencyPublicKey, pinnedFingerprint, transitions }, bundles));
  }
  if (out.size === 0) {
    throw new CliError('no agency in this database has the pinned signing key: its key was replaced, or the fingerprint is not this agency\'s (check --agency-fingerprint)');
  }
  return out;
}
