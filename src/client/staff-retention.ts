import type { HttpClient } from './http.js';

// Retention and legal holds (GET /v1/staff/retention, PUT|DELETE …/legal-hold, POST …/purge):
// the head of agency's. Metadata only: nothing is sealed or opened, so any HttpClient with
// a staff session will do. The server decides what is due; it refuses a purge of a held
// case or of one still inside its period (409), whatever a client thinks.

export interface RetentionItem { caseId: string; publicNumber: string; closedOn: string; retainUntil: string; held: boolean }
export interface RetentionList { asOf: string; due: RetentionItem[] }
export interface RetentionChange { caseId: string; held: boolean; purgedOn: string | null }

/** Closed cases whose retention has ended by `asOf` (default today), and every held one. */
export function listRetention(http: HttpClient, asOf?: string): Promise<RetentionList> {
  return http.get<RetentionList>(`/v1/staff/retention${asOf === undefined ? '' : `?asOf=${asOf}`}`);
}

/** Keeps the case past its retention; `basis` (a court order, an inquiry) is audited. */
export function placeHold(http: HttpClient, caseId: string, basis: string): Promise<RetentionChange> {
  return http.put<RetentionChange>(`/v1/staff/cases/${caseId}/legal-hold`, { basis });
}

export function releaseHold(http: HttpClient, caseId: string): Promise<RetentionChange> {
  return http.delete<RetentionChange>(`/v1/staff/cases/${caseId}/legal-hold`);
}

/** Destroys every sealed byte of the case for good; the report metadata and the audit log stay. */
export function purgeCase(http: HttpClient, caseId: string): Promise<RetentionChange> {
  return http.post<RetentionChange>(`/v1/staff/cases/${caseId}/purge`);
}
