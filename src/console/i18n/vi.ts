import { adminVi } from './admin.js';
import { adminHolidaysRetentionVi } from './admin-holidays-retention.js';
import { statesVi } from '../../web/i18n/states.js';
import { auditVi } from './audit.js';
import { caseActionsVi } from './case-actions.js';
import { custodyVi } from './custody.js';
import { keysVi } from './keys.js';
import { intakeVi } from './intake.js';
import { notifyVi } from './notify.js';
import { protectionVi } from './protection.js';
import { stepVi } from './step.js';
import { oversightVi } from './oversight.js';

// Vietnamese, the console's default language. Every visible string of the console lives
// in this catalogue and its twin en.ts (same keys) — the shared words here, each area's in
// its own file spread in at the end (case actions, step, custody, admin, audit, oversight, intake, notify, protection), each with
// both languages; `{name}` marks a value filled in.

export const vi = {
  'app.title': 'Bảng điều khiển cán bộ — Đường dây tố cáo',
  'app.lang.switch': 'English',
  'app.lang.label': 'Ngôn ngữ',
  'app.backend': 'Giải mã trên máy này bằng {backend}.',
  'app.memoryOnly': 'Khóa chỉ nằm trong bộ nhớ của thẻ này; không lưu gì trên máy.',

  'signin.title': 'Đăng nhập',
  'signin.keyFile': 'Tệp khóa của bạn',
  'signin.keyFile.hint': 'Tệp .json nhận được khi đăng ký (tipline staff enrol). Tệp không rời khỏi máy này.',
  'signin.passphrase': 'Mật khẩu của tệp khóa',
  'signin.pin': 'Dấu vân tay khóa của cơ quan',
  'signin.pin.hint': 'Ghi trong giấy mời của bạn (8 nhóm 4 ký tự). Không bao giờ lấy từ máy chủ.',
  'signin.pinFile': 'Hoặc chọn tệp ghim (agency-pins.json)',
  'signin.pinFile.hint': 'Tệp ghim của dòng lệnh tipline, trong thư mục ~/.tipline.',
  'signin.submit': 'Mở khóa và đăng nhập',
  'signin.working': 'Đang mở khóa và đăng nhập…',
  'signin.server': 'Máy chủ: {origin}',
  'signin.error.noKeyFile': 'Hãy chọn tệp khóa của bạn.',
  'signin.error.unlock': 'Không mở được tệp khóa: sai mật khẩu hoặc không phải tệp khóa.',
  'signin.error.notEnrolled': 'Tệp khóa này chưa được đăng ký (không có mã cán bộ hoặc mã cơ quan).',
  'signin.error.noPin': 'Cần dấu vân tay khóa của cơ quan (từ giấy mời) hoặc tệp ghim có cơ quan này.',
  'signin.error.badPin': 'Dấu vân tay không hợp lệ: 32 ký tự (0-9, A-Z trừ I, L, O, U), có thể cách nhau.',
  'signin.error.login': 'Máy chủ từ chối đăng nhập ({code}).',
  'signin.expired': 'Phiên đã khóa sau {minutes} phút không hoạt động; khóa đã được xóa khỏi bộ nhớ.',
  'signin.loggedOut': 'Đã đăng xuất; khóa đã được xóa khỏi bộ nhớ.',

  'top.signedInAs': 'Đăng nhập: {name}',
  'top.logout': 'Đăng xuất',
  'top.noCasework': 'Bảng điều khiển không có mục nào cho vai trò của tài khoản này. Hãy hỏi quản trị viên của cơ quan bạn giữ vai trò gì; lệnh tipline làm được mọi việc (docs/STAFF.md).',
  'top.inbox': 'Hộp vụ việc',

  'inbox.title': 'Hộp vụ việc',
  'inbox.filters': 'Lọc',
  'inbox.filter.status': 'Tình trạng',
  'inbox.filter.kind': 'Loại',
  'inbox.filter.any': 'Tất cả',
  'inbox.filter.urgent': 'Chỉ vụ việc khẩn',
  'inbox.filter.mine': 'Chỉ vụ việc giao cho tôi',
  'inbox.col.number': 'Số vụ việc',
  'inbox.col.kind': 'Loại',
  'inbox.col.status': 'Tình trạng',
  'inbox.col.received': 'Ngày nhận',
  'inbox.col.deadline': 'Hạn giải quyết',
  'inbox.col.assignees': 'Người được giao',
  'inbox.urgent': 'Khẩn',
  'inbox.empty': 'Không có vụ việc nào.',
  'inbox.more': 'Xem thêm',
  'reassign.title': 'Vụ việc cần giao lại ({count})',
  'reassign.intro': 'Người duy nhất được giao các vụ việc này đã nghỉ; khóa của họ đã bị xóa. Mở từng vụ việc và giao lại cho một cán bộ khác.',
  'reassign.item': '— {name} đã nghỉ, đánh dấu ngày {day}',
  'inbox.loading': 'Đang tải…',
  'inbox.count': '{count} vụ việc',
  'inbox.nobody': 'Chưa giao',
  'inbox.open': 'Mở vụ việc {number}',

  // unread
  'unread.marker': 'Tin nhắn mới',
  'unread.filter': 'Chỉ vụ việc có tin nhắn chưa đọc',

  'deadline.none': 'Chưa có hạn',
  'deadline.overdue': 'Quá hạn {days} ngày',
  'deadline.today': 'Hết hạn hôm nay',
  'deadline.left': 'Còn {days} ngày',
  'deadline.soon': 'sắp đến hạn',

  'kind.unknown': '{kind}',
  ...statesVi,

  'case.back': 'Quay lại hộp vụ việc',
  'case.title': 'Vụ việc {number}',
  'case.opening': 'Đang tải và giải mã trên máy này…',
  'case.meta': 'Thông tin',
  'case.related': 'Liên quan đến vụ việc',
  'case.identity': 'Có danh tính người tố cáo (do người giữ khóa bảo vệ)',
  'case.body': 'Nội dung (đã giải mã trên máy này)',
  'case.field.who': 'Ai đã vi phạm?',
  'case.field.what': 'Hành vi vi phạm',
  'case.field.when': 'Khi nào?',
  'case.field.where': 'Ở đâu?',
  'case.field.evidence': 'Chứng cứ',
  'case.attachments': 'Tệp đính kèm',
  'case.attachments.none': 'Không có tệp đính kèm.',
  'case.attachment.save': 'Tải về (giải mã trên máy này): {name}',
  'case.attachment.saveShort': 'Tải về (giải mã trên máy này)',
  'case.attachment.done': '✓ Đã kiểm tra toàn vẹn và lưu',
  'case.attachment.failed': '⚠ Không lưu: {why}',
  // attachments download
  'attachment.download.mode.file': 'Ghi thẳng vào tệp bạn chọn, từng phần đã kiểm tra; tệp chỉ được giữ lại khi toàn bộ đã kiểm tra xong.',
  'attachment.download.mode.browser': 'Trình duyệt này không ghi thẳng vào tệp được: tệp được giữ trong trình duyệt đến khi kiểm tra xong, rồi mới tải về.',
  'attachment.download.progress': 'Đang tải, giải mã và kiểm tra: {percent}% ({done} / {total})',
  'attachment.download.interrupted': '⚠ Mất kết nối ở {percent}% ({done} / {total}). Phần đã kiểm tra vẫn được giữ. Kiểm tra kết nối mạng rồi bấm «Tiếp tục tải», hoặc «Hủy» để bỏ.',
  'attachment.download.resume': 'Tiếp tục tải',
  'attachment.download.resumeFor': 'Tiếp tục tải: {name}',
  'attachment.download.cancel': 'Hủy',
  'attachment.download.cancelFor': 'Hủy tải: {name}',
  'attachment.download.cancelled': 'Đã hủy; không có gì được lưu.',
  'attachment.download.notChosen': 'Chưa chọn nơi lưu nên chưa tải gì. Bấm lại nút tải về khi sẵn sàng.',
  'attachment.download.doneFile': '✓ Đã kiểm tra toàn vẹn và lưu vào tệp bạn chọn',
  'attachment.download.pickerFailed': 'trình duyệt không mở được hộp chọn nơi lưu ({why}).',
  'attachment.download.writeFailed': 'không ghi được vào tệp ({why}); tệp đã chọn không bị ghi dở.',
  'attachment.download.next.retry': 'Bấm lại nút tải về sau ít phút; nếu vẫn lỗi, báo cho quản trị hệ thống.',
  'attachment.download.next.disk': 'Kiểm tra chỗ trống trên đĩa hoặc chọn nơi lưu khác, rồi tải lại.',
  'attachment.download.next.tampered': 'Đừng dùng tệp này. Tải lại một lần; nếu vẫn lỗi, báo cho người phụ trách an ninh: bản trên máy chủ có thể đã bị sửa.',
  'case.messages': 'Trao đổi với người tố cáo',
  'case.messages.none': 'Chưa có tin nhắn.',
  'case.message.denouncer': 'Người tố cáo',
  'case.message.signed': '✓ Chữ ký của {name} đã được kiểm tra',
  'case.message.refused': '⚠ Tin nhắn bị từ chối: chữ ký không hợp lệ hoặc không mở được. Nội dung không được hiển thị.',
  'case.message.fromDenouncer': 'Từ người tố cáo (ẩn danh, không ký)',
  'case.timeline': 'Diễn biến và thời hạn',
  'case.timeline.none': 'Chưa có bước xử lý nào.',
  'case.clock.due': 'Hạn: {day}',
  'case.clock.remainingWorking': 'còn {days} ngày làm việc',
  'case.clock.remainingCalendar': 'còn {days} ngày',
  'case.clock.stopped': 'Thời hạn {day} — đã dừng tính (giai đoạn đã kết thúc)',
  'case.clock.overdue': 'Quá hạn',
  'case.clock.paused': 'Tạm dừng từ {day}',
  'case.event': '{action}: {from} → {to}',
  'case.event.by': 'bởi {name}',
  'case.event.due': 'hạn {day}',
  'case.event.late': 'trễ hạn',
  'case.noKey': 'Bạn không giữ khóa của vụ việc này nên không thể đọc nội dung.',

  // names
  'names.unverified': '{name} (chưa xác minh)',
  ...caseActionsVi,
  ...stepVi,
  ...custodyVi,
  ...keysVi,
  ...adminVi,
  ...adminHolidaysRetentionVi,
  ...auditVi,
  ...oversightVi,
  ...intakeVi,
  ...notifyVi,
  ...protectionVi,
} as const;

export type MessageKey = keyof typeof vi;
