import { generateStaffKeys, signDetached, type Backend, type SignedKind, type StaffKeys } from '../../src/protocol/index.js';
import { fromHex } from '../../src/protocol/bytes.js';
import { auditChainHead } from './build-audit.js';
import { AGENCY_ID, CASE_ID, OTHER_AGENCY_ID, OTHER_CASE_ID, flip, hex, itemId, seededBackend, staffId } from './fixtures.js';
import { SIGNED_BYTES } from './signature-fields.js';

// One accepted signature per kind, then for each kind the refusals a verifier must make:
// another key, one field altered (the signature moved to another case, request,
// recipient, state or origin), and the same bytes signed under another kind's label.
// Each accepted one carries its signer's seed: Ed25519 is deterministic, so a signer can
// reproduce the signature byte for byte. The audit anchor signs the head of the chain
// in audit-row.json.

type Fields = Record<string, unknown>;

function signedFields(be: Backend, base: Backend): Record<string, Fields> {
  const bytes = (n: number) => hex(be.randomBytes(n));
  const head = auditChainHead(base);
  const notice = { messageId: itemId(20), ciphertext: bytes(296) };
  return {
    login: { origin: 'https://tipline.example.gov.vn', nonce: bytes(32), staffId: staffId(1) },
    grant: { caseId: CASE_ID, recipientId: staffId(2), wrapped: bytes(114) },
    message: { caseId: CASE_ID, messageId: itemId(1), ciphertext: bytes(296) },
    transition: {
      caseId: CASE_ID, action: 'conclude', from: 'VERIFYING', to: 'CONCLUDED', onDay: '2025-06-30', reason: bytes(312), notice,
      finding: 'partly_true', extension: null, legalBasis: 'Điều 35 khoản 1',
    },
    'identity-request': { subjectId: CASE_ID, requestId: itemId(2), reason: bytes(296) },
    'identity-decision': { requestId: itemId(2), approve: true, payload: bytes(115) },
    'protection-decision': { protectionRequestId: itemId(3), caseId: CASE_ID, granted: true, onDay: '2025-06-30', reason: bytes(296), notice },
    'audit-anchor': { agencyId: AGENCY_ID, seq: head.seq, hash: hex(head.hash) },
    proposal: {
      caseId: CASE_ID, proposalId: itemId(6), action: 'extend', onDay: '2025-06-30', body: bytes(312),
      finding: null, extension: { complexity: 'complex', days: 30 },
    },
  };
}

/** The field each kind's 'altered' vector changes, and to what. */
const ALTERED: Record<string, [string, string, unknown]> = {
  login: ['origin relayed by another site', 'origin', 'https://tipline.example.gov.vn.relay.example'],
  grant: ['grant re-pointed at another recipient', 'recipientId', staffId(3)],
  message: ['message moved to another case', 'caseId', OTHER_CASE_ID],
  transition: ['transition moved to another case', 'caseId', OTHER_CASE_ID],
  'identity-request': ['identity request moved to another case', 'subjectId', OTHER_CASE_ID],
  'identity-decision': ['decision moved to another request', 'requestId', itemId(4)],
  'protection-decision': ['protection decision moved to another case', 'caseId', OTHER_CASE_ID],
  'audit-anchor': ['anchor moved to a later row', 'seq', '1033'],
  proposal: ['proposal moved to another case', 'caseId', OTHER_CASE_ID],
};

/** A second alteration where one field is not enough to show what the signature binds (a function: of the fields). */
const ALSO_ALTERED: [string, string, string, unknown][] = [
  ['transition', 'transition to another state', 'to', 'TERMINATED'],
  ['transition', 'transition on another day', 'onDay', '2025-07-01'],
  ['transition', 'transition with another finding', 'finding', 'true'],
  ['identity-decision', 'refusal presented as an approval', 'approve', false],
  ['protection-decision', 'refusal presented as a grant', 'granted', false],
  ['protection-decision', 'decision moved to another protection request', 'protectionRequestId', itemId(5)],
  ['audit-anchor', 'anchor over a recomputed chain: another hash at its row', 'hash', (f: Fields) => hex(flip(fromHex(f['hash'] as string), 31))],
  ['audit-anchor', 'anchor moved to another agency', 'agencyId', OTHER_AGENCY_ID],
  ['proposal', 'proposal presented as a decline', 'action', 'decline'],
  ['proposal', 'proposal with a longer extension', 'extension', { complexity: 'complex', days: 60 }],
];

