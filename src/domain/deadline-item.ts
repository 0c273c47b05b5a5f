// One running deadline as the deadlines board lists it (GET /v1/staff/deadlines): what
// the server computes from the agency's rules and the client groups and counts again.

export interface DeadlineItem {
  /** 'duty': what a conclusion brings after it (VN-2026), the duty named by `phase`. */
  kind: 'case' | 'protection_request' | 'duty';
  caseId: string;
  /** The protection request that falls due; null for a case's own deadline. */
  protectionRequestId: string | null;
  publicNumber: string;
  state: string;
  /**
   * The clock's phase (triage, settlement, petition, protection, …); null where none
   * runs. For a duty, the duty: send_conclusion, handle_conclusion, publish_conclusion,
   * confirm_protection_in_writing.
   */
  phase: string | null;
  urgent: boolean;
  due: string;
  overdue: boolean;
}
