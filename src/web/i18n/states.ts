// What a case's state and kind are called (src/domain's caseStates and caseKinds), in the
// denouncer's page and the staff console alike: one wording, so a denouncer and an
// officer name a state the same. The explanations, in plain words and saying what the
// deadline shown beside a state means, are the page's alone (explanationsVi/En).
// test/web/i18n.test.ts enumerates the states and kinds from the domain and its rule
// sets and fails when one has no name or explanation here.

export const statesVi = {
  'status.RECEIVED': 'Đã tiếp nhận',
  'status.TRIAGE': 'Đang phân loại',
  'status.TRANSFERRED': 'Đã chuyển cơ quan có thẩm quyền',
  'status.NOT_ACCEPTED': 'Không thụ lý',
  'status.PETITION': 'Chuyển thành kiến nghị, phản ánh',
  'status.ACCEPTED': 'Đã thụ lý',
  'status.VERIFYING': 'Đang xác minh',
  'status.CONCLUDED': 'Đã có kết luận',
  'status.CLOSED': 'Đã kết thúc',
  'status.SUSPENDED': 'Tạm đình chỉ',
  'status.TERMINATED': 'Đình chỉ',
  'status.WITHDRAWN': 'Đã rút',
  'status.ASSESSMENT': 'Đang chờ kết quả giám định',
  'status.WITHDRAWAL_REVIEW': 'Đã rút toàn bộ tố cáo, chờ người giải quyết quyết định đình chỉ hoặc tiếp tục giải quyết',
  'status.MONITORING': 'Đã có kết luận, đang theo dõi, đôn đốc việc thực hiện kết luận',
  'status.INFORMATION': 'Thông tin có nội dung tố cáo: đang xem xét, không theo thủ tục giải quyết tố cáo',
  'status.INSPECTION': 'Thông tin có nội dung tố cáo: đã quyết định thanh tra',
  'status.CHECKING': 'Thông tin có nội dung tố cáo: đã quyết định kiểm tra',
  'status.NOT_PROCESSED': 'Thông tin có nội dung tố cáo: không xử lý',
  'status.unknown': 'Tình trạng khác ({status})',
  'kind.denunciation': 'Tố cáo',
  'kind.petition': 'Kiến nghị, phản ánh',
  'kind.retaliation': 'Báo cáo bị trù dập, trả thù',
  'kind.information': 'Thông tin có nội dung tố cáo (ẩn danh, mạo danh hoặc không đúng hình thức)',
} as const;

export const statesEn: Record<keyof typeof statesVi, string> = {
  'status.RECEIVED': 'Received',
  'status.TRIAGE': 'Being classified',
  'status.TRANSFERRED': 'Transferred to the competent body',
  'status.NOT_ACCEPTED': 'Not accepted',
  'status.PETITION': 'Reclassified as a petition / feedback',
  'status.ACCEPTED': 'Accepted',
  'status.VERIFYING': 'Being verified',
  'status.CONCLUDED': 'Concluded',
  'status.CLOSED': 'Closed',
  'status.SUSPENDED': 'Suspended',
  'status.TERMINATED': 'Terminated',
  'status.WITHDRAWN': 'Withdrawn',
  'status.ASSESSMENT': 'Waiting for an expert assessment',
  'status.WITHDRAWAL_REVIEW': 'Withdrawn in full: the person settling it decides to terminate or to go on',
  'status.MONITORING': 'Concluded: how the conclusion is carried out is being monitored',
  'status.INFORMATION': 'Information reporting a breach: being considered, outside the denunciation procedure',
  'status.INSPECTION': 'Information reporting a breach: an inspection was decided',
  'status.CHECKING': 'Information reporting a breach: a check was decided',
  'status.NOT_PROCESSED': 'Information reporting a breach: not processed',
  'status.unknown': 'Other status ({status})',
  'kind.denunciation': 'Denunciation',
  'kind.petition': 'Petition / feedback',
  'kind.retaliation': 'Retaliation report',
  'kind.information': 'Information reporting a breach (anonymous, under a false name or not in the legal form)',
};

