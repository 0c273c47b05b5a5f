import {
  generateStaffKeys, sealMessage, sealRequestReason, wrapRequestKey, type Backend, type CaseContext, type StaffKeys,
} from '../../src/protocol/index.js';
import { utf8 } from '../../src/protocol/bytes.js';
import { WRAP_KIND } from '../../src/protocol/labels.js';
import { wrapKey } from '../../src/protocol/wrap.js';
import { AGENCY_ID, CASE_ID, OTHER_AGENCY_ID, OTHER_CASE_ID, hex, itemId, recordingBackend, seededBackend, staffId } from './fixtures.js';

// An identity request's reason (PROTOCOL.md §8.3.5): the request key wrapped (kind 0x04)
// to each reader, the reason sealed under it. Each `ok` vector records the randomness it
// was sealed with (the sealed box's ephemeral secret key; the nonce is the first 24
// bytes of the sealed reason), so a reader can seal it again and compare every byte.

const REASON = utf8('Cần mời người tố cáo đến làm việc trực tiếp để xác minh nội dung tố cáo.');
const REFUSAL = utf8('Chưa đủ căn cứ: đề nghị xác minh qua hồ sơ, tài liệu trước.');

export function buildRequestReasonVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/request-reason');
  const requester = generateStaffKeys(be);
  const custodian = generateStaffKeys(be);
  const outsider = generateStaffKeys(be);
  const requestKey = be.randomBytes(32);
  const requestId = itemId(2);
  const custodianId = staffId(5);
  const ctx: CaseContext = { agencyId: AGENCY_ID, caseId: CASE_ID };

  const wrapFor = (keys: StaffKeys, at: CaseContext = ctx) => {
    const r = recordingBackend(be);
    return { wrapped: wrapRequestKey(r.be, at, requestKey, keys.boxPublicKey), ephemeralSecretKey: r.drawn[0]! };
  };
  const reason = sealRequestReason(be, ctx, requestKey, requestId, REASON);
  const refusal = sealRequestReason(be, ctx, requestKey, custodianId, REFUSAL);
  const toRequester = wrapFor(requester);

  // Only an `ok` vector carries what it was sealed with (the ephemeral key) and what it opens to.
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}, plaintext = REASON) => {
    const { ephemeralSecretKey, ...fields } = {
      agencyId: AGENCY_ID, subjectId: CASE_ID, reasonId: requestId,
      recipientPublicKey: hex(requester.boxPublicKey), recipientSecretKey: hex(requester.boxSecretKey),
      wrapped: hex(toRequester.wrapped), ephemeralSecretKey: hex(toRequester.ephemeralSecretKey), sealedReason: hex(reason),
      ...over,
    };
    return expect === 'ok'
      ? { name, expect, ...fields, ephemeralSecretKey, requestKey: hex(requestKey), reason: hex(plaintext) }
      : { name, expect, ...fields };
  };
  const toCustodian = wrapFor(custodian);
  // Protection details (§6.1): the protection request's id takes the case id's place.
  const protectionRequestId = itemId(3);
  const protection = { agencyId: AGENCY_ID, caseId: protectionRequestId };
  const toRequesterOfDetails = wrapFor(requester, protection);
  const detailsReason = sealRequestReason(be, protection, requestKey, requestId, REASON);

  return [
    vector('requester opens the reason of their request', 'ok'),
    vector('custodian opens the reason with their own wrapped key', 'ok', {
      recipientPublicKey: hex(custodian.boxPublicKey), recipientSecretKey: hex(custodian.boxSecretKey),
      wrapped: hex(toCustodian.wrapped), ephemeralSecretKey: hex(toCustodian.ephemeralSecretKey),
    }),
    vector('requester opens a custodian’s refusal reason', 'ok', { reasonId: custodianId, sealedReason: hex(refusal) }, REFUSAL),
    vector('request for protection details: the protection request is the subject', 'ok', {
      subjectId: protectionRequestId, wrapped: hex(toRequesterOfDetails.wrapped),
      ephemeralSecretKey: hex(toRequesterOfDetails.ephemeralSecretKey), sealedReason: hex(detailsReason),
    }),
    vector('request key opened for another case', 'open_failed', { subjectId: OTHER_CASE_ID }),
    vector('request key opened for another agency', 'open_failed', { agencyId: OTHER_AGENCY_ID }),
    vector('request key of the case opened for protection details', 'open_failed', { subjectId: protectionRequestId }),
    vector('reason moved to another request', 'open_failed', { reasonId: itemId(4) }),
    vector('refusal reason presented as the request’s reason', 'open_failed', { sealedReason: hex(refusal) }),
    vector('wrong recipient key', 'open_failed', { recipientPublicKey: hex(outsider.boxPublicKey), recipientSecretKey: hex(outsider.boxSecretKey) }),
    vector('content key (kind 0x01) offered as a request key', 'open_failed', {
      wrapped: hex(wrapKey(be, WRAP_KIND.contentKey, ctx, requestKey, requester.boxPublicKey)),
    }),
    vector('message to the denouncer offered as a reason', 'open_failed', {
      sealedReason: hex(sealMessage(be, ctx, requestKey, { messageId: requestId, direction: 'to_denouncer', plaintext: REASON })),
    }),
    vector('sealed reason truncated by one byte', 'open_failed', { sealedReason: hex(reason.slice(0, -1)) }),
  ];
}
