import { explanationsVi, statesVi } from './states.js';
// Vietnamese, the page's default language. Every visible string of the page lives in
// this catalogue and its twin en.ts; `{name}` marks a value filled in at run time.

export const vi = {
  'app.title': 'Đường dây tố cáo an toàn',
  'app.tagline': 'Gửi thông tin về tham nhũng, lãng phí, tiêu cực mà không để lộ danh tính.',
  'app.lang.switch': 'English',
  'app.nav.label': 'Chức năng',
  'app.nav.submit': 'Gửi tố cáo mới',
  'app.nav.followUp': 'Theo dõi vụ việc đã gửi',
  'app.loading': 'Đang tải…',
  'app.backend.noble': 'Mã hóa trên thiết bị của bạn bằng JavaScript thuần (không dùng WebAssembly).',
  'app.backend.sodium': 'Mã hóa trên thiết bị của bạn bằng libsodium (WebAssembly).',
  'app.privacy':
    'Nội dung được mã hóa ngay trên thiết bị này trước khi gửi. Máy chủ chỉ lưu bản mã, không lưu địa chỉ IP, không dùng cookie.',

  'noscript.title': 'Trang này cần JavaScript',
  'noscript.why':
    'Thông tin của bạn được mã hóa ngay trong trình duyệt trước khi gửi đi. Khi JavaScript bị tắt, trang không thể mã hóa nên sẽ không gửi gì cả — kể cả bản rõ.',
  'noscript.how':
    'Hãy bật JavaScript cho trang này. Trong Tor Browser: chọn biểu tượng khiên, Cài đặt → Mức bảo mật → "An toàn hơn" (Safer), và mở trang qua địa chỉ HTTPS hoặc .onion. Mức "An toàn nhất" (Safest) tắt JavaScript hoàn toàn.',

  'agency.legend': '1. Cơ quan nhận tố cáo',
  'agency.label': 'Chọn cơ quan',
  'agency.placeholder': '— Chọn một cơ quan —',
  'agency.none': 'Hiện chưa có cơ quan nào nhận tố cáo qua máy chủ này.',
  'agency.loadFailed': 'Không tải được danh sách cơ quan. Hãy thử lại sau.',
  'agency.checking': 'Đang kiểm tra khóa của cơ quan… Bạn có thể bắt đầu viết.',
  'agency.pinned': 'Khóa của cơ quan này được ghim sẵn trong trang (dấu vân tay {fingerprint}).',
  'agency.recovery':
    'Cơ quan này bật khóa khôi phục: mỗi báo cáo cũng được mã hóa cho một khóa dự phòng mà phần bí mật được chia thành {shares} mảnh trên giấy do cán bộ của cơ quan giữ. {threshold} người giữ mảnh cùng nhau đọc được mọi báo cáo gửi trong thời gian khóa này được bật (không đọc được danh tính của bạn). Máy chủ không thể tự thêm khóa này: nó nằm trong danh sách khóa do cơ quan ký.',
  'agency.unpinned':
    'Cảnh báo: khóa của cơ quan này chưa được ghim trong trang (đây là bản thử nghiệm). Trang không thể kiểm tra rằng khóa do máy chủ cung cấp là của cơ quan, nên người kiểm soát máy chủ có thể đọc được những gì bạn gửi. Đừng gửi thông tin nhạy cảm; hãy đối chiếu dấu vân tay của khóa máy chủ đưa ra, {fingerprint}, với dấu vân tay cơ quan cho bạn qua một kênh khác.',
  'agency.unpinnedRefused':
    'Trang này không có khóa được ghim của cơ quan này nên không thể kiểm tra khóa do máy chủ cung cấp, và sẽ không gửi gì đến cơ quan này. Hãy liên hệ cơ quan qua kênh khác.',
  'agency.required': 'Hãy chọn cơ quan nhận tố cáo.',

  'report.legend': '2. Điều gì đã xảy ra?',
  'report.hint':
    'Hãy viết cụ thể: người vi phạm là ai, làm gì, khi nào, ở đâu và có chứng cứ gì. Thông tin càng cụ thể, càng kiểm chứng được thì càng dễ được xử lý.',
  'report.who': 'Ai đã vi phạm? (họ tên, chức vụ, đơn vị)',
  'report.what': 'Hành vi vi phạm là gì?',
  'report.when': 'Khi nào? (ngày, khoảng thời gian)',
  'report.where': 'Ở đâu? (cơ quan, địa điểm)',
  'report.evidence': 'Chứng cứ (tài liệu, nhân chứng, nơi có thể kiểm chứng)',
  'report.whatRequired': 'Hãy mô tả hành vi vi phạm.',

  'files.legend': '3. Tệp đính kèm (không bắt buộc)',
  'files.label': 'Chọn tệp',
  'files.hint':
    'Tệp được mã hóa trên thiết bị này theo từng khối trước khi tải lên. Tên tệp chỉ nằm trong phần đã mã hóa. Hãy xóa thông tin ẩn (tác giả, vị trí) khỏi tệp nếu có thể.',
  'files.remove': 'Bỏ tệp {name}',
  'files.sent': 'Đã gửi {sent} / {total} ({percent}%)',
  'files.done': 'Đã tải lên {name}',
  'files.failed': 'Tải lên {name} bị gián đoạn.',
  'files.resume': 'Tiếp tục tải lên',
  'uploads.title': 'Tệp đính kèm đang được gửi',
  'uploads.keepOpen':
    'Vụ việc đã được lưu và mã biên nhận ở trên đã dùng được. Hãy để trang này mở cho đến khi gửi xong các tệp: nếu đóng trang bây giờ, các tệp chưa gửi sẽ không đến được cơ quan.',
  'uploads.allSent': 'Đã gửi xong tất cả các tệp. Bây giờ bạn có thể đóng trang.',

  'track.legend': '4. Hình thức gửi',
  'track.anonymous': 'Tin báo nặc danh (không cho biết danh tính)',
  'track.anonymous.explain':
    'Không ai biết bạn là ai, kể cả cơ quan. Theo Điều 25 Luật Tố cáo 2018, tin báo nặc danh được xem xét khi nêu rõ người vi phạm và có chứng cứ cụ thể, kiểm chứng được. Cơ quan không gửi thông báo chính thức cho bạn, nhưng bạn vẫn xem được tình trạng và tin nhắn bằng mã biên nhận.',
  'track.formal': 'Tố cáo chính thức (có họ tên, địa chỉ)',
  'track.formal.explain':
    'Luật yêu cầu người tố cáo cho biết họ tên, địa chỉ, cách liên lạc (Điều 23). Bạn được thông báo chính thức về việc thụ lý, kết quả giải quyết và được quyền yêu cầu bảo vệ. Danh tính được mã hóa riêng: người xác minh không đọc được. Chỉ khi đủ {threshold} người giữ khóa của cơ quan cùng đồng ý thì danh tính mới được mở; máy chủ không bao giờ đọc được.',
  'track.formal.explainNoThreshold':
    'Luật yêu cầu người tố cáo cho biết họ tên, địa chỉ, cách liên lạc (Điều 23). Bạn được thông báo chính thức về việc thụ lý, kết quả giải quyết và được quyền yêu cầu bảo vệ. Danh tính được mã hóa riêng: người xác minh không đọc được. Chỉ khi đủ số người giữ khóa của cơ quan cùng đồng ý thì danh tính mới được mở.',
  'track.formal.explainUnpinned':
    'Luật yêu cầu người tố cáo cho biết họ tên, địa chỉ, cách liên lạc (Điều 23). Bạn được thông báo chính thức về việc thụ lý, kết quả giải quyết và được quyền yêu cầu bảo vệ. Danh tính được mã hóa trên thiết bị này, nhưng trang không thể kiểm tra khóa của cơ quan: người kiểm soát máy chủ có thể đọc được danh tính của bạn.',
  'identity.name': 'Họ và tên',
  'identity.address': 'Địa chỉ',
  'identity.contact': 'Cách liên lạc (điện thoại, thư điện tử)',
  'identity.required': 'Tố cáo chính thức cần họ tên, địa chỉ và cách liên lạc.',

  'send.legend': '5. Gửi',
  'send.button': 'Mã hóa và gửi',
  'send.explain':
    'Trước khi gửi, trình duyệt giải một bài toán để chống thư rác; thời gian tùy thiết bị, và trang cho thấy đã giải đến đâu. Sau khi gửi, bạn nhận một mã biên nhận.',
  'send.step.verify': 'Đang kiểm tra khóa của cơ quan…',
  'send.step.seal': 'Đang mã hóa…',
  'send.step.pow': 'Đang chống thư rác: trình duyệt đang giải một bài toán…',
  'send.step.upload': 'Đang gửi…',
  'send.step.files': 'Đang tải tệp lên…',
  'send.failed': 'Gửi không thành công.',
  'pow.measuring': 'Đã xong {solved}/{puzzles} phần; đang đo tốc độ của thiết bị này…',
  'pow.left': 'Đã xong {solved}/{puzzles} phần, còn khoảng {seconds} giây trên thiết bị này.',
  'pow.bar': 'Bài toán chống thư rác: {solved}/{puzzles} phần',

  'error.chunk': 'Không tải được phần mã hóa của trang, hoặc nó không khớp với mã băm mà trang công bố. Đừng gửi gì qua trang này; hãy tải lại trang, hoặc thử lại sau.',
  'error.bundle':
    'Đã dừng: khóa mà máy chủ cung cấp cho cơ quan này không khớp với khóa được ghim, chữ ký không hợp lệ hoặc danh sách khóa đã hết hạn. Có thể máy chủ đã bị can thiệp. Không có gì được gửi đi. Hãy liên hệ cơ quan qua kênh khác.',
  'error.rollback':
    'Đã dừng: máy chủ đưa ra danh sách khóa của cơ quan này cũ hơn danh sách mà trang đã biết. Có thể máy chủ đã bị can thiệp. Không có gì được gửi đi. Hãy liên hệ cơ quan qua kênh khác.',
  'error.network': 'Không kết nối được máy chủ. Hãy kiểm tra mạng và thử lại.',
  'error.rateLimited': 'Máy chủ đang bận. Hãy thử lại sau ít phút.',
  'error.receiptUnknown': 'Không tìm thấy vụ việc với mã biên nhận này.',
  'error.noIntake': 'Cơ quan này chưa có cán bộ tiếp nhận nào trong danh sách khóa. Không có gì được gửi đi.',
  'error.partial':
    'Một số tệp chưa gửi xong (kết nối bị gián đoạn). Vụ việc và mã biên nhận vẫn còn nguyên. Hãy để trang này mở và bấm "Tiếp tục tải lên" khi có mạng: việc gửi tiếp tục từ chỗ đã dừng. Nếu buộc phải đóng trang, hãy chép mã biên nhận trước; sau đó bạn có thể gửi lại tệp trong phần "Theo dõi vụ việc đã gửi".',
  'error.notAllowed': 'Không thể thực hiện việc này ở giai đoạn hiện tại của vụ việc.',
  'error.generic': 'Đã có lỗi ({code}).',

  'receipt.title': 'Đã gửi. Đây là mã biên nhận của bạn',
  'receipt.number': 'Số hồ sơ công khai: {number}',
  'receipt.codeLabel': 'Mã biên nhận',
  'receipt.warning':
    'Hãy chép lại mã này và cất ở nơi an toàn. Đây là cách duy nhất để xem kết quả và đọc tin nhắn. Mã không được lưu ở đâu cả — không trên máy chủ, không trong trình duyệt — nên nếu mất thì không ai khôi phục được.',
  'receipt.copy': 'Sao chép mã',
  'receipt.copied': 'Đã sao chép. Nhớ xóa khỏi bộ nhớ tạm sau khi chép lại.',
  'receipt.copyFailed': 'Không sao chép được; hãy chép tay.',
  'receipt.print': 'In mã',
  'receipt.hide': 'Ẩn mã',
  'receipt.confirm': 'Tôi đã chép lại mã biên nhận',
  'receipt.continue': 'Xem vụ việc',
  'receipt.another': 'Gửi một tố cáo khác (mã trên sẽ không hiện lại)',

  'slip.title': 'Biên nhận tố cáo',
  'slip.code': 'Mã biên nhận',
  'slip.number': 'Số hồ sơ công khai',
  'slip.agency': 'Cơ quan',
  'slip.site': 'Địa chỉ trang',
  'slip.day': 'Ngày tiếp nhận',
  'slip.follow':
    'Cách theo dõi: mở {site}, chọn "Theo dõi vụ việc đã gửi" và nhập mã biên nhận để xem tình trạng, hạn xử lý và tin nhắn của cơ quan.',
  'slip.secret': 'Giữ kín mã này: ai có mã đều đọc được vụ việc và viết thay bạn. Mất mã thì không thể lấy lại.',

  'followup.title': 'Theo dõi vụ việc',
  'followup.receiptLabel': 'Mã biên nhận (25 ký tự)',
  'followup.receiptHint': 'Có thể gõ chữ thường, có hoặc không có dấu gạch ngang.',
  'followup.showReceipt': 'Hiện mã',
  'followup.open': 'Mở',
  'followup.typo': 'Mã biên nhận có lỗi đánh máy (sai ký tự kiểm tra hoặc sai độ dài). Hãy kiểm tra lại; chưa có gì được gửi đi.',
  'followup.opening': 'Đang mở vụ việc…',
  'followup.close': 'Đóng vụ việc và quên mã',
  'followup.caseNumber': 'Hồ sơ số {number}',
  'followup.status': 'Tình trạng:',
  'followup.kind': 'Loại hồ sơ:',
  'followup.deadline': 'Hạn xử lý hiện tại:',
  'followup.noDeadline': 'Hiện không có hạn nào đang chạy.',
  'followup.timeline': 'Diễn biến',
  'followup.timelineEmpty': 'Chưa có diễn biến.',
  'followup.yourReport': 'Nội dung bạn đã gửi',
  'followup.messages': 'Tin nhắn',
  'followup.messagesEmpty': 'Chưa có tin nhắn.',
  'followup.fromAgency': 'Cơ quan',
  'followup.fromYou': 'Bạn',
  'followup.reply': 'Viết tin nhắn cho cơ quan',
  'followup.send': 'Gửi tin nhắn',
  'followup.sent': 'Đã gửi tin nhắn.',
  'followup.addFiles': 'Gửi thêm tệp',
  'followup.download': 'Tải về {name}',
  'followup.refresh': 'Cập nhật',

  'protection.title': 'Yêu cầu bảo vệ',
  'protection.explain':
    'Theo Luật Tố cáo (Điều 47–54), bạn và vợ/chồng, cha mẹ, con của bạn có thể được bảo vệ về vị trí công tác, việc làm, tính mạng, sức khỏe, tài sản, danh dự.',
  'protection.reasons': 'Lý do cần bảo vệ',
  'protection.measures': 'Biện pháp đề nghị',
  'protection.urgent': 'Khẩn cấp: tôi đang gặp nguy hiểm ngay lúc này',
  'protection.send': 'Gửi yêu cầu bảo vệ',
  'protection.sent': 'Đã gửi yêu cầu bảo vệ.',

  'retaliation.title': 'Báo cáo bị trù dập, trả thù',
  'retaliation.explain':
    'Đe dọa, trù dập, trả thù người tố cáo bị nghiêm cấm (Điều 8). Báo cáo được xử lý khẩn. Báo cáo là một vụ việc mới, gắn với vụ việc này, và có mã biên nhận riêng.',
  'retaliation.what': 'Điều gì đã xảy ra với bạn?',
  'retaliation.send': 'Gửi báo cáo',
  'retaliation.sent': 'Đã gửi báo cáo. Báo cáo được gắn với vụ việc này và có mã biên nhận riêng dưới đây.',
  'retaliation.secondCode':
    'Đây là mã thứ hai, chỉ dùng cho báo cáo trù dập, trả thù: mã của vụ việc ban đầu không mở được báo cáo này. Hãy cất giữ cả hai mã. Lý do: mỗi vụ việc được mã hóa cho đúng một mã biên nhận, và để một mã mở được cả hai vụ việc thì phải thay đổi giao thức mã hóa, việc này chưa được làm. Tách riêng cũng bảo vệ bạn: ai lấy được mã thứ nhất (người trả thù có thể gây sức ép với bạn) cũng không đọc được báo cáo này. Cơ quan vẫn thấy hai vụ việc gắn với nhau.',

  'withdraw.title': 'Rút tố cáo',
  'withdraw.explain': 'Bạn có thể rút toàn bộ hoặc một phần nội dung tố cáo trước khi có kết luận (Điều 33). Rút một phần thì phần còn lại vẫn được giải quyết. Rút toàn bộ thì người giải quyết quyết định đình chỉ, hoặc vẫn tiếp tục giải quyết nếu có dấu hiệu vi phạm, việc rút do bị đe dọa, ép buộc, mua chuộc, hoặc tố cáo nhằm vu khống. Việc này không hoàn tác được.',
  'withdraw.scope': 'Bạn rút',
  'withdraw.all': 'Toàn bộ nội dung tố cáo',
  'withdraw.part': 'Một phần nội dung tố cáo',
  'withdraw.letter': 'Nội dung rút tố cáo',
  'withdraw.letterHint': 'Rút một phần: ghi rõ phần nào. Có thể ghi lý do. Nội dung được mã hóa trên máy của bạn.',
  'withdraw.confirm': 'Tôi hiểu và muốn rút tố cáo',
  'withdraw.send': 'Rút tố cáo',
  'withdraw.sent': 'Đã gửi văn bản rút tố cáo.',
  'workflow.unavailable': 'Chức năng này chưa có trên máy chủ này.',

  ...statesVi,
  ...explanationsVi,

  'event.created': 'Vụ việc được gửi',
  'event.transition': 'Chuyển sang:',
  'event.other': '{kind}',
} as const;

export type MessageKey = keyof typeof vi;
