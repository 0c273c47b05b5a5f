import { fromBase64Url, grantContentKey, loadBackend, signDetached, toBase64Url, unwrapContentKey, type KeyPair, type StaffKeys } from '../protocol/index.js';
import { grantSigningBytes } from '../protocol/signing-bytes.js';
import { CASE_READER_ROLES } from '../domain/index.js';
import type { StaffClient } from './staff.js';
import { StaffTrustError } from './staff-trust.js';

// The recovery drill (PROTOCOL.md §9.1), on the intake officer's machine, with the
// recovery key rebuilt in memory from m paper shares: each case whose content key was
// wrapped to the recovery recipient is unwrapped and re-granted, by an ordinary grant the
// officer signs, to a member the agency's verified bundle lists. The recovery key's
// public half is taken from that bundle, never from the server's word.

export interface RecoveredCase { caseId: string; publicNumber: string; outcome: 'granted' | 'held' | 'refused' }

export type RecoveryProgress = (p: { done: number; case: RecoveredCase }) => void;

/** The recovery recipient's public key from the agency's verified bundle; none listed is recovery_disabled. */
export async function recoveryPublicKey(c: StaffClient): Promise<Uint8Array> {
  const bundle = await c.verifiedBundle();
  if (!bundle.recovery) {
    throw new StaffTrustError('recovery_disabled', `the agency's signed bundle (serial ${bundle.serial}) lists no recovery recipient: no case was sealed to one`);
  }
  return fromBase64Url(bundle.recovery.boxPublicKey);
}

interface ServedRecoveryKey { caseId: string; publicNumber: string; wrapped: string }

/** Every case of the agency sealed to the recovery recipient, a page at a time. */
export async function* recoveryKeys(c: StaffClient, pageSize = 100): AsyncGenerator<ServedRecoveryKey> {
  let after: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ limit: String(pageSize), ...(after ? { after } : {}) });
    const { keys } = await c.http.get<{ keys: ServedRecoveryKey[] }>(`/v1/staff/recovery/keys?${q}`);
    yield* keys;
    if (keys.length < pageSize) return;
    after = keys.at(-1)!.caseId;
  }
}

/**
 * Re-grants cases to `recipientStaffId` (all, or those named in `only`, by case id or
 * public number) with the rebuilt recovery key pair, signing each grant with `keys` (the
 * intake officer's). A case whose recovery key does not open under it (damaged, or
 * wrapped for another case) is refused and skipped; the recipient's client checks the
 * key against the envelope's commitment when it opens the case, as for every grant.
 */
export async function recoverCases(
  c: StaffClient,
  input: { recovery: KeyPair; recipientStaffId: string; keys: StaffKeys; only?: readonly string[]; onProgress?: RecoveryProgress },
): Promise<RecoveredCase[]> {
  const be = await loadBackend();
  const agencyId = c.session.agencyId;
  const boxKey = await c.staffBoxKey(input.recipientStaffId, agencyId, CASE_READER_ROLES);
  const wanted = input.only && new Set(input.only.map((s) => s.toLowerCase()));
  const done: RecoveredCase[] = [];
  for await (const k of recoveryKeys(c)) {
    if (wanted && !wanted.has(k.caseId) && !wanted.has(k.publicNumber.toLowerCase())) continue;
    const outcome = await regrant(c, be, { ...input, agencyId, boxKey }, k);
    const entry = { caseId: k.caseId, publicNumber: k.publicNumber, outcome };
    done.push(entry);
    input.onProgress?.({ done: done.length, case: entry });
  }
  return done;
}

async function regrant(
  c: StaffClient, be: Awaited<ReturnType<typeof loadBackend>>,
  o: { recovery: KeyPair; recipientStaffId: string; keys: StaffKeys; agencyId: string; boxKey: Uint8Array }, k: ServedRecoveryKey,
): Promise<RecoveredCase['outcome']> {
  let contentKey: Uint8Array;
  try {
    contentKey = unwrapContentKey(be, { agencyId: o.agencyId, caseId: k.caseId }, fromBase64Url(k.wrapped), o.recovery);
  } catch {
    return 'refused';
  }
  const wrapped = grantContentKey(be, { agencyId: o.agencyId, caseId: k.caseId }, contentKey, o.boxKey);
  contentKey.fill(0);
  const signature = signDetached(be, 'grant', grantSigningBytes(k.caseId, o.recipientStaffId, wrapped, be), o.keys.signSecretKey);
  try {
    await c.http.post(`/v1/staff/cases/${k.caseId}/recovery-grant`, { staffId: o.recipientStaffId, wrapped: toBase64Url(wrapped), signature: toBase64Url(signature) });
    return 'granted';
  } catch (err) {
    // Already held by the recipient (a drill run twice): nothing to do.
    if ((err as { code?: string }).code === 'conflict') return 'held';
    throw err;
  }
}
