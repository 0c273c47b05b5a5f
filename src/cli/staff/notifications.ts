import type { Command } from 'commander';
import {
  NOTIFICATION_KINDS, notifications, optOutOfNotifications, setNotificationPreferences, type NotificationKind,
} from '../../client/staff-notifications.js';
import { CliError, emit, table } from '../common/output.js';
import { client, withSession, type SessionOptions } from '../workflow/reports.js';
import { run } from './run.js';

// `tipline notifications show | set | off`: what waits for you, as counts, and your own
// choice of a digest by e-mail. The digest carries counts and the console's link only,
// and is mailed on the server's schedule when the counts change (docs/OPERATIONS.md).

function kindsArg(list: string): NotificationKind[] {
  const kinds = list.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(NOTIFICATION_KINDS as readonly string[]).includes(k));
  if (unknown.length || kinds.length === 0) throw new CliError(`--kinds takes a comma-separated list of ${NOTIFICATION_KINDS.join(', ')}`);
  return kinds as NotificationKind[];
}

function withinArg(days: string): number {
  const n = Number(days);
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new CliError('--within takes a number of working days from 0 to 30');
  return n;
}

export function registerNotifications(program: Command): void {
  const cmd = program.command('notifications').description('what waits for you, as counts; and an e-mail digest of those counts, if you want one');

  withSession(cmd.command('show').description('the counts of what waits for you, and your notification preferences'))
    .action(run(async (o: SessionOptions) => {
      const r = await notifications(await client(o));
      emit(o, r, () => [
        table(['waiting', 'count'], NOTIFICATION_KINDS.map((k) => [k === 'deadlines' ? `deadlines (within ${r.withinDays} working days)` : k, r.counts[k]])),
        r.preferences
          ? `digest: to ${r.preferences.address}, counting ${r.preferences.kinds.join(', ')}${r.mail ? '' : ' (this server sends no mail: no SMTP server is configured)'}`
          : 'digest: off (tipline notifications set --email <address> to opt in)',
      ].join('\n'));
    }));

  withSession(cmd.command('set').description('opt in to (or change) a digest of counts by e-mail, sent when the counts change'))
    .requiredOption('--email <address>', 'where the digest goes (your work address)')
    .option('--kinds <list>', `which counts: a comma-separated list of ${NOTIFICATION_KINDS.join(', ')}`, NOTIFICATION_KINDS.join(','))
    .option('--within <days>', 'count deadlines due within this many working days (overdue ones included)', '3')
    .action(run(async (o: SessionOptions & { email: string; kinds: string; within: string }) => {
      const r = await setNotificationPreferences(await client(o), { address: o.email, kinds: kindsArg(o.kinds), withinDays: withinArg(o.within) });
      emit(o, r, () => `digest on: ${r.kinds.join(', ')} (deadlines within ${r.withinDays} working days) to ${r.address}`);
    }));

  withSession(cmd.command('off').description('opt out: your address is deleted and no digest is sent'))
    .action(run(async (o: SessionOptions) => {
      const r = await optOutOfNotifications(await client(o));
      emit(o, r, () => (r.removed ? 'digest off; your address is deleted' : 'digest was already off'));
    }));
}
