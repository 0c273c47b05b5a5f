import { z } from 'zod';

// The only module that reads process.env (house rule): everything else receives a
// frozen Config, so tests can build apps with any configuration side by side.

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/**
 * An origin as a client computes it from the URL it is given (`new URL(url).origin`):
 * scheme, host and port, nothing else. Staff sign it, so a trailing path or a default
 * port written out would make the server check another string than every client signs.
 */
const publicOrigin = z.string().url().transform((value, ctx) => {
  const url = new URL(value);
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.pathname !== '/' || url.search || url.hash || url.port === '0') {
    ctx.addIssue({ code: 'custom', message: 'must be an origin such as https://tipline.example.gov.vn: scheme, host and port only' });
    return z.NEVER;
  }
  return url.origin;
});

/**
 * The origin of a server listening on `host` and `port`, as a client that connects to
 * it writes it. An unspecified address (all interfaces) is reached as localhost.
 */
export function listeningOrigin(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return new URL(`http://${name}:${port}`).origin;
}

/** The agency's mail server, as nodemailer takes it: smtp://user:pass@host:587 or smtps://…:465. */
const smtpUrl = z.string().url().refine((v) => ['smtp:', 'smtps:'].includes(new URL(v).protocol), 'must be an smtp:// or smtps:// URL');

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TIPLINE_DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** 0: the system picks a free port when the server starts (`tipline serve`). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Origin staff sign into their login challenges; must match what clients see. Default: HOST and PORT's. */
  TIPLINE_ORIGIN: publicOrigin.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Work of a proof of work, as log2 of the expected hashes in all (PROTOCOL.md §11); 0 disables it (tests only). */
  TIPLINE_POW_DIFFICULTY: z.coerce.number().int().min(0).max(32).default(18),
  TIPLINE_POW_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  TIPLINE_MAX_ATTACHMENT_BYTES: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
  /** Unfinished uploads a case may have at once; one more is refused (too_many_open_uploads). */
  TIPLINE_MAX_OPEN_UPLOADS: z.coerce.number().int().min(1).max(1000).default(8),
  /** Unfinished uploads created more than this many days before today are deleted. */
  TIPLINE_ABANDONED_UPLOAD_DAYS: z.coerce.number().int().min(1).max(365).default(1),
  /** How often the server deletes abandoned uploads. */
  TIPLINE_UPLOAD_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86400).default(3600),
  TIPLINE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  // Budgets (plugins/rate-limit.ts): one per kind of traffic, so no kind starves another.
  // Per instance without REDIS_URL, across all instances with it. Never keyed on IP.
  /** Requests per minute of anonymous traffic (no credential), all callers together. */
  TIPLINE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Proof-of-work challenges per minute handed to callers without a receipt. */
  TIPLINE_RATE_LIMIT_POW_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  /** Requests per minute for the denouncer page and its assets. */
  TIPLINE_RATE_LIMIT_PAGE_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Requests per minute presenting a receipt, all receipt holders together. */
  TIPLINE_RATE_LIMIT_RECEIPTS_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Requests per minute presenting one receipt (keyed on its verifier). */
  TIPLINE_RATE_LIMIT_PER_RECEIPT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Things one receipt may create per hour (messages, attachments, withdrawal, and the urgent ones below). */
  TIPLINE_RATE_LIMIT_RECEIPT_CREATES_PER_HOUR: z.coerce.number().int().min(1).default(60),
  /** Protection requests and retaliation reports one receipt may file per day. */
  TIPLINE_RATE_LIMIT_RECEIPT_URGENT_PER_DAY: z.coerce.number().int().min(1).default(3),
  /** Requests per minute of one staff session. */
  TIPLINE_RATE_LIMIT_STAFF_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Requests per minute presenting a staff session, all sessions together (bounds forged tokens). */
  TIPLINE_RATE_LIMIT_STAFF_TOTAL_PER_MINUTE: z.coerce.number().int().min(1).default(30000),
  TIPLINE_SESSION_IDLE_SECONDS: z.coerce.number().int().min(60).default(15 * 60),
  TIPLINE_SESSION_MAX_SECONDS: z.coerce.number().int().min(60).default(8 * 60 * 60),
  TIPLINE_TRUST_PROXY: bool.default(false),
  REDIS_URL: z.string().url().optional(),
  TIPLINE_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
  /** Where the built denouncer page lives (src/web/build.ts writes it; `npm run build`). */
  TIPLINE_WEB_DIR: z.string().min(1).default('dist/web'),
  /** Where the built staff console lives, served at /staff/ (src/console/build.ts; `npm run build`). */
  TIPLINE_CONSOLE_DIR: z.string().min(1).default('dist/console'),
  /** The agency's SMTP server for notification digests; without it no mail is sent (docs/OPERATIONS.md). */
  TIPLINE_SMTP_URL: smtpUrl.optional(),
  /** A demo's mail drop: each digest written here as an .eml file instead of being mailed. */
  TIPLINE_MAIL_DIR: z.string().min(1).optional(),
  /** The digests' From address. */
  TIPLINE_MAIL_FROM: z.string().min(3).max(254).default('tipline <tipline@localhost>'),
  /** The one link a digest carries: where staff open the console. Default: the origin's /staff/. */
  TIPLINE_CONSOLE_LINK: z.string().url().refine((v) => ['http:', 'https:'].includes(new URL(v).protocol), 'must be an http(s) URL').optional(),
  /** How often digests are computed and, where the counts changed, mailed. Long on purpose: see OPERATIONS.md. */
  // At least an hour: a digest that goes out because a count rose tells the mail provider
  // when a denouncer acted, to within one interval (docs/OPERATIONS.md "Notifications").
  // A mail drop (a demo) may go down to a minute: no mail provider sees its timing.
  TIPLINE_NOTIFY_INTERVAL_SECONDS: z.coerce.number().int().min(60).max(7 * 86400).default(6 * 3600),
  /** Check the answers written without zod against their zod schemas too (the tests do; response-serializer.ts). */
  TIPLINE_CHECK_RESPONSES: bool.default(false),
});

