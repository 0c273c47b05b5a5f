import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { notificationCounts } from '../db/notification-counts.js';
import { activeSubscribers, swapCounts, type Subscriber } from '../db/notifications.js';
import { dropMailer, smtpMailer, type Mailer } from '../mailer.js';
import { chosenCounts, digestMail } from '../notification-mail.js';

// Notification digests (docs/OPERATIONS.md, "Notifications"): on a fixed interval, for
// every active member who opted in, the counts of what waits for them; mailed through
// the agency's SMTP server (or written to a demo's mail drop, mailer.ts) only when they changed since the last mail. Never per event:
// a mail right after a denouncer acted would tell the mail provider when they acted.
// A failed mail is retried on the next run (its claim on the counts is given back);
// nothing about a member (address, counts, id) is logged, and a run never throws.

export interface DigestRun { sent: number; unchanged: number; failed: number }

declare module 'fastify' {
  interface FastifyInstance {
    /** Runs one digest now, after any run under way; null when digests go nowhere (no SMTP server, no mail drop). */
    notificationDigest(): Promise<DigestRun | null>;
  }
}

type Outcome = keyof DigestRun;

async function digestFor(app: FastifyInstance, mailer: Mailer, s: Subscriber): Promise<Outcome> {
  const counts = await notificationCounts(app.db, { id: s.staffId, agencyId: s.agencyId, roles: s.roles }, s.withinDays);
  const chosen = chosenCounts(counts, s);
  const recorded = JSON.stringify(chosen);
  if (recorded === s.lastCounts) return 'unchanged';
  // Nothing waits: nothing to say, but a later rise is news again.
  if (chosen.every(([, n]) => n === 0)) {
    await swapCounts(app.db, s.staffId, s.lastCounts, recorded);
    return 'unchanged';
  }
  // Claimed before sending: of several instances on one database, one mails it.
  if (!(await swapCounts(app.db, s.staffId, s.lastCounts, recorded))) return 'unchanged';
  const mail = digestMail(counts, s, app.config.consoleLink);
  try {
    await mailer.send({ from: app.config.mailFrom, to: s.address, subject: mail.subject, text: mail.text });
  } catch (err) {
    // Unclaimed again, so the next run retries it.
    await swapCounts(app.db, s.staffId, recorded, s.lastCounts);
    throw err;
  }
  return 'sent';
}

async function runDigest(app: FastifyInstance, mailer: Mailer): Promise<DigestRun> {
  const run: DigestRun = { sent: 0, unchanged: 0, failed: 0 };
  let subscribers: Subscriber[];
  try {
    subscribers = await activeSubscribers(app.db);
  } catch {
    app.log.warn('notification digest: subscribers could not be read; trying again next run');
    return run;
  }
  for (const s of subscribers) {
    try {
      run[await digestFor(app, mailer, s)] += 1;
    } catch (err) {
      // An SMTP reply may quote the address, so only its numeric code is kept.
      const smtpCode = (err as { responseCode?: unknown }).responseCode;
      app.log.warn({ smtpCode: typeof smtpCode === 'number' ? smtpCode : null }, 'notification digest: a mail was not sent; retried next run');
      run.failed += 1;
    }
  }
  app.log.info(run, 'notification digest');
  return run;
}

export default fp(async (app: FastifyInstance) => {
  const { smtpUrl, mailDir, consoleLink, notifyIntervalSeconds } = app.config;
  const greetingName = new URL(consoleLink).hostname;
  const mailer = smtpUrl ? smtpMailer(smtpUrl, greetingName) : mailDir ? dropMailer(mailDir, greetingName) : undefined;
  if (!mailer) {
    app.decorate('notificationDigest', async () => null);
    return;
  }
  if (mailDir) app.log.warn('notification digests are written to the mail drop (TIPLINE_MAIL_DIR), not mailed: for a demo only');
  let last: Promise<DigestRun> = Promise.resolve({ sent: 0, unchanged: 0, failed: 0 });
  let busy = false;
  const next = () => {
    last = last.then(async () => {
      busy = true;
      try { return await runDigest(app, mailer); } finally { busy = false; }
    });
    return last;
  };
  app.decorate('notificationDigest', next);
  const timer = setInterval(() => { if (!busy) void next(); }, notifyIntervalSeconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await last;
    mailer.close();
  });
}, { name: 'notification-digest' });