/** The kind whose label signs the bytes in each kind-confusion vector. */
const CONFUSED_WITH: Record<string, SignedKind> = {
  login: 'grant', grant: 'message', message: 'grant', transition: 'message',
  'identity-request': 'message', 'identity-decision': 'protection-decision', 'protection-decision': 'identity-decision',
  'audit-anchor': 'grant', proposal: 'transition',
};

export function buildSignatureVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/signature');
  const keys = generateStaffKeys(be);
  const other = generateStaffKeys(be);
  const out: object[] = [];
  const vector = (name: string, expect: string, kind: string, fields: Fields, signature: Uint8Array, publicKey = keys.signPublicKey) => ({
    name, expect, kind, signPublicKey: hex(publicKey), ...(expect === 'ok' ? { signSeed: hex(keys.signSecretKey.subarray(0, 32)) } : {}),
    fields, message: hex(SIGNED_BYTES[kind]!(be, fields)), signature: hex(signature),
  });
  const all = signedFields(be, base);
  for (const [kind, fields] of Object.entries(all)) {
    const message = SIGNED_BYTES[kind]!(be, fields);
    const signature = signDetached(be, kind as SignedKind, message, keys.signSecretKey);
    const [alteredName, field, value] = ALTERED[kind]!;
    out.push(
      vector(`${kind} signature verifies`, 'ok', kind, fields, signature),
      vector(`${kind} signature under another staff key`, 'rejected', kind, fields, signature, other.signPublicKey),
      vector(alteredName, 'rejected', kind, { ...fields, [field]: value }, signature),
      vector(`${CONFUSED_WITH[kind]} signature presented as ${kind}`, 'rejected', kind, fields, signDetached(be, CONFUSED_WITH[kind]!, message, keys.signSecretKey)),
    );
  }
  for (const [kind, name, field, value] of ALSO_ALTERED) {
    const message = SIGNED_BYTES[kind]!(be, all[kind]!);
    const altered = typeof value === 'function' ? (value as (f: Fields) => unknown)(all[kind]!) : value;
    out.push(vector(name, 'rejected', kind, { ...all[kind], [field]: altered }, signDetached(be, kind as SignedKind, message, keys.signSecretKey)));
  }
  // A decision to go on after a full withdrawal names its ground (§8.3.4), appended only
  // when present. Built from the transition's fields, so no vector above changes.
  const goesOn: Fields = { ...all.transition, action: 'continue_settlement', from: 'WITHDRAWAL_REVIEW', to: 'VERIFYING', finding: null, legalBasis: null, ground: 'coercion' };
  const goesOnSignature = signDetached(be, 'transition', SIGNED_BYTES.transition!(be, goesOn), keys.signSecretKey);
  out.push(
    vector('transition naming a ground verifies', 'ok', 'transition', goesOn, goesOnSignature),
    vector('transition with another ground', 'rejected', 'transition', { ...goesOn, ground: 'slander' }, goesOnSignature),
    vector('transition with its ground stripped', 'rejected', 'transition', { ...goesOn, ground: null }, goesOnSignature),
  );
  const grant = SIGNED_BYTES.grant!(be, all.grant!);
  out.push(vector('grant signature byte flipped', 'rejected', 'grant', all.grant!, flip(signDetached(be, 'grant', grant, keys.signSecretKey), 63)));
  // What follows a conclusion (VN-2026) names its limb in the same slot: the measure a
  // handling records (Law Art. 36(1)), who monitors (Decree 31 Art. 18(2)). Appended last,
  // so every vector above keeps its place and bytes.
  const handled: Fields = { ...all.transition, action: 'handle_conclusion', from: 'CONCLUDED', to: 'CONCLUDED', notice: null, finding: null, legalBasis: null, ground: 'false_denouncer_handled' };
  const handledSignature = signDetached(be, 'transition', SIGNED_BYTES.transition!(be, handled), keys.signSecretKey);
  const monitored: Fields = { ...all.transition, action: 'monitor', from: 'CONCLUDED', to: 'MONITORING', notice: null, finding: null, legalBasis: null, ground: 'advisory_unit' };
  const monitoredSignature = signDetached(be, 'transition', SIGNED_BYTES.transition!(be, monitored), keys.signSecretKey);
  out.push(
    vector('transition naming a handling measure verifies', 'ok', 'transition', handled, handledSignature),
    vector('transition with another handling measure', 'rejected', 'transition', { ...handled, ground: 'rights_restored' }, handledSignature),
    vector('transition naming who monitors verifies', 'ok', 'transition', monitored, monitoredSignature),
    vector('transition with another monitoring body', 'rejected', 'transition', { ...monitored, ground: 'inspectorate' }, monitoredSignature),
    vector('transition with who monitors stripped', 'rejected', 'transition', { ...monitored, ground: null }, monitoredSignature),
  );
  // The track of anonymous information names the case of Law Art. 25(1) that sends it
  // there, and a false denunciation's sanction its kind (Art. 65), in the same slot.
  // Appended last again.
  const information: Fields = { ...all.transition, action: 'classify_information', from: 'RECEIVED', to: 'INFORMATION', notice: null, finding: null, legalBasis: null, ground: 'false_name' };
  const informationSignature = signDetached(be, 'transition', SIGNED_BYTES.transition!(be, information), keys.signSecretKey);
  const sanctioned: Fields = { ...all.transition, action: 'record_false_denunciation', from: 'CLOSED', to: 'CLOSED', notice: null, finding: null, legalBasis: null, ground: 'administrative_fine' };
  const sanctionedSignature = signDetached(be, 'transition', SIGNED_BYTES.transition!(be, sanctioned), keys.signSecretKey);
  out.push(
    vector('transition naming why information is not a denunciation verifies', 'ok', 'transition', information, informationSignature),
    vector('transition with another case of Art. 25(1)', 'rejected', 'transition', { ...information, ground: 'no_name' }, informationSignature),
    vector('transition naming a sanction verifies', 'ok', 'transition', sanctioned, sanctionedSignature),
    vector('transition with another sanction', 'rejected', 'transition', { ...sanctioned, ground: 'discipline' }, sanctionedSignature),
  );
  out.push(...reshareVectors(be, vector));
  out.push(...rotationVectors(be, keys, other, vector));
  out.push(...protectionStepVectors(be, keys, other, vector));
  // A conclusion's figures (money in đồng, land in m², persons), appended after the ground
  // slot only when present: every vector above keeps its bytes.
  const figures = { recoveryMoney: 1_250_000_000, recoveryLand: 340, returnedMoney: 75_500_000, returnedLand: 0, sanctionPersons: 3, sanctionOfficials: 2, referredPersons: 1 };
  const counted: Fields = { ...all.transition, figures };
  const countedSignature = signDetached(be, 'transition', SIGNED_BYTES.transition!(be, counted), keys.signSecretKey);
  out.push(
    vector('conclusion carrying its figures verifies', 'ok', 'transition', counted, countedSignature),
    vector('conclusion with a figure inflated', 'rejected', 'transition', { ...counted, figures: { ...figures, recoveryMoney: 12_500_000_000 } }, countedSignature),
    vector('conclusion with its figures stripped', 'rejected', 'transition', { ...counted, figures: null }, countedSignature),
    vector('conclusion with figures it was not signed with', 'rejected', 'transition', { ...all.transition, figures }, signDetached(be, 'transition', SIGNED_BYTES.transition!(be, all.transition!), keys.signSecretKey)),
  );
  return out;
}