export type Config = Readonly<{
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  origin: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  powDifficulty: number;
  powTtlSeconds: number;
  maxAttachmentBytes: number;
  maxOpenUploads: number;
  abandonedUploadDays: number;
  uploadSweepSeconds: number;
  maxBodyBytes: number;
  /** Anonymous traffic per minute (the name predates the other budgets). */
  rateLimitPerMinute: number;
  powChallengesPerMinute: number;
  pagePerMinute: number;
  receiptsPerMinute: number;
  perReceiptPerMinute: number;
  receiptCreatesPerHour: number;
  receiptUrgentPerDay: number;
  staffSessionPerMinute: number;
  staffTotalPerMinute: number;
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
  trustProxy: boolean;
  redisUrl: string | undefined;
  shutdownGraceSeconds: number;
  webDir: string;
  consoleDir: string;
  checkResponses: boolean;
  /** Holds the SMTP password when it has one: never log the config. */
  smtpUrl: string | undefined;
  /** Where digests are written as .eml files instead of mailed (a demo); never with smtpUrl. */
  mailDir: string | undefined;
  mailFrom: string;
  consoleLink: string;
  notifyIntervalSeconds: number;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Parses the environment once; a wrong value names its variable and stops start-up. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.TIPLINE_SMTP_URL && e.TIPLINE_MAIL_DIR) {
    throw new ConfigError(['TIPLINE_MAIL_DIR: a mail drop is for a demo; unset it, or TIPLINE_SMTP_URL, so digests go one way']);
  }
  if (e.TIPLINE_NOTIFY_INTERVAL_SECONDS < 3600 && !e.TIPLINE_MAIL_DIR) {
    throw new ConfigError(['TIPLINE_NOTIFY_INTERVAL_SECONDS: at least 3600 (an hour) when digests are mailed; shorter only into a demo\'s TIPLINE_MAIL_DIR']);
  }
  let origin: string;
  try {
    origin = e.TIPLINE_ORIGIN ?? listeningOrigin(e.HOST, e.PORT);
  } catch {
    throw new ConfigError([`HOST: ${e.HOST} is not a host name or address`]);
  }
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: e.TIPLINE_DATA_DIR,
    host: e.HOST,
    port: e.PORT,
    origin,
    logLevel: e.LOG_LEVEL,
    powDifficulty: e.TIPLINE_POW_DIFFICULTY,
    powTtlSeconds: e.TIPLINE_POW_TTL_SECONDS,
    maxAttachmentBytes: e.TIPLINE_MAX_ATTACHMENT_BYTES,
    maxOpenUploads: e.TIPLINE_MAX_OPEN_UPLOADS,
    abandonedUploadDays: e.TIPLINE_ABANDONED_UPLOAD_DAYS,
    uploadSweepSeconds: e.TIPLINE_UPLOAD_SWEEP_SECONDS,
    maxBodyBytes: e.TIPLINE_MAX_BODY_BYTES,
    rateLimitPerMinute: e.TIPLINE_RATE_LIMIT_PER_MINUTE,
    powChallengesPerMinute: e.TIPLINE_RATE_LIMIT_POW_PER_MINUTE,
    pagePerMinute: e.TIPLINE_RATE_LIMIT_PAGE_PER_MINUTE,
    receiptsPerMinute: e.TIPLINE_RATE_LIMIT_RECEIPTS_PER_MINUTE,
    perReceiptPerMinute: e.TIPLINE_RATE_LIMIT_PER_RECEIPT_PER_MINUTE,
    receiptCreatesPerHour: e.TIPLINE_RATE_LIMIT_RECEIPT_CREATES_PER_HOUR,
    receiptUrgentPerDay: e.TIPLINE_RATE_LIMIT_RECEIPT_URGENT_PER_DAY,
    staffSessionPerMinute: e.TIPLINE_RATE_LIMIT_STAFF_PER_MINUTE,
    staffTotalPerMinute: e.TIPLINE_RATE_LIMIT_STAFF_TOTAL_PER_MINUTE,
    sessionIdleSeconds: e.TIPLINE_SESSION_IDLE_SECONDS,
    sessionMaxSeconds: e.TIPLINE_SESSION_MAX_SECONDS,
    trustProxy: e.TIPLINE_TRUST_PROXY,
    redisUrl: e.REDIS_URL,
    shutdownGraceSeconds: e.TIPLINE_SHUTDOWN_GRACE_SECONDS,
    webDir: e.TIPLINE_WEB_DIR,
    consoleDir: e.TIPLINE_CONSOLE_DIR,
    checkResponses: e.TIPLINE_CHECK_RESPONSES,
    smtpUrl: e.TIPLINE_SMTP_URL,
    mailDir: e.TIPLINE_MAIL_DIR,
    mailFrom: e.TIPLINE_MAIL_FROM,
    consoleLink: e.TIPLINE_CONSOLE_LINK ?? new URL('/staff/', overrides.origin ?? origin).href,
    notifyIntervalSeconds: e.TIPLINE_NOTIFY_INTERVAL_SECONDS,
    ...overrides,
  });
}
