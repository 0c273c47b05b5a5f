// What a staff member may be told waits for them (docs/OPERATIONS.md, "Notifications"):
// four counts, in this order wherever they are shown or mailed. A count never names a case.
export const NOTIFICATION_KINDS = ['inbox', 'replies', 'deadlines', 'identity'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationCounts = Record<NotificationKind, number>;
