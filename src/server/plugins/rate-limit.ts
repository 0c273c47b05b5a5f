import { createHmac } from 'node:crypto';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { serverSecret } from '../db/secrets.js';
import { fail } from '../errors.js';
import { needsPow } from './pow.js';
import { rateLimitStore } from './rate-limit-store.js';

// Budgets: one per kind of traffic, so that no kind can spend another's. Without knowing
// who is asking (never the IP: DESIGN.md), a flood of free requests can always exhaust the
// budget of its own kind; what it must not do is reach the others.
//
//   kind        what                                        counted on
//   none        /healthz, /readyz                           never limited
//   page        the denouncer page and its assets           one shared budget
//   challenge   POST /v1/pow without a receipt              one shared budget
//   anonymous   everything else without a credential        one shared budget
//   receipt     routes opened by a receipt, and POST        the receipt's own budgets (per
//               /v1/pow presenting one                      minute, creations per hour,
//                                                           urgent filings per day), then
//                                                           all receipts together
//   staff       requests presenting a staff session         the session's, then all sessions
//               (and sign-in: /v1/staff/*, /v1/admin/*)     all sessions
//
// A route needing a proof of work (pow.ts) draws on its kind's shared budget only once the
// proof checks out, so a flood without work cannot spend what working clients need.
// Budgets keyed on a credential use a keyed hash of it, never the credential itself.
// Refusals are 429 `rate_limited` with Retry-After; no response carries counters.

type Window = 'minute' | 'hour' | 'day';
const WINDOW_MS: Record<Window, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export type BudgetName =
  | 'page' | 'challenge' | 'anonymous' | 'receipts' | 'receipt' | 'receipt_creates' | 'receipt_urgent' | 'staff_session' | 'staff';

interface Budget { name: BudgetName; max: number; window: Window }
interface Charge { budget: Budget; id?: string }

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route outside the credential-based kinds: never limited, the page's, or the challenge's. */
    budget?: 'none' | 'page' | 'challenge';
    /** A receipt route, and what it does with the receipt (pow.ts: needs a proof of work). */
    receipt?: 'read' | 'create' | 'urgent';
    /** An anonymous route that needs a proof of work (pow.ts). */
    pow?: boolean;
  }
  interface FastifyInstance {
    /** Charges the shared budget that waited for the request's proof of work (called by pow.ts). */
    chargeProvenBudget(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

function budgets(config: Config): Record<BudgetName, Budget> {
  const b = (name: BudgetName, max: number, window: Window = 'minute'): Budget => ({ name, max, window });
  return {
    page: b('page', config.pagePerMinute),
    challenge: b('challenge', config.powChallengesPerMinute),
    anonymous: b('anonymous', config.rateLimitPerMinute),
    receipts: b('receipts', config.receiptsPerMinute),
    receipt: b('receipt', config.perReceiptPerMinute),
    receipt_creates: b('receipt_creates', config.receiptCreatesPerHour, 'hour'),
    receipt_urgent: b('receipt_urgent', config.receiptUrgentPerDay, 'day'),
    staff_session: b('staff_session', config.staffSessionPerMinute),
    staff: b('staff', config.staffTotalPerMinute),
  };
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,128})$/;
const STAFF_ROUTE = /^\/v1\/(staff|admin)\//;

/** What a request is counted against: now, and once its proof of work checks out. */
interface ChargePlan { now: Charge[]; afterProof: Charge[] }

function planFor(
  config: FastifyContextConfig, url: string, authorization: string | undefined, verifier: Uint8Array | undefined,
  all: Record<BudgetName, Budget>, tag: (credential: Uint8Array | string) => string,
): ChargePlan {
  if (config.budget === 'none') return { now: [], afterProof: [] };
  if (config.budget === 'page') return { now: [{ budget: all.page }], afterProof: [] };
  const deferred = needsPow(config);
  const shared = (budget: Budget): ChargePlan => (deferred ? { now: [], afterProof: [{ budget }] } : { now: [{ budget }], afterProof: [] });
  if (config.receipt || (config.budget === 'challenge' && verifier)) {
    // The receipt's own budgets first, narrowest first: a holder over one spends nothing
    // further (a refused urgent filing takes nothing from the creations budget).
    const id = verifier && tag(verifier);
    const own: Charge[] = [];
    if (id) {
      own.push({ budget: all.receipt, id });
      if (config.receipt === 'urgent') own.push({ budget: all.receipt_urgent, id });
      if (config.receipt === 'create' || config.receipt === 'urgent') own.push({ budget: all.receipt_creates, id });
    }
    const plan = shared(all.receipts);
    return { now: [...own, ...plan.now], afterProof: plan.afterProof };
  }
  if (config.budget === 'challenge') return shared(all.challenge);
  const session = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
  if (session) return { now: [{ budget: all.staff_session, id: tag(session) }, { budget: all.staff }], afterProof: [] };
  // Logging in and enrolling come before any session: staff traffic still, so that an
  // anonymous flood cannot keep staff from signing in.
  if (STAFF_ROUTE.test(url)) return { now: [{ budget: all.staff }], afterProof: [] };
  return shared(all.anonymous);
}

export default fp(
  async (app) => {
    const clock = app.budgetClock;
    const store = rateLimitStore(app.config, clock);
    app.addHook('onClose', store.close);
    const all = budgets(app.config);
    const key = await serverSecret(app.db, 'rate-limit-key');
    // Keyed, so a copy of the store cannot be joined with the cases' verifiers without the key.
    const tag = (credential: Uint8Array | string) => createHmac('sha256', key).update(credential).digest().subarray(0, 16).toString('base64url');
    const pending = new WeakMap<FastifyRequest, Charge[]>();

    async function charge(reply: FastifyReply, charges: Charge[]): Promise<void> {
      for (const { budget, id } of charges) {
        const length = WINDOW_MS[budget.window];
        const windowEnd = (Math.floor(clock() / length) + 1) * length;
        const count = await store.hit(`${budget.name}:${windowEnd}${id ? `:${id}` : ''}`, windowEnd);
        if (count !== undefined && count > budget.max) {
          const seconds = Math.max(1, Math.ceil((windowEnd - clock()) / 1000));
          reply.header('retry-after', String(seconds));
          return fail('rate_limited', `too many requests; retry in ${seconds} s`, { budget: budget.name });
        }
      }
    }

    app.addHook('onRequest', async (request, reply) => {
      const plan = planFor(request.routeOptions.config ?? {}, request.routeOptions.url ?? '', request.headers.authorization, app.receiptVerifierOf(request), all, tag);
      if (plan.afterProof.length > 0) pending.set(request, plan.afterProof);
      await charge(reply, plan.now);
    });
    app.decorate('chargeProvenBudget', async (request: FastifyRequest, reply: FastifyReply) => {
      const charges = pending.get(request);
      pending.delete(request);
      if (charges) await charge(reply, charges);
    });
  },
  { name: 'tipline-rate-limit', dependencies: ['tipline-receipt-auth'] },
);
