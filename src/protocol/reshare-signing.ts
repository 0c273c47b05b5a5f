import type { Backend } from './backend.js';
import { concat, uuidBytes } from './bytes.js';
import { inputInvalid } from './errors.js';
import { MAX_CUSTODIANS } from './identity.js';
import { PROTOCOL_VERSION } from './labels.js';
import { dayBytes } from './signing-bytes.js';

// The two signed layouts of a reshare (PROTOCOL.md §6.2, §8.3.9–10): the admin's plan
// and each old custodian's part for one subject. Built here for the signer and for every
// verifier, never taken from the signer.

/** A reshare as the admin fixes it: who takes part, who receives (x' = position + 1), the new m'. */
export interface ResharePlan {
  agencyId: string;
  reshareId: string;
  /** The day the plan is made: the old custodians' keys are those the bundles in force that day list. */
  onDay: string;
  /** The serial of the bundle that lists the new custodians and the new threshold. */
  bundleSerial: number;
  threshold: number;
  /** The old custodians who re-split their shares. */
  from: readonly string[];
  /** The new custodians, in the order that gives their x coordinates. */
  to: readonly string[];
}

const ids = (list: readonly string[]) => {
  if (list.length === 0 || list.length > MAX_CUSTODIANS || new Set(list).size !== list.length) throw inputInvalid();
  return concat(Uint8Array.of(list.length), ...list.map(uuidBytes));
};

/**
 * V || agencyId(16) || reshareId(16) || day(10) || u32be(bundleSerial) || m'(1)
 * || u8(k) || from(16·k) || u8(n') || to(16·n')
 */
export function resharePlanSigningBytes(p: ResharePlan): Uint8Array {
  const s = p.bundleSerial;
  if (!Number.isInteger(s) || s < 1 || s > 0xffffffff) throw inputInvalid();
  if (!Number.isInteger(p.threshold) || p.threshold < 1 || p.threshold > p.to.length) throw inputInvalid();
  return concat(
    Uint8Array.of(PROTOCOL_VERSION), uuidBytes(p.agencyId), uuidBytes(p.reshareId), dayBytes(p.onDay),
    Uint8Array.of(s >>> 24, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff, p.threshold), ids(p.from), ids(p.to),
  );
}

/**
 * V || reshareId(16) || subjectId(16) || u8(n') || H(32, wrapped_1) || … || H(32, wrapped_n'):
 * one old custodian's sub-shares of one subject (the case, or the protection request, §6.1),
 * sealed to the plan's new custodians in the plan's order.
 */
export function resharePartSigningBytes(reshareId: string, subjectId: string, wrapped: readonly Uint8Array[], be: Backend): Uint8Array {
  if (wrapped.length === 0 || wrapped.length > MAX_CUSTODIANS) throw inputInvalid();
  return concat(
    Uint8Array.of(PROTOCOL_VERSION), uuidBytes(reshareId), uuidBytes(subjectId), Uint8Array.of(wrapped.length),
    ...wrapped.map((w) => be.blake2b(32, w)),
  );
}