/**
 * The steps after a protection decision and the intake record of an urgent request
 * (§8.3.13–14), signed by the vectors' staff key. Drawn after every other vector, so none
 * of theirs changes. The second step is chained to the first by its signature.
 */
function protectionStepVectors(be: Backend, keys: StaffKeys, other: StaffKeys, vector: Vector): object[] {
  const noticeOf = () => ({ messageId: itemId(41), ciphertext: hex(be.randomBytes(296)) });
  const first: Fields = {
    protectionRequestId: itemId(3), caseId: CASE_ID, seq: 1, previous: null, step: 'change', ground: 'on_request', onDay: '2026-07-06',
    record: hex(be.randomBytes(312)), notice: noticeOf(),
  };
  const signed = (kind: SignedKind, fields: Fields) => signDetached(be, kind, SIGNED_BYTES[kind]!(be, fields), keys.signSecretKey);
  const firstSig = signed('protection-step', first);
  const second: Fields = { ...first, seq: 2, previous: hex(firstSig), step: 'end', ground: 'breach', onDay: '2026-07-20', record: hex(be.randomBytes(312)), notice: noticeOf() };
  const secondSig = signed('protection-step', second);
  const confirm: Fields = { ...first, step: 'confirm_writing', ground: '', notice: null };
  const confirmSig = signed('protection-step', confirm);
  const intake: Fields = { protectionRequestId: itemId(3), caseId: CASE_ID, channel: 'phone', onDay: '2026-07-03', threshold: 2, details: hex(be.randomBytes(600)) };
  const intakeSig = signed('protection-intake', intake);
  return [
    vector('protection-step signature verifies', 'ok', 'protection-step', first, firstSig),
    vector('protection-step signature under another staff key', 'rejected', 'protection-step', first, firstSig, other.signPublicKey),
    vector('protection step moved to another protection request', 'rejected', 'protection-step', { ...first, protectionRequestId: itemId(5) }, firstSig),
    vector('protection step moved to another case', 'rejected', 'protection-step', { ...first, caseId: OTHER_CASE_ID }, firstSig),
    vector('protection step with another ground', 'rejected', 'protection-step', { ...first, ground: 'on_initiative' }, firstSig),
    vector('protection change presented as an end', 'rejected', 'protection-step', { ...first, step: 'end' }, firstSig),
    vector('chained protection step verifies', 'ok', 'protection-step', second, secondSig),
    vector('protection step re-pointed after another step', 'rejected', 'protection-step', { ...second, previous: hex(confirmSig) }, secondSig),
    vector('protection step moved to another place in the chain', 'rejected', 'protection-step', { ...second, seq: 3 }, secondSig),
    vector('protection step with its notice stripped', 'rejected', 'protection-step', { ...second, notice: null }, secondSig),
    vector('written confirmation with no ground and no notice verifies', 'ok', 'protection-step', confirm, confirmSig),
    vector('protection-decision signature presented as protection-step', 'rejected', 'protection-step', first,
      signDetached(be, 'protection-decision', SIGNED_BYTES['protection-step']!(be, first), keys.signSecretKey)),
    vector('protection-intake signature verifies', 'ok', 'protection-intake', intake, intakeSig),
    vector('protection-intake signature under another staff key', 'rejected', 'protection-intake', intake, intakeSig, other.signPublicKey),
    vector('intake record moved to another case', 'rejected', 'protection-intake', { ...intake, caseId: OTHER_CASE_ID }, intakeSig),
    vector('intake record by phone presented as in person', 'rejected', 'protection-intake', { ...intake, channel: 'in_person' }, intakeSig),
    vector('intake record over other details', 'rejected', 'protection-intake', { ...intake, details: hex(flip(fromHex(intake['details'] as string), 0)) }, intakeSig),
    vector('protection-step signature presented as protection-intake', 'rejected', 'protection-intake', intake,
      signDetached(be, 'protection-step', SIGNED_BYTES['protection-intake']!(be, intake), keys.signSecretKey)),
  ];
}

