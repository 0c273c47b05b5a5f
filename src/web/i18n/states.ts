// What a case's state is called (src/domain's states), in the denouncer's page and the
// staff console alike: one wording, so a denouncer and an officer name a state the same.

export const statesVi = {
  'status.RECEIVED': 'Đã tiếp nhận',
  'status.TRIAGE': 'Đang phân loại',
  'status.TRANSFERRED': 'Đã chuyển cơ quan có thẩm quyền',
  'status.NOT_ACCEPTED': 'Không thụ lý',
  'status.PETITION': 'Chuyển thành kiến nghị, phản ánh',
  'status.ACCEPTED': 'Đã thụ lý',
  'status.VERIFYING': 'Đang xác minh',
  'status.CONCLUDED': 'Đã có kết luận',
  'status.HANDLED': 'Đã xử lý',
  'status.CLOSED': 'Đã kết thúc',
  'status.SUSPENDED': 'Tạm đình chỉ',
  'status.TERMINATED': 'Đình chỉ',
  'status.WITHDRAWN': 'Đã rút',
  'status.ASSESSMENT': 'Đang chờ kết quả giám định',
  'status.WITHDRAWAL_REVIEW': 'Đã rút toàn bộ tố cáo, chờ người giải quyết quyết định đình chỉ hoặc tiếp tục giải quyết',
  'status.MONITORING': 'Đã có kết luận, đang theo dõi, đôn đốc việc thực hiện kết luận',
  'status.unknown': 'Tình trạng khác ({status})',
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
  'status.HANDLED': 'Handled',
  'status.CLOSED': 'Closed',
  'status.SUSPENDED': 'Suspended',
  'status.TERMINATED': 'Terminated',
  'status.WITHDRAWN': 'Withdrawn',
  'status.ASSESSMENT': 'Waiting for an expert assessment',
  'status.WITHDRAWAL_REVIEW': 'Withdrawn in full: the person settling it decides to terminate or to go on',
  'status.MONITORING': 'Concluded: how the conclusion is carried out is being monitored',
  'status.unknown': 'Other status ({status})',
};
