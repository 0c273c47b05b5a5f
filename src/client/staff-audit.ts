import { signAuditAnchor, type AuditAnchor } from '../protocol/audit-anchor.js';
import { AuditVerifier, bundleSignKeys, checkAnchors, type ChainBreak } from '../protocol/audit-verify.js';
import { fromBase64Url, loadBackend, toBase64Url, type StaffKeys } from '../protocol/index.js';
import type { StaffClient } from './staff.js';

// `tipline audit verify` and `audit anchor` over the API. The auditor's client trusts
// nothing the server says: it re-hashes the chain, checks every signed entry against the
// agency's bundle history verified against the pinned fingerprint (from outside the
// server), and checks that every anchor the auditor kept is still in the chain.

export interface AuditReport {
  verified: number;
  signaturesChecked: number;
  firstBreak: ChainBreak | null;
  /** The last verified row of the agency's chain. */
  head: { agencyId: string; seq: string; hash: string } | null;
}

interface ApiRow { seq: string; at: string; agencyId: string | null; staffId: string | null; action: string; caseId: string | null; detail: unknown; prevHash: string; hash: string }
interface BundleHistory { agencyId: string; signingPublicKey: string; bundles: { serial: number; payload: string; signature: string }[] }

const u = fromBase64Url;

/** Sign keys from the agency's bundle history, each bundle verified against the pin. */
async function pinnedSignKeys(c: StaffClient, agencyId: string, pinnedFingerprint: string) {
  const history = await c.http.get<BundleHistory>(`/v1/staff/agencies/${agencyId}/bundles`);
  const bundles = history.bundles.map((b) => ({ payload: u(b.payload), signature: u(b.signature) }));
  const keys = bundleSignKeys(await loadBackend(), { agencyId, agencyPublicKey: u(history.signingPublicKey), pinnedFingerprint }, bundles);
  return new Map([[agencyId, keys]]);
}

/**
 * Walks the auditor's agency chain page by page; reports the first break (link, hash,
 * signature or anchor). `pinnedFingerprint`: the agency's, from the invitation or the
 * staff trust store, never from the server.
 */
export async function verifyAuditViaApi(
  c: StaffClient, trust: { pinnedFingerprint: string; anchors?: AuditAnchor[] }, onPage?: (verified: number) => void,
): Promise<AuditReport> {
  const be = await loadBackend();
  const agencyId = c.session.agencyId;
  const signKeys = await pinnedSignKeys(c, agencyId, trust.pinnedFingerprint);
  const v = new AuditVerifier(be, { signKeys, anchors: checkAnchors(be, trust.anchors ?? [], signKeys) });
  let after: string | null = null;
  do {
    const page: { rows: ApiRow[]; nextAfter: string | null } = await c.http.get(`/v1/staff/audit?limit=1000${after ? `&after=${after}` : ''}`);
    for (const row of page.rows) {
      // The server answers with this agency's chain only: a row of another chain is a lie.
      if (row.agencyId !== agencyId) return report(v, agencyId, { seq: row.seq, reason: 'wrong_chain' });
      if (!v.push({ ...row, prevHash: u(row.prevHash), hash: u(row.hash) })) break;
    }
    onPage?.(v.verified);
    after = v.firstBreak ? null : page.nextAfter;
  } while (after);
  return report(v, agencyId, v.finish());
}

function report(v: AuditVerifier, agencyId: string, firstBreak: ChainBreak | null): AuditReport {
  const head = v.head(agencyId);
  return {
    verified: v.verified, signaturesChecked: v.signaturesChecked, firstBreak,
    head: head ? { agencyId, seq: head.seq, hash: toBase64Url(head.hash) } : null,
  };
}

/** Verifies the chain, then signs its head with the auditor's key: the anchor they keep. */
export async function anchorAudit(c: StaffClient, keys: StaffKeys, trust: { pinnedFingerprint: string; anchors?: AuditAnchor[] }): Promise<{ report: AuditReport; anchor: AuditAnchor | null }> {
  const result = await verifyAuditViaApi(c, trust);
  if (result.firstBreak || !result.head) return { report: result, anchor: null };
  const head = { agencyId: result.head.agencyId, seq: result.head.seq, hash: u(result.head.hash) };
  return { report: result, anchor: signAuditAnchor(await loadBackend(), head, c.session.staffId, keys.signSecretKey) };
}

/** The anchor file: JSON, base64url bytes. */
export function anchorToJson(a: AuditAnchor): string {
  return `${JSON.stringify({ version: 1, kind: 'tipline-audit-anchor', agencyId: a.agencyId, seq: a.seq, hash: toBase64Url(a.hash), signer: a.signer, signature: toBase64Url(a.signature) }, null, 2)}\n`;
}

export function anchorFromJson(text: string): AuditAnchor {
  const j = JSON.parse(text) as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof j[k] !== 'string') throw new Error(`not an audit anchor: ${k} is missing`);
    return j[k] as string;
  };
  if (j['version'] !== 1 || j['kind'] !== 'tipline-audit-anchor') throw new Error('not an audit anchor file');
  return { agencyId: str('agencyId'), seq: str('seq'), hash: u(str('hash')), signer: str('signer'), signature: u(str('signature')) };
}