type Vector = (name: string, expect: string, kind: string, fields: Fields, signature: Uint8Array, publicKey?: Uint8Array) => object;

/** The reshare kinds (§8.3.9–10), appended last so that every vector above keeps its bytes. */
function reshareVectors(be: Backend, vector: Vector): object[] {
  const keys = { plan: generateStaffKeys(be), part: generateStaffKeys(be) };
  const plan: Fields = {
    agencyId: AGENCY_ID, reshareId: itemId(30), onDay: '2026-03-02', bundleSerial: 8, threshold: 3,
    from: [staffId(200), staffId(201)], to: [staffId(200), staffId(210), staffId(211), staffId(212), staffId(213)],
  };
  const part: Fields = { reshareId: itemId(30), subjectId: CASE_ID, wrapped: Array.from({ length: 5 }, () => hex(be.randomBytes(116))) };
  const out: object[] = [];
  const cases: [string, Fields, keyof typeof keys, [string, string, unknown][]][] = [
    ['reshare-plan', plan, 'plan', [
      ['plan with another threshold', 'threshold', 2],
      ['plan to another new set', 'to', [staffId(200), staffId(210), staffId(211), staffId(212), staffId(214)]],
      ['plan naming another bundle', 'bundleSerial', 9],
    ]],
    ['reshare-part', part, 'part', [
      ['part moved to another subject', 'subjectId', OTHER_CASE_ID],
      ['part with two sub-shares swapped', 'wrapped', [part['wrapped'] as string[]].map((w) => [w[1], w[0], ...w.slice(2)])[0]],
    ]],
  ];
  for (const [kind, fields, who, altered] of cases) {
    const k = keys[who];
    const signature = signDetached(be, kind as SignedKind, SIGNED_BYTES[kind]!(be, fields), k.signSecretKey);
    out.push(
      { ...vector(`${kind} signature verifies`, 'ok', kind, fields, signature, k.signPublicKey), signSeed: hex(k.signSecretKey.subarray(0, 32)) },
      vector(`${kind} signature under another staff key`, 'rejected', kind, fields, signature, keys[who === 'plan' ? 'part' : 'plan'].signPublicKey),
      ...altered.map(([name, field, value]) => vector(name, 'rejected', kind, { ...fields, [field]: value }, signature, k.signPublicKey)),
      vector(`grant signature presented as ${kind}`, 'rejected', kind, fields, signDetached(be, 'grant', SIGNED_BYTES[kind]!(be, fields), k.signSecretKey), k.signPublicKey),
    );
  }
  return out;
}

