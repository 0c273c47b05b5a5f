import { receiptAuthorization } from '../client/receipt.js';
import { HttpClient } from '../client/http.js';
import { deriveReceiptKeys, type Backend } from '../protocol/index.js';

// The receipt holder's workflow calls that the SDK does not offer yet (timeline with
// the current deadline, withdrawal): the smallest adapter, over the SDK's transport.

export interface PublicTimeline {
  status: string;
  due: string | null;
  timeline: { on: string; event: string; status: string | null; deadline: string | null }[];
}

export function receiptWorkflow(be: Backend, receipt: string, server: string) {
  let http: HttpClient | undefined = new HttpClient({ baseUrl: server }).withHeaders(
    receiptAuthorization(deriveReceiptKeys(be, receipt).authKey),
  );
  const live = () => http ?? (() => { throw new Error('closed'); })();
  return {
    timeline: () => live().get<PublicTimeline>('/v1/case/timeline'),
    withdraw: () => live().post<{ status: string; on: string }>('/v1/case/withdraw', {}),
    forget() {
      http = undefined;
    },
  };
}
