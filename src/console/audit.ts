import {
  AnchorRefusedError, anchorFromJson, anchorToJson, signAnchor, verifyAuditViaApi, type AuditFilter, type AuditReport,
} from '../client/staff-audit.js';
import type { AuditAnchor } from '../protocol/audit-anchor.js';
import type { BreakReason } from '../protocol/audit-verify.js';
import { TiplineCryptoError } from '../protocol/index.js';
import { offerDownload } from './attachments.js';
import type { MessageKey } from './i18n/index.js';
import type { ConsoleSession } from './session.js';

// The auditor's side of the audit log in the console. The listing is the server's word;
// verification and anchors are the SDK's (`tipline audit verify` / `audit anchor`), run
// in this page against the agency pin the auditor typed or chose at sign-in.

export const isAuditor = (s: ConsoleSession) => s.client.session.roles.includes('auditor');

/** The filters as typed in the form; empty means "any". */
export interface LogFilter { staffId: string; caseId: string; action: string; since: string; until: string }
export const NO_FILTER: LogFilter = { staffId: '', caseId: '', action: '', since: '', until: '' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTION = /^[a-z][a-z0-9_.]{0,79}$/;

/** The query the server takes, or the catalogue key of what is wrong with the form (caught before any request). */
export function filterQuery(f: LogFilter): { filter: AuditFilter } | { invalid: MessageKey } {
  const caseId = f.caseId.trim().toLowerCase();
  const action = f.action.trim();
  if (caseId && !UUID.test(caseId)) return { invalid: 'audit.filter.caseInvalid' };
  if (action && !ACTION.test(action)) return { invalid: 'audit.filter.actionInvalid' };
  const filter: AuditFilter = {};
  if (f.staffId) filter.staffId = f.staffId;
  if (caseId) filter.caseId = caseId;
  if (action) filter.action = action;
  if (f.since) filter.since = f.since;
  if (f.until) filter.until = f.until;
  return { filter };
}

export const whyKey = (reason: BreakReason): MessageKey => `audit.why.${reason}`;

/** An anchor file's text, read in the page; a catalogue key when it is not one of this agency's. */
export function readAnchorFile(s: ConsoleSession, text: string): { anchor: AuditAnchor } | { invalid: MessageKey } {
  let anchor: AuditAnchor;
  try { anchor = anchorFromJson(text); } catch { return { invalid: 'audit.verify.anchorInvalid' }; }
  return anchor.agencyId === s.agencyId ? { anchor } : { invalid: 'audit.verify.anchorOther' };
}

export type Verified = { report: AuditReport } | { refused: MessageKey };

/**
 * Verifies the whole chain (and the anchor, when one was chosen) with the SDK. A bundle
 * history or an anchor that does not check out is a refusal, said in words: that is what a
 * lying server looks like.
 */
export async function verifyLog(s: ConsoleSession, anchor: AuditAnchor | null, onProgress: (checked: number, total: number) => void): Promise<Verified> {
  const pin = await s.client.trust.pinned(s.agencyId);
  if (!pin) return { refused: 'audit.verify.bundles' };
  try {
    return { report: await verifyAuditViaApi(s.client, { pinnedFingerprint: pin.fingerprint, anchors: anchor ? [anchor] : [] }, onProgress) };
  } catch (err) {
    if (err instanceof AnchorRefusedError) return { refused: 'audit.verify.anchorUnsigned' };
    if (err instanceof TiplineCryptoError) return { refused: 'audit.verify.bundles' };
    throw err;
  }
}

/** Signs the verified head and hands the file to the browser as a download: no copy goes to the server. */
export async function downloadAnchor(s: ConsoleSession, report: AuditReport): Promise<{ seq: string; file: string } | null> {
  const anchor = await signAnchor(s.client, s.keys, report);
  if (!anchor) return null;
  const file = `audit-anchor-${anchor.seq}.json`;
  offerDownload(new Blob([anchorToJson(anchor)], { type: 'application/json' }), file);
  return { seq: anchor.seq, file };
}