/**
 * A key rotation (§7.1) and a key re-sealed by it (§8.3.12), signed by the vectors'
 * staff key as the old key. Drawn after every other vector, so none of theirs changes.
 */
function rotationVectors(be: Backend, keys: StaffKeys, other: StaffKeys, vector: Vector): object[] {
  const next = generateStaffKeys(be);
  const rotation: Fields = {
    agencyId: AGENCY_ID, staffId: staffId(2),
    oldSignPublicKey: hex(keys.signPublicKey), oldBoxPublicKey: hex(keys.boxPublicKey),
    newSignPublicKey: hex(next.signPublicKey), newBoxPublicKey: hex(next.boxPublicKey),
  };
  const rekey: Fields = { wrapKind: 1, subjectId: CASE_ID, staffId: staffId(2), originDigest: hex(be.randomBytes(32)), wrapped: hex(be.randomBytes(114)) };
  const signed = (kind: SignedKind, fields: Fields) => signDetached(be, kind, SIGNED_BYTES[kind]!(be, fields), keys.signSecretKey);
  const rotationSig = signed('rotation', rotation);
  const rekeySig = signed('rekey', rekey);
  return [
    vector('rotation signature verifies', 'ok', 'rotation', rotation, rotationSig),
    vector('rotation signature under another staff key', 'rejected', 'rotation', rotation, rotationSig, other.signPublicKey),
    vector('rotation to another box key', 'rejected', 'rotation', { ...rotation, newBoxPublicKey: hex(other.boxPublicKey) }, rotationSig),
    vector('rotation of another member', 'rejected', 'rotation', { ...rotation, staffId: staffId(3) }, rotationSig),
    vector('rekey signature presented as rotation', 'rejected', 'rotation', rotation, signDetached(be, 'rekey', SIGNED_BYTES.rotation!(be, rotation), keys.signSecretKey)),
    vector('rekey signature verifies', 'ok', 'rekey', rekey, rekeySig),
    vector('rekey signature under another staff key', 'rejected', 'rekey', rekey, rekeySig, other.signPublicKey),
    vector('rekey moved to another case', 'rejected', 'rekey', { ...rekey, subjectId: OTHER_CASE_ID }, rekeySig),
    vector('rekey of a content key presented as a share', 'rejected', 'rekey', { ...rekey, wrapKind: 3 }, rekeySig),
    vector('rekey with another origin', 'rejected', 'rekey', { ...rekey, originDigest: hex(flip(fromHex(rekey['originDigest'] as string), 0)) }, rekeySig),
    vector('grant signature presented as rekey', 'rejected', 'rekey', rekey, signDetached(be, 'grant', SIGNED_BYTES.rekey!(be, rekey), keys.signSecretKey)),
  ];
}
