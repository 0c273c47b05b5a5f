import type { PublicationForm } from '../domain/index.js';
import type { HttpClient } from './http.js';
import type { ListedCase } from './staff.js';
import { resolveCaseId } from './staff-workflow.js';

// Published conclusions (Law Art. 40; Decree 31/2019 Art. 6). The summary is PUBLIC the
// moment it is sent: it is plain text by design, read by anyone at GET /v1/publications
// (the portal's) or wherever the form puts it, so nothing here seals it — and nothing
// about the denouncer may be in it.

export interface Publication {
  publicationId: string; caseId: string; publicNumber: string; form: string; runs: number | null; summary: string; publishedOn: string;
  earliestTakeDown: string; withdrawnOn: string | null; state: 'published' | 'withdrawn';
}

/** The form of Decree 31 Art. 6(2) (the rule set's first, the portal, when none is named) and, for print, radio or TV, the runs ordered. */
export interface PublicationChoice { form?: PublicationForm | undefined; runs?: number | undefined }

/** A case id from its id or public number, with only an HttpClient carrying a staff session. */
export function caseRef(http: HttpClient, ref: string): Promise<string> {
  const cases = (q: Record<string, string | number | undefined> = {}) => {
    const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    return http.get<{ cases: ListedCase[]; nextCursor: string | null }>(`/v1/staff/cases?${params}`);
  };
  return resolveCaseId({ cases }, ref);
}

/** Publishes `summary` as written: `acknowledgePublic` is the caller saying they know it is public. */
export function publishConclusion(http: HttpClient, caseId: string, summary: string, choice: PublicationChoice = {}): Promise<Publication & { warning: string }> {
  return http.post(`/v1/staff/cases/${caseId}/publication`, {
    summary, acknowledgePublic: true, ...(choice.form ? { form: choice.form } : {}), ...(choice.runs !== undefined ? { runs: choice.runs } : {}),
  });
}

/** Refused with publication_period_running (and the earliest day) before the minimum display of its form ends. */
export function withdrawConclusion(http: HttpClient, caseId: string, form?: PublicationForm): Promise<Publication> {
  return http.post(`/v1/staff/cases/${caseId}/publication/withdraw${form ? `?form=${form}` : ''}`);
}

export function agencyPublications(http: HttpClient, state?: Publication['state']): Promise<{ asOf: string; publications: Array<Publication & { mayTakeDown: boolean }> }> {
  return http.get(`/v1/staff/publications${state ? `?state=${state}` : ''}`);
}

