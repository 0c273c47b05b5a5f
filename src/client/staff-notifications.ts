import { NOTIFICATION_KINDS, type NotificationCounts, type NotificationKind } from '../domain/notifications.js';
import type { HttpClient } from './http.js';

// What waits for the signed-in member, as counts, and their notification digest
// (GET /v1/staff/notifications, PUT|DELETE /v1/staff/notifications/preferences).
// Counts only: nothing here names a case. Any HttpClient with a staff session will do.

export { NOTIFICATION_KINDS, type NotificationCounts, type NotificationKind };
export interface NotificationPreferences { address: string; kinds: NotificationKind[]; withinDays: number }
export interface NotificationOverview {
  counts: NotificationCounts;
  /** The working days ahead the deadlines count looks: the member's choice, else the default. */
  withinDays: number;
  /** Whether the server sends digests at all. */
  mail: boolean;
  preferences: NotificationPreferences | null;
}

export function notifications(http: HttpClient): Promise<NotificationOverview> {
  return http.get<NotificationOverview>('/v1/staff/notifications');
}

export function setNotificationPreferences(http: HttpClient, p: NotificationPreferences): Promise<NotificationPreferences> {
  return http.put<NotificationPreferences>('/v1/staff/notifications/preferences', p);
}

export function optOutOfNotifications(http: HttpClient): Promise<{ optedOut: true; removed: boolean }> {
  return http.delete<{ optedOut: true; removed: boolean }>('/v1/staff/notifications/preferences');
}

/** All the counts together: the console's badge. */
export const waitingTotal = (c: NotificationCounts): number => NOTIFICATION_KINDS.reduce((n, k) => n + c[k], 0);
