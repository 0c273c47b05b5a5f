import {
  deriveReceiptKeys,
  generateReceipt,
  generateStaffKeys,
  grantContentKey,
  sealCase,
  type Backend,
} from '../../src/protocol/index.js';
import { sealEnvelope } from '../../src/protocol/envelope.js';
import { WRAP_KIND } from '../../src/protocol/labels.js';
import { wrapKey } from '../../src/protocol/wrap.js';
import { AGENCY_ID, CASE_ID, CTX, OTHER_AGENCY_ID, OTHER_CASE_ID, flip, hex, seededBackend, staffId } from './fixtures.js';

const BODY = new TextEncoder().encode(
  JSON.stringify({ kind: 'denunciation', summary: { what: 'Bid rigging in the 2024 road tender' }, attachments: [] }),
);

/** Envelope field offsets, as in PROTOCOL.md §Case envelope. */
const FIELDS = { magic: 0, version: 4, algorithm: 5, agencyId: 6, caseId: 22, commitment: 38, nonce: 70, ciphertext: 94 };

export async function buildCaseVectors(base: Backend): Promise<object[]> {
  const be = seededBackend(base, 'tipline/vectors/case');
  const intake = generateStaffKeys(be);
  const investigator = generateStaffKeys(be);
  const outsider = generateStaffKeys(be);
  const receipt = generateReceipt(be);
  const reply = deriveReceiptKeys(be, receipt).replyKeyPair;
  const sealed = await sealCase(be, {
    ctx: CTX,
    body: BODY,
    recipients: [{ staffId: staffId(1), boxPublicKey: intake.boxPublicKey }],
    denouncerPublicKey: reply.publicKey,
  });
  const intakeWrapped = sealed.recipientKeys[0]!.wrapped;
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}) => ({
    name,
    expect,
    agencyId: AGENCY_ID,
    caseId: CASE_ID,
    recipientSecretKey: hex(intake.boxSecretKey),
    recipientPublicKey: hex(intake.boxPublicKey),
    wrapped: hex(intakeWrapped),
    envelope: hex(sealed.envelope),
    ...over,
    ...(expect === 'ok' ? { body: hex(BODY) } : {}),
  });
  return [
    vector('intake recipient opens the case', 'ok'),
    vector('denouncer opens the case with the receipt', 'ok', {
      receipt,
      recipientSecretKey: hex(reply.secretKey),
      recipientPublicKey: hex(reply.publicKey),
      wrapped: hex(sealed.denouncerKey),
    }),
    ...grantVectors(be, { intake, investigator, outsider }, intakeWrapped, vector),
    ...envelopeFailures(sealed.envelope, vector),
    ...wrappedFailures(intakeWrapped, vector),
    vector('opened as another case', 'open_failed', { caseId: OTHER_CASE_ID }),
    vector('opened as another agency', 'open_failed', { agencyId: OTHER_AGENCY_ID }),
    vector('envelope moved from another case', 'open_failed', {
      envelope: hex(sealEnvelope(be, { agencyId: AGENCY_ID, caseId: OTHER_CASE_ID }, unwrapFor(base, intakeWrapped, intake), BODY)),
    }),
    vector('identity key offered as a content key', 'open_failed', {
      wrapped: hex(wrapKey(be, WRAP_KIND.identityKey, CTX, be.randomBytes(32), intake.boxPublicKey)),
    }),
  ];
}

type VectorFn = (name: string, expect: string, over?: Record<string, unknown>) => object;

function unwrapFor(be: Backend, wrapped: Uint8Array, keys: { boxPublicKey: Uint8Array; boxSecretKey: Uint8Array }) {
  const opened = be.boxSealOpen(wrapped, keys.boxPublicKey, keys.boxSecretKey);
  if (opened === null) throw new Error('fixture did not open');
  return opened.slice(34);
}

type Staff = ReturnType<typeof generateStaffKeys>;

function grantVectors(
  be: Backend,
  { intake, investigator, outsider }: { intake: Staff; investigator: Staff; outsider: Staff },
  intakeWrapped: Uint8Array,
  vector: VectorFn,
): object[] {
  const contentKey = unwrapFor(be, intakeWrapped, intake);
  return [
    vector('granted investigator opens the case', 'ok', {
      recipientSecretKey: hex(investigator.boxSecretKey),
      recipientPublicKey: hex(investigator.boxPublicKey),
      wrapped: hex(grantContentKey(be, CTX, contentKey, investigator.boxPublicKey)),
    }),
    vector('wrong recipient key', 'open_failed', {
      recipientSecretKey: hex(outsider.boxSecretKey),
      recipientPublicKey: hex(outsider.boxPublicKey),
    }),
  ];
}

function envelopeFailures(envelope: Uint8Array, vector: VectorFn): object[] {
  const out = Object.entries(FIELDS).map(([field, offset]) =>
    vector(`envelope ${field} byte flipped`, 'open_failed', { envelope: hex(flip(envelope, offset)) }),
  );
  const version2 = envelope.slice();
  version2[FIELDS.version] = 2;
  out.push(vector('envelope claims version 2', 'open_failed', { envelope: hex(version2) }));
  out.push(vector('envelope tag byte flipped', 'open_failed', { envelope: hex(flip(envelope, envelope.length - 1)) }));
  out.push(vector('envelope truncated by one byte', 'open_failed', { envelope: hex(envelope.slice(0, -1)) }));
  return out;
}

function wrappedFailures(wrapped: Uint8Array, vector: VectorFn): object[] {
  return [
    vector('wrapped key ephemeral public key flipped', 'open_failed', { wrapped: hex(flip(wrapped, 0)) }),
    vector('wrapped key tag flipped', 'open_failed', { wrapped: hex(flip(wrapped, 32)) }),
    vector('wrapped key payload flipped', 'open_failed', { wrapped: hex(flip(wrapped, 48)) }),
    vector('wrapped key truncated by one byte', 'open_failed', { wrapped: hex(wrapped.slice(0, -1)) }),
  ];
}
