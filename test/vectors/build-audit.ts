import { sha256 } from '@noble/hashes/sha2.js';
import { AUDIT_GENESIS, auditRowBytes, auditRowHash, type AuditRow } from '../../src/protocol/audit-chain.js';
import { signedEntryJson } from '../../src/protocol/audit-signed.js';
import { concat, utf8 } from '../../src/protocol/bytes.js';
import { generateStaffKeys, grantSigningBytes, signDetached, type Backend } from '../../src/protocol/index.js';
import { LABEL } from '../../src/protocol/labels.js';
import { AGENCY_ID, CASE_ID, hex, seededBackend, staffId } from './fixtures.js';

// One agency's audit chain (PROTOCOL.md §14), row by row: the exact bytes each row's
// hash is taken over and the hash. The seqs have gaps, as a chain's do (seq is drawn
// for every chain at once), and each detail is written with its members out of order,
// so only a canonical serialisation gets the bytes.

type Row = AuditRow & { detail: Record<string, unknown> };

function chainRows(be: Backend): { rows: Row[]; signer: Uint8Array } {
  const intake = generateStaffKeys(be);
  const wrapped = be.randomBytes(114);
  const grant = grantSigningBytes(CASE_ID, staffId(3), wrapped, be);
  const signed = signedEntryJson({ kind: 'grant', signer: staffId(2), bytes: grant, signature: signDetached(be, 'grant', grant, intake.signSecretKey) });
  const row = (seq: string, at: string, staff: string | null, action: string, caseId: string | null, detail: Record<string, unknown>): Row =>
    ({ seq, at, agencyId: AGENCY_ID, staffId: staff, action, caseId, detail });
  return {
    rows: [
      // Written by the server alone: no staff actor, no signature.
      row('1027', '2025-06-30T01:15:02.417Z', null, 'agency.create', null, { slug: 'thanh-tra-ha-noi', adminId: staffId(1) }),
      row('1028', '2025-06-30T01:20:40.005Z', staffId(1), 'staff.invite', null, { roles: ['intake', 'custodian'], invitee: staffId(2) }),
      row('1031', '2025-07-01T09:02:13.900Z', staffId(2), 'case.grant', CASE_ID, { transfer: false, signed, recipient: staffId(3) }),
      row('1032', '2025-07-01T09:30:00.000Z', staffId(4), 'calendar.add', null, {
        name: 'Giỗ Tổ Hùng Vương — "10/3 âm lịch"', day: '2026-04-26', kind: 'holiday', version: 2, recomputed: 3,
      }),
    ],
    signer: intake.signPublicKey,
  };
}

/** The chain's head: the row an auditor anchors (signature.json, kind audit-anchor). */
export function auditChainHead(base: Backend): { seq: string; hash: Uint8Array } {
  const { rows } = chainRows(seededBackend(base, 'tipline/vectors/audit-row'));
  let prev: Uint8Array = AUDIT_GENESIS;
  for (const r of rows) prev = auditRowHash(prev, r);
  return { seq: rows[rows.length - 1]!.seq, hash: prev };
}

export function buildAuditRowVectors(base: Backend): object[] {
  const { rows, signer } = chainRows(seededBackend(base, 'tipline/vectors/audit-row'));
  const names = [
    'first row of the chain, written by the server alone',
    'staff action without a signature',
    'signed grant: detail.signed is hashed with the row',
    'non-ASCII text, quotes and a number in detail',
  ];
  const out: object[] = [];
  const prevs: Uint8Array[] = [];
  let prev: Uint8Array = AUDIT_GENESIS;
  rows.forEach((r, i) => {
    prevs.push(prev);
    const hashed = auditRowBytes(prev, r);
    const hash = sha256(hashed);
    out.push({
      name: names[i], expect: 'ok', prevHash: hex(prev), ...r,
      ...(r.detail['signed'] ? { signPublicKey: hex(signer) } : {}),
      hashed: hex(hashed), hash: hex(hash),
    });
    prev = hash;
  });
  const hashOf = (i: number) => hex(auditRowHash(prevs[i]!, rows[i]!));
  const refused = (name: string, i: number, over: Record<string, unknown>) => ({ name, expect: 'rejected', prevHash: hex(prevs[i]!), ...rows[i], ...over, hash: hashOf(i) });
  // The calendar row hashed with its members in the order written instead of sorted.
  const calendar = rows[3]!;
  const unsorted = JSON.stringify([calendar.seq, calendar.at, calendar.agencyId, calendar.staffId, calendar.action, calendar.caseId, calendar.detail]);
  out.push(
    refused('grant row whose detail was altered after hashing', 2, { detail: { ...rows[2]!.detail, transfer: true } }),
    refused('row linked to the genesis instead of its predecessor', 1, { prevHash: hex(AUDIT_GENESIS) }),
    refused('row renumbered', 1, { seq: '1029' }),
    refused('row backdated by one millisecond', 3, { at: '2025-07-01T09:29:59.999Z' }),
    {
      name: 'hash over the members in written order, not sorted', expect: 'rejected', prevHash: hex(prevs[3]!), ...calendar,
      hash: hex(sha256(concat(utf8(LABEL.auditRow), Uint8Array.of(0x00), prevs[3]!, utf8(unsorted)))),
    },
  );
  return out;
}