export const explanationsVi = {
  // The console has a 'kind.unknown' of its own, a bare fallback it uses for more than kinds.
  'kind.unknown': 'Loại khác ({kind})',
  'status.RECEIVED.explain':
    'Cơ quan đã nhận được nội dung bạn gửi và sẽ xem xét, phân loại. Hạn xử lý là ngày cuối cùng để cơ quan làm bước đầu tiên: phân loại (theo quy trình của EU: xác nhận đã nhận).',
  'status.TRIAGE.explain':
    'Cơ quan đang kiểm tra xem việc này có thuộc thẩm quyền và có đủ điều kiện thụ lý không. Hạn xử lý là ngày cuối cùng để cơ quan quyết định thụ lý, không thụ lý hay chuyển đi (theo quy trình của EU: ngày cuối cùng để phản hồi bạn).',
  'status.TRANSFERRED.explain':
    'Việc này không thuộc thẩm quyền của cơ quan đã nhận, nên đã được chuyển đến cơ quan có thẩm quyền. Vụ việc tại đây đã kết thúc; không còn hạn nào.',
  'status.NOT_ACCEPTED.explain':
    'Cơ quan quyết định không thụ lý (ví dụ: không đủ điều kiện theo luật). Lý do, nếu có, nằm trong tin nhắn. Vụ việc đã kết thúc; không còn hạn nào.',
  'status.PETITION.explain':
    'Cơ quan xác định nội dung bạn gửi là kiến nghị, phản ánh chứ không phải tố cáo, và xử lý theo thủ tục đó. Hạn xử lý là ngày cuối cùng để cơ quan trả lời.',
  'status.ACCEPTED.explain':
    'Cơ quan đã thụ lý và sẽ giải quyết. Hạn xử lý là ngày cuối cùng để giải quyết (ra kết luận). Luật cho phép gia hạn; khi đó ngày mới hiện ở đây.',
  'status.VERIFYING.explain':
    'Cơ quan đang xác minh nội dung. Hạn xử lý là ngày cuối cùng để giải quyết (ra kết luận). Luật cho phép gia hạn; khi đó ngày mới hiện ở đây.',
  'status.CONCLUDED.explain':
    'Cơ quan đã ra kết luận. Kết luận hoặc thông báo kết quả, nếu có, nằm trong tin nhắn. Không còn hạn giải quyết.',
  'status.CLOSED.explain': 'Vụ việc đã kết thúc. Không còn hạn nào. Bạn vẫn đọc được tin nhắn bằng mã biên nhận.',
  'status.SUSPENDED.explain':
    'Việc giải quyết tạm dừng (ví dụ: chờ kết quả của một cơ quan khác). Thời hạn ngừng tính; khi giải quyết tiếp, số ngày còn lại được tính tiếp và hạn mới hiện ở đây.',
  'status.TERMINATED.explain': 'Cơ quan đã đình chỉ việc giải quyết, trong những trường hợp luật quy định. Lý do, nếu có, nằm trong tin nhắn. Không còn hạn nào.',
  'status.WITHDRAWN.explain': 'Bạn đã rút tố cáo. Không còn hạn nào.',
  'status.ASSESSMENT.explain':
    'Việc xác minh đang chờ kết quả giám định. Thời gian giám định không tính vào thời hạn giải quyết: thời hạn ngừng tính và được tính tiếp khi có kết quả.',
  'status.WITHDRAWAL_REVIEW.explain':
    'Bạn đã rút toàn bộ tố cáo. Người giải quyết sẽ quyết định đình chỉ, hoặc vẫn tiếp tục giải quyết khi luật buộc phải tiếp tục (ví dụ: hành vi bị tố cáo có dấu hiệu vi phạm, hoặc việc rút là do bị đe dọa, ép buộc). Việc rút không làm dừng thời hạn: hạn xử lý vẫn là ngày cuối cùng để giải quyết.',
  'status.MONITORING.explain':
    'Cơ quan đã ra kết luận và đang theo dõi, đôn đốc việc thực hiện kết luận. Không còn hạn giải quyết; vụ việc kết thúc khi việc theo dõi xong.',
  'status.INFORMATION.explain':
    'Cơ quan xem xét thông tin bạn gửi ngoài thủ tục giải quyết tố cáo (Luật Tố cáo Điều 25): luật không đặt thời hạn và không có thông báo chính thức. Cơ quan vẫn có thể nhắn tin cho bạn tại đây.',
  'status.INSPECTION.explain':
    'Thông tin có nội dung rõ ràng, có tài liệu, chứng cứ và cơ sở để xác minh, nên cơ quan đã quyết định thanh tra theo pháp luật về thanh tra. Vụ việc tại đây đã kết thúc; không còn hạn nào.',
  'status.CHECKING.explain':
    'Thông tin có nội dung rõ ràng, có tài liệu, chứng cứ và cơ sở để xác minh, nên cơ quan đã quyết định kiểm tra. Vụ việc tại đây đã kết thúc; không còn hạn nào.',
  'status.NOT_PROCESSED.explain':
    'Thông tin không đủ điều kiện để thanh tra, kiểm tra hay chuyển đi (Luật Tố cáo Điều 25), nên không được xử lý. Vụ việc đã kết thúc; không còn hạn nào.',
  'kind.information.explain':
    'Thông tin không rõ họ tên, địa chỉ người gửi, mạo danh người khác hoặc không theo hình thức tố cáo (Luật Tố cáo Điều 25): không giải quyết theo thủ tục tố cáo, không có thời hạn luật định; kết quả là thanh tra, kiểm tra, chuyển đi hoặc không xử lý.',
  'kind.denunciation.explain': 'Tố cáo hành vi vi phạm pháp luật, giải quyết theo thủ tục tố cáo.',
  'kind.petition.explain': 'Kiến nghị, phản ánh: cơ quan xem xét và trả lời theo thủ tục riêng, không theo thủ tục tố cáo.',
  'kind.retaliation.explain': 'Báo cáo bị đe dọa, trù dập, trả thù vì đã tố cáo; được gắn với vụ việc ban đầu và xử lý khẩn.',
} as const;

