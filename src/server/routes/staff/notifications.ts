import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { audited } from '../../db/audited.js';
import { notificationCounts } from '../../db/notification-counts.js';
import { clearPreferences, findPreferences, NOTIFICATION_KINDS, setPreferences } from '../../db/notifications.js';
import { errors } from '../../error-responses.js';

// What waits for the caller, as counts (the console's badge), and their own choice of
// a notification digest by e-mail (plugins/notification-digest.ts). Every staff member
// sets only their own preferences; the audit row says what they chose, never the address.

const kind = z.enum(NOTIFICATION_KINDS);
const withinDays = z.number().int().min(0).max(30).describe('deadlines due within this many working days are counted, overdue ones included');
/** When the member has not chosen: the console counts deadlines this far ahead. */
const DEFAULT_WITHIN_DAYS = 3;

const counts = z.object({
  inbox: z.number().int().describe('new cases: awaiting triage (intake), or assigned to you and still open (investigator)'),
  replies: z.number().int().describe('cases you hold with a message from the denouncer beyond your read point'),
  deadlines: z.number().int().describe('deadlines that are yours, due within withinDays working days or overdue'),
  identity: z.number().int().describe('identity requests still pending that await your decision as a custodian'),
});
const preferences = z.object({
  address: z.email().max(254).describe('where the digest goes; staff data, never logged').meta({ examples: ['can.bo@thanhtra.example.gov.vn'] }),
  kinds: z.array(kind).min(1).max(NOTIFICATION_KINDS.length).refine((k) => new Set(k).size === k.length, 'each kind once'),
  withinDays,
});
const overview = z.object({ counts, withinDays, mail: z.boolean().describe('whether this server sends digests at all (an SMTP server, or a demo\'s mail drop, is configured)'), preferences: preferences.nullable() });

const notifications: FastifyPluginAsyncZod = async (app) => {
  const anyStaff = app.requireStaff();

  app.get('/v1/staff/notifications', {
    preHandler: anyStaff,
    schema: { tags: ['staff'], summary: 'What waits for you, as counts only, and your notification preferences', response: { 200: overview } },
  }, async (request) => {
    const me = request.staff;
    const mine = await findPreferences(app.db, me.id);
    const days = mine?.withinDays ?? DEFAULT_WITHIN_DAYS;
    return { counts: await notificationCounts(app.db, me, days), withinDays: days, mail: app.config.smtpUrl !== undefined || app.config.mailDir !== undefined, preferences: mine };
  });

  app.put('/v1/staff/notifications/preferences', {
    preHandler: anyStaff,
    schema: {
      tags: ['staff'], summary: 'Opt in to (or change) a digest of counts by e-mail, sent on a schedule when the counts change',
      body: preferences, response: { 200: preferences, ...errors('validation_failed') },
    },
  }, async (request) => {
    const me = request.staff;
    const chosen = { ...request.body, kinds: NOTIFICATION_KINDS.filter((k) => request.body.kinds.includes(k)) };
    await audited(app.db, async (trx) => {
      await setPreferences(trx, me.id, chosen);
      return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'notifications.set', detail: { kinds: chosen.kinds, withinDays: chosen.withinDays } } };
    });
    return chosen;
  });

  app.delete('/v1/staff/notifications/preferences', {
    preHandler: anyStaff,
    schema: {
      tags: ['staff'], summary: 'Opt out: the address is deleted and no digest is sent (answered alike when already out)',
      response: { 200: z.object({ optedOut: z.literal(true), removed: z.boolean().describe('whether there were preferences to delete') }) },
    },
  }, async (request) => {
    const me = request.staff;
    const removed = await audited(app.db, async (trx) => {
      const gone = await clearPreferences(trx, me.id);
      return { result: gone, audit: gone ? { agencyId: me.agencyId, staffId: me.id, action: 'notifications.clear', detail: {} } : null };
    });
    return { optedOut: true as const, removed };
  });
};
export default notifications;
