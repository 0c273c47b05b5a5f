import type { PowOptions } from '../client/pow.js';
import { receiptHttp } from '../client/receipt.js';
import { denouncerOf, recoveryOf } from '../client/denouncer.js';
import type { HttpClient } from '../client/http.js';
import { protectionDetailsContext } from '../client/protection-context.js';
import { encodeJson, type CaseBody } from '../client/plaintext.js';
import {
  deriveReceiptKeys, fromBase64Url, generateReceipt, sealCase, toBase64Url, type Backend, type BundleContent, type CaseContext, bundleUsesV2, deriveReplyKeyPairV2, recipientOf,
} from '../protocol/index.js';
// Not re-exported by the protocol's index; protection details use the identity block's
// format (sealed to the custodians, m of n), as the protection route expects.
import { sealIdentity } from '../protocol/identity.js';

// The receipt holder's workflow calls the SDK does not offer yet: the timeline with the
// current deadline, a protection request and a retaliation report. The
// smallest adapter, over the SDK's transport; every key comes from the agency's bundle
// as verified by the page against its compiled-in pin.

export interface PublicTimeline {
  status: string;
  due: string | null;
  timeline: { on: string; event: string; status: string | null; deadline: string | null }[];
}

export interface ProtectionDetails {
  reasons: string;
  measures: string;
  urgent: boolean;
}

const recipients = (bundle: BundleContent, role: 'intake' | 'custodian') =>
  bundle.staff
    .filter((s) => s.roles.includes(role))
    .map(recipientOf);

export class WorkflowUnavailableError extends Error {
  readonly code = 'workflow_unavailable';
}

export function receiptWorkflow(be: Backend, receipt: string, server: string, pow: PowOptions = {}) {
  const keys = deriveReceiptKeys(be, receipt);
  // Every receipt request carries a fresh proof of work (PROTOCOL.md §11).
  let http: HttpClient | undefined = receiptHttp(be, keys.authKey, { server, ...pow });
  const live = (): HttpClient => {
    if (!http) throw new Error('closed');
    return http;
  };
  const v2Reply = (bundle: BundleContent, r: string) => (bundleUsesV2(bundle) ? { xwingPublicKey: deriveReplyKeyPairV2(be, r).publicKey } : {});
  return {
    timeline: () => live().get<PublicTimeline>('/v1/case/timeline'),

    /** Art. 50: the details name people and places, so only m custodians together can read them. */
    async requestProtection(ctx: CaseContext, bundle: BundleContent, details: ProtectionDetails): Promise<void> {
      const custodians = recipients(bundle, 'custodian');
      if (custodians.length === 0) throw new WorkflowUnavailableError('the agency lists no custodian');
      const id = crypto.randomUUID();
      const sealed = await sealIdentity(
        be,
        protectionDetailsContext(ctx.agencyId, id),
        { data: encodeJson(details), custodians, threshold: Math.min(bundle.threshold, custodians.length) },
        { boxPublicKey: keys.replyKeyPair.publicKey, ...v2Reply(bundle, receipt) },
      );
      await live().post('/v1/case/protection', {
        protectionRequestId: id,
        urgent: details.urgent,
        sealedDetails: toBase64Url(sealed.block),
        threshold: sealed.threshold,
        denouncerKey: toBase64Url(sealed.denouncerKey),
        shares: sealed.shares.map((s) => ({ staffId: s.staffId, wrapped: toBase64Url(s.wrapped) })),
      });
    },

    /** A new case linked to this one, with its own receipt (returned: the denouncer must keep it). */
    async reportRetaliation(
      parentCaseId: string,
      bundle: BundleContent,
      description: string,
    ): Promise<{ receipt: string; publicNumber: string; receivedOn: string }> {
      const intake = recipients(bundle, 'intake');
      if (intake.length === 0) throw new WorkflowUnavailableError('the agency lists no intake officer');
      const newReceipt = generateReceipt(be);
      const newKeys = deriveReceiptKeys(be, newReceipt);
      const ctx: CaseContext = { agencyId: bundle.agencyId, caseId: crypto.randomUUID() };
      const body: CaseBody = { kind: 'retaliation', summary: { what: description }, relatedCaseId: parentCaseId, attachments: [] };
      const sealed = await sealCase(be, { ctx, body: encodeJson(body), recipients: intake, ...denouncerOf(be, newReceipt, newKeys, bundle), ...recoveryOf(bundle) });
      const accepted = await live().post<{ publicNumber: string; receivedOn: string }>('/v1/case/retaliation', {
        caseId: ctx.caseId,
        bundleSerial: bundle.serial,
        verifier: toBase64Url(newKeys.verifier),
        envelope: toBase64Url(sealed.envelope),
        denouncerKey: toBase64Url(sealed.denouncerKey),
        recipientKeys: sealed.recipientKeys.map((k) => ({ staffId: k.staffId, wrapped: toBase64Url(k.wrapped) })),
        ...(sealed.recoveryKey ? { recoveryKey: toBase64Url(sealed.recoveryKey) } : {}),
      });
      return { receipt: newReceipt, publicNumber: accepted.publicNumber, receivedOn: accepted.receivedOn };
    },

    forget() {
      http = undefined;
    },
  };
}