export const explanationsEn: Record<keyof typeof explanationsVi, string> = {
  'kind.unknown': 'Other kind ({kind})',
  'status.RECEIVED.explain':
    'The agency has received what you sent and will look at it and classify it. The deadline is the last day for the agency to take the first step: classify it (under the EU procedure: confirm receipt).',
  'status.TRIAGE.explain':
    'The agency is checking whether the matter is for it to decide and meets the conditions to be taken up. The deadline is the last day for it to take it up, refuse it or pass it on (under the EU procedure: the last day to give you feedback).',
  'status.TRANSFERRED.explain':
    'The matter is not for the agency that received it to decide, so it was passed to the body that is. The case is over here; no deadline runs.',
  'status.NOT_ACCEPTED.explain':
    'The agency decided not to take it up (for example, it does not meet the conditions the law sets). Any reason given is in the messages. The case is over; no deadline runs.',
  'status.PETITION.explain':
    'The agency found that what you sent is a petition or feedback rather than a denunciation, and handles it under that procedure. The deadline is the last day for the agency to answer.',
  'status.ACCEPTED.explain':
    'The agency has taken it up and will settle it. The deadline is the last day to settle it (reach a conclusion). The law allows an extension; the new day then shows here.',
  'status.VERIFYING.explain':
    'The agency is verifying what you reported. The deadline is the last day to settle it (reach a conclusion). The law allows an extension; the new day then shows here.',
  'status.CONCLUDED.explain': 'The agency has reached a conclusion. The conclusion or a notice of the result, if any, is in the messages. No deadline runs.',
  'status.CLOSED.explain': 'The case is over. No deadline runs. You can still read the messages with your receipt code.',
  'status.SUSPENDED.explain':
    'Settling the case is on hold (for example, waiting for another body). The clock is stopped; when work resumes, the days left count again and the new deadline shows here.',
  'status.TERMINATED.explain': 'The agency stopped settling the case, in one of the cases the law provides for. Any reason given is in the messages. No deadline runs.',
  'status.WITHDRAWN.explain': 'You withdrew the report. No deadline runs.',
  'status.ASSESSMENT.explain':
    'Verification is waiting for an expert assessment. The time it takes does not count towards the deadline: the clock is stopped and runs again once the result is in.',
  'status.WITHDRAWAL_REVIEW.explain':
    'You withdrew the whole report. The person settling it decides to terminate it, or to go on where the law says they must (for example, the act reported shows signs of a violation, or the withdrawal came from threats or coercion). A withdrawal stops no clock: the deadline is still the last day to settle it.',
  'status.MONITORING.explain':
    'The agency has reached a conclusion and is monitoring how it is carried out. No deadline for settling runs; the case ends when the monitoring does.',
  'status.INFORMATION.explain':
    'The agency considers what you sent outside the denunciation procedure (Law on Denunciation Art. 25): the law sets no time limit and owes no formal notice. The agency can still write to you here.',
  'status.INSPECTION.explain':
    'The information is clear, carries documents or evidence and gives a basis to verify, so the agency decided an inspection under the inspection laws. The case is over here; no deadline runs.',
  'status.CHECKING.explain':
    'The information is clear, carries documents or evidence and gives a basis to verify, so the agency decided a check. The case is over here; no deadline runs.',
  'status.NOT_PROCESSED.explain':
    'The information does not meet the conditions for an inspection, a check or a transfer (Law on Denunciation Art. 25), so it is not processed. The case is over; no deadline runs.',
  'kind.information.explain':
    'Information with no clear name or address of its sender, under another person\'s name or not in the form of a denunciation (Law on Denunciation Art. 25): not settled under the denunciation procedure, with no statutory time limit; it ends in an inspection, a check, a transfer or nothing.',
  'kind.denunciation.explain': 'A report of a breach of the law, settled under the denunciation procedure.',
  'kind.petition.explain': 'A petition or feedback: the agency considers it and answers under its own procedure, not the denunciation procedure.',
  'kind.retaliation.explain': 'A report of threats, harassment or retaliation for having reported; linked to the first case and handled urgently.',
};
