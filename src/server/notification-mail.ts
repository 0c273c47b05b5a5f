import { NOTIFICATION_KINDS, type NotificationCounts, type NotificationKind } from '../domain/index.js';
import type { NotificationPreferences } from './db/notifications.js';

// The words of a notification digest. A digest carries counts and the console's link,
// nothing else: no case number, no name, no staff id, no case content, no subject
// line a reader could learn anything more from. Vietnamese first, English beside it,
// plain text only (no HTML, so no remote image or link tracking can be slipped in).

export interface DigestMail { subject: string; text: string }

const LINES: Record<NotificationKind, { vi: (n: number, days: number) => string; en: (n: number, days: number) => string }> = {
  inbox: { vi: (n) => `${n} hồ sơ mới chờ xử lý`, en: (n) => `${n} new case(s) waiting in your inbox` },
  replies: { vi: (n) => `${n} hồ sơ có tin nhắn chưa đọc của người tố cáo`, en: (n) => `${n} case(s) with an unread message from the denouncer` },
  deadlines: {
    vi: (n, d) => `${n} thời hạn đến hạn trong ${d} ngày làm việc (kể cả quá hạn)`,
    en: (n, d) => `${n} deadline(s) due within ${d} working day(s), overdue ones included`,
  },
  identity: { vi: (n) => `${n} yêu cầu mở danh tính chờ bạn quyết định`, en: (n) => `${n} identity request(s) awaiting your decision` },
};

/** The counts of the kinds the member chose, in the fixed order of NOTIFICATION_KINDS. */
export function chosenCounts(counts: NotificationCounts, p: Pick<NotificationPreferences, 'kinds'>): [NotificationKind, number][] {
  return NOTIFICATION_KINDS.filter((k) => p.kinds.includes(k)).map((k) => [k, counts[k]]);
}

export function digestMail(counts: NotificationCounts, p: Pick<NotificationPreferences, 'kinds' | 'withinDays'>, consoleLink: string): DigestMail {
  const chosen = chosenCounts(counts, p);
  const total = chosen.reduce((sum, [, n]) => sum + n, 0);
  const list = (lang: 'vi' | 'en') => chosen.map(([k, n]) => `- ${LINES[k][lang](n, p.withinDays)}`).join('\n');
  const text = [
    `Bạn có ${total} mục đang chờ trong tipline:`, list('vi'), `Mở bảng điều khiển: ${consoleLink}`, '',
    `You have ${total} item(s) waiting in tipline:`, list('en'), `Open the console: ${consoleLink}`, '',
    '--',
    'Thư này chỉ có số lượng, không có nội dung hồ sơ. Thay đổi hoặc tắt thông báo trong bảng điều khiển.',
    'This message carries counts only, no case content. Change or stop these messages in the console.',
    '',
  ].join('\n');
  return { subject: `tipline: ${total} mục đang chờ / ${total} items waiting`, text };
}
