import { setTimeout as sleep } from 'node:timers/promises';
import { openReceipt, submitCase } from '../../src/client/denouncer.js';
import type { FetchLike } from '../../src/client/http.js';
import type { Backend } from '../../src/protocol/index.js';

// Denouncers as the drill plays them: each seals a real case with the client SDK (the case
// id chosen on the device), then sends follow-up messages through its receipt. Their
// transport retries the very same request (same URL, same body, so the same case or
// message id) after a 5xx or a lost connection, as a patient client does; the API's
// idempotency on those ids is what keeps a retry from making a second case or message.

export interface Denouncer {
  /** The instance this denouncer talks to. */
  server: string;
  /** Every case id and message id this denouncer sent (a retry repeats one, never adds one). */
  caseIdsSent: Set<string>;
  messageIdsSent: Set<string>;
  /** Writes that needed more than one attempt, by id. */
  retried: Set<string>;
  /** Requests of any kind answered with a 5xx or not answered at all. */
  failures: number;
  receipt?: string;
  caseId?: string;
  text: string;
  messagesAcknowledged: Map<string, string>;
  /** Why this denouncer gave up (a request still failing at the give-up time), if it did. */
  gaveUp?: string;
}

export interface WriteAnswer { server: string; sentAt: number; answeredAt: number; ok: boolean }

export interface LoadOptions {
  be: Backend;
  agency: string;
  pinnedFingerprint: string;
  messagesPerCase: number;
  /** A request still failing at this time is given up. */
  giveUpAt: number;
  /** Every answer to a case or message write, for the unavailability figure. */
  onWrite(answer: WriteAnswer): void;
}

const writes = /\/v1\/(cases|case\/messages)$/;

function retryingFetch(d: Denouncer, o: LoadOptions): FetchLike {
  return async (input, init) => {
    const write = init?.method === 'POST' && writes.test(new URL(input).pathname);
    const id = write ? idOf(input, String(init?.body)) : undefined;
    if (id) (input.endsWith('/v1/cases') ? d.caseIdsSent : d.messageIdsSent).add(id);
    for (let attempt = 1; ; attempt++) {
      const sentAt = Date.now();
      const answer = await fetch(input, init).catch((e: unknown) => e as Error);
      const ok = answer instanceof Response && answer.status < 500;
      if (write) o.onWrite({ server: d.server, sentAt, answeredAt: Date.now(), ok: ok && (answer as Response).ok });
      if (ok) return answer as Response;
      d.failures++;
      if (id && attempt === 1) d.retried.add(id);
      if (Date.now() > o.giveUpAt) {
        if (answer instanceof Response) return answer;
        throw answer;
      }
      await sleep(Math.min(1000, 100 * attempt));
    }
  };
}

function idOf(url: string, body: string): string | undefined {
  const parsed = JSON.parse(body) as { caseId?: string; messageId?: string };
  return url.endsWith('/v1/cases') ? parsed.caseId : parsed.messageId;
}

/** Submits the denouncer's case, then its messages; a failure ends this denouncer's part, recorded. */
export async function playDenouncer(d: Denouncer, o: LoadOptions): Promise<void> {
  const fetch = retryingFetch(d, o);
  try {
    const submitted = await submitCase({
      server: d.server, fetch, backend: o.be, agency: o.agency, pinnedFingerprint: o.pinnedFingerprint, body: d.text, retries: 0,
    });
    d.receipt = submitted.receipt;
    d.caseId = submitted.caseId;
    const session = await openReceipt(submitted.receipt, { server: d.server, fetch, backend: o.be });
    for (let i = 0; i < o.messagesPerCase; i++) {
      const text = `${d.text} / follow-up ${i + 1}`;
      const m = await session.reply(text);
      d.messagesAcknowledged.set(m.messageId, text);
    }
  } catch (e) {
    d.gaveUp = (e as Error).message;
  }
}

export function newDenouncer(server: string, n: number): Denouncer {
  return {
    server, caseIdsSent: new Set(), messageIdsSent: new Set(), retried: new Set(), failures: 0, messagesAcknowledged: new Map(),
    text: `Failover drill report ${n}: the district office split one contract into many to avoid tender.`,
  };
}
