import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBackend } from '../../src/protocol/index.js';
import { buildAuditRowVectors } from './build-audit.js';
import { buildCaseVectors } from './build-case.js';
import { buildIdentityVectors } from './build-identity.js';
import { buildBundleVectors } from './build-bundle.js';
import { buildAgencyKeyVectors } from './build-agency-key.js';
import { buildFingerprintVectors, buildKeyFileVectors, buildPowVectors, buildReceiptVectors } from './build-misc.js';
import { buildRecoveryVectors } from './build-recovery.js';
import { buildRequestReasonVectors } from './build-request-reason.js';
import { buildReshareVectors } from './build-reshare.js';
import { buildSignatureVectors } from './build-signature.js';
import { buildAttachmentVectors, buildMessageVectors } from './build-stream.js';
import { buildBundleV2Vectors, buildFingerprintV2Vectors, buildKeyFileV2Vectors } from './build-staff-v2.js';
import { buildWrapV2Vectors } from './build-wrap-v2.js';

/**
 * Builds every vector file from seeded randomness, so running it again must
 * reproduce the committed files byte for byte (test/vectors/vectors.test.ts
 * checks that).
 */
export async function buildVectorFiles(): Promise<Record<string, string>> {
  const be = await loadBackend('sodium');
  const files: Record<string, object[]> = {
    'receipt.json': buildReceiptVectors(be),
    'case.json': await buildCaseVectors(be),
    'identity.json': await buildIdentityVectors(be),
    'message.json': buildMessageVectors(be),
    'attachment.json': await buildAttachmentVectors(be),
    'bundle.json': buildBundleVectors(be),
    'agency-key.json': buildAgencyKeyVectors(be),
    'fingerprint.json': buildFingerprintVectors(be),
    'signature.json': buildSignatureVectors(be),
    'request-reason.json': buildRequestReasonVectors(be),
    'audit-row.json': buildAuditRowVectors(be),
    'pow.json': buildPowVectors(be),
    'keyfile.json': await buildKeyFileVectors(be),
    'reshare.json': await buildReshareVectors(be),
    'recovery.json': await buildRecoveryVectors(be),
  };
  // Protocol v2 (§16). xwing.json is not built here: it holds the X-Wing draft's own vectors.
  const filesV2: Record<string, object[]> = {
    'wrap-v2.json': buildWrapV2Vectors(be),
    'keyfile-v2.json': await buildKeyFileV2Vectors(be),
    'bundle-v2.json': buildBundleV2Vectors(be),
    'fingerprint-v2.json': buildFingerprintV2Vectors(be),
  };
  const out: Record<string, string> = {};
  for (const [protocol, built] of [['tipline/v1', files], ['tipline/v2', filesV2]] as const) {
    for (const [name, vectors] of Object.entries(built)) {
      out[name] = `${JSON.stringify({ protocol, vectors }, null, 2)}\n`;
    }
  }
  return out;
}

export const VECTOR_DIR = fileURLToPath(new URL('.', import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of Object.entries(await buildVectorFiles())) {
    writeFileSync(new URL(name, import.meta.url), text);
    console.log(`wrote test/vectors/${name}`);
  }
}
