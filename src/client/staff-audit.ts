import { signAuditAnchor, type AuditAnchor } from '../protocol/audit-anchor.js';
import { AuditVerifier, bundleSignKeys, checkAnchors, type BundleSignKeys, type ChainBreak } from '../protocol/audit-verify.js';
import {
  fromBase64Url, loadBackend, TiplineCryptoError, toBase64Url, transitionsFromJson, type AgencyKeyTransitionJson, type Backend, type StaffKeys,
} from '../protocol/index.js';
import type { StaffClient } from './staff.js';

// `tipline audit verify` and `audit anchor` over the API. The auditor's client trusts
// nothing the server says: it re-hashes the chain, checks every signed entry against the
// agency's bundle history verified against the pinned fingerprint (from outside the
// server), and checks that every anchor the auditor kept is still in the chain.

/** A row the verifier refused: its seq, the action the log claims for it (none for a missing anchored row) and why. */
export interface RefusedRow extends ChainBreak { action: string | null }

export interface AuditReport {
  /** Rows that verified before the first break. */
  verified: number;
  /** Rows read and checked, refused or not. */
  checked: number;
  signaturesChecked: number;
  firstBreak: ChainBreak | null;
  /** Every refused row, in seq order (the first NAMED_BREAKS); `refusedCount` counts all. */
  refused: RefusedRow[];
  refusedCount: number;
  /** The last verified row of the agency's chain. */
  head: { agencyId: string; seq: string; hash: string } | null;
}

export interface ApiAuditRow { seq: string; at: string; agencyId: string | null; staffId: string | null; action: string; caseId: string | null; detail: unknown; prevHash: string; hash: string }
export interface AuditPage { rows: ApiAuditRow[]; nextAfter: string | null; total: number | null }
/** The listing's filters (GET /v1/staff/audit): they narrow what is shown, never what is verified. */
export interface AuditFilter { staffId?: string; caseId?: string; action?: string; since?: string; until?: string }
interface BundleHistory { agencyId: string; signingPublicKey: string; keyTransitions?: AgencyKeyTransitionJson[]; bundles: { serial: number; payload: string; signature: string }[] }

const u = fromBase64Url;

/**
 * An anchor the auditor gave whose signature no member of the agency's verified bundles
 * made: a bundle_invalid like any other (PROTOCOL.md §14), told apart so that the console
 * can say which file failed.
 */
export class AnchorRefusedError extends TiplineCryptoError {
  constructor() {
    super('bundle_invalid');
  }
}

function checkedAnchors(be: Backend, anchors: AuditAnchor[], signKeys: Map<string, BundleSignKeys>): AuditAnchor[] {
  try {
    return checkAnchors(be, anchors, signKeys);
  } catch {
    throw new AnchorRefusedError();
  }
}

/** Sign keys from the agency's bundle history, each bundle verified against the pin. */
async function pinnedSignKeys(c: StaffClient, agencyId: string, pinnedFingerprint: string) {
  const history = await c.http.get<BundleHistory>(`/v1/staff/agencies/${agencyId}/bundles`);
  const bundles = history.bundles.map((b) => ({ payload: u(b.payload), signature: u(b.signature) }));
  const transitions = transitionsFromJson(agencyId, history.keyTransitions ?? []);
  const keys = bundleSignKeys(await loadBackend(), { agencyId, agencyPublicKey: u(history.signingPublicKey), pinnedFingerprint, transitions }, bundles);
  return new Map([[agencyId, keys]]);
}

/** One page of the agency's log as the server lists it, unverified: what the console shows before Verify. */
export function auditPage(c: StaffClient, filter: AuditFilter, after: string | null, limit = 50): Promise<AuditPage> {
  const q = new URLSearchParams({ limit: String(limit) });
  for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
  if (after) q.set('after', after);
  return c.http.get<AuditPage>(`/v1/staff/audit?${q.toString()}`);
}

/**
 * Walks the auditor's agency chain page by page and names every refused row (link, hash,
 * signature or anchor); the rows after a break are checked against the log as it stands,
 * so each edit shows on its own row. `pinnedFingerprint`: the agency's, from the
 * invitation or the staff trust store, never from the server. `onPage` gets the rows
 * checked so far and the total the first page announced (the server's word, for progress).
 */
export async function verifyAuditViaApi(
  c: StaffClient, trust: { pinnedFingerprint: string; anchors?: AuditAnchor[] }, onPage?: (checked: number, total: number) => void,
): Promise<AuditReport> {
  const be = await loadBackend();
  const agencyId = c.session.agencyId;
  const signKeys = await pinnedSignKeys(c, agencyId, trust.pinnedFingerprint);
  const v = new AuditVerifier(be, { signKeys, anchors: checkedAnchors(be, trust.anchors ?? [], signKeys) });
  const actions = new Map<string, string>();
  let after: string | null = null;
  let total = 0;
  do {
    const page: AuditPage = await auditPage(c, {}, after, 1000);
    total = Math.max(total, page.total ?? 0, v.checked + page.rows.length);
    for (const row of page.rows) {
      // The server answers with this agency's chain only: a row of another chain is a lie.
      if (row.agencyId !== agencyId) {
        v.refuse({ seq: row.seq, reason: 'wrong_chain' });
        return report(v, agencyId, actions);
      }
      if (!v.push({ ...row, prevHash: u(row.prevHash), hash: u(row.hash) })) actions.set(row.seq, row.action);
    }
    onPage?.(v.checked, total);
    after = page.nextAfter;
  } while (after);
  v.finish();
  return report(v, agencyId, actions);
}

function report(v: AuditVerifier, agencyId: string, actions: Map<string, string>): AuditReport {
  const head = v.head(agencyId);
  return {
    verified: v.verified, checked: v.checked, signaturesChecked: v.signaturesChecked, firstBreak: v.firstBreak,
    refused: v.breaks.map((b) => ({ ...b, action: actions.get(b.seq) ?? null })), refusedCount: v.breakCount,
    // A broken chain has no head worth anchoring.
    head: head && !v.firstBreak ? { agencyId, seq: head.seq, hash: toBase64Url(head.hash) } : null,
  };
}

/** Signs a clean report's chain head with the auditor's key: the anchor they keep; null when the chain broke or is empty. */
export async function signAnchor(c: StaffClient, keys: StaffKeys, report: AuditReport): Promise<AuditAnchor | null> {
  if (report.firstBreak || !report.head) return null;
  const head = { agencyId: report.head.agencyId, seq: report.head.seq, hash: u(report.head.hash) };
  return signAuditAnchor(await loadBackend(), head, c.session.staffId, keys.signSecretKey);
}

/** Verifies the chain, then signs its head with the auditor's key: the anchor they keep. */
export async function anchorAudit(c: StaffClient, keys: StaffKeys, trust: { pinnedFingerprint: string; anchors?: AuditAnchor[] }): Promise<{ report: AuditReport; anchor: AuditAnchor | null }> {
  const report = await verifyAuditViaApi(c, trust);
  return { report, anchor: await signAnchor(c, keys, report) };
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
