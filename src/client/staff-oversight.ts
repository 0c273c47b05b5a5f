import type { Channel, ConclusionFigures, DeadlineItem } from '../domain/index.js';
import type { HttpClient } from './http.js';

export type { DeadlineItem };

// What a head of agency watches (GET /v1/staff/deadlines, /v1/staff/reports and
// /v1/staff/reports/series). Metadata only: nothing is sealed or signed, so any
// HttpClient with a staff session will do (the CLI's and the console's alike).

export interface Deadlines { asOf: string; until: string; items: DeadlineItem[] }

/** The periodic report's figures for a period (Circular 01/2024; report-form.ts lays them out as the form). */
export interface ReportFigures {
  from: string; to: string;
  cases: {
    carriedOver: number; received: number; accepted: number; notAccepted: number;
    /** Arrivals by channel: online, or recorded by an intake officer in person or from a letter (PROTOCOL.md §5.3). */
    receivedBy: { online: number; inPerson: number; letter: number };
    resolved: { total: number; true: number; partlyTrue: number; false: number; onTime: number; late: number };
    extended: number; suspended: number; transferred: number; terminated: number; withdrawn: number; followUps: number;
  };
  protection: {
    received: number; urgent: number; granted: number; refused: number;
    /** Requests by channel: the denouncer's own online, or recorded by an intake officer by phone or in person (Art. 50(3)). */
    receivedBy?: { online: number; phone: number; inPerson: number };
  };
  retaliationReports: number;
  /** Concluded cases handled (Law Art. 36(1)): referred to an investigating body, false denouncer handled. */
  handling?: { referredForProsecution: number; falseDenouncerHandled: number };
  publications?: { published: number; withdrawn: number };
  petitions?: { reclassified: number; answered: number; onTime: number; late: number };
  /** Anonymous information, false names, forms not followed (Law Art. 25): taken into the track, and how it ended. */
  information?: { classified: number; inspection: number; checking: number; transferred: number; notProcessed: number };
  /** After a conclusion: denouncers rewarded (Art. 62), false denouncers sanctioned, by sanction (Art. 65). */
  outcomes?: { rewards: number; sanctions: { discipline: number; administrativeFine: number; criminalLiability: number } };
  /** What the period's conclusions recommend, as signed with them: money (đồng), land (m²), persons (src/domain/conclusion-figures.ts). */
  recommended?: ConclusionFigures;
}

/** What the report's charts draw, beside the form's figures. */
export interface ReportSeries {
  from: string; to: string;
  /** Arrivals per month (YYYY-MM), by kind, by whether an identity came with them and by channel. */
  arrivals: { month: string; kind: string; named: boolean; channel: Channel; count: number }[];
  /** Cases open at the end of the period, by calendar days since receipt (0–30, 31–90, 91–180, 181–365, over 365). */
  openByAge: { bucket: OpenAgeBucket; count: number }[];
  /** Protection requests made in the period, by where they stand at its end. */
  protectionOutcomes: { granted: number; refused: number; pending: number };
}
export const openAgeBuckets = ['0-30', '31-90', '91-180', '181-365', '366+'] as const;
export type OpenAgeBucket = (typeof openAgeBuckets)[number];

export interface Period { from: string; to: string }

export function deadlines(http: HttpClient, withinDays: number, asOf?: string): Promise<Deadlines> {
  const query = new URLSearchParams({ withinDays: String(withinDays), ...(asOf ? { asOf } : {}) });
  return http.get<Deadlines>(`/v1/staff/deadlines?${query}`);
}

export function report(http: HttpClient, period: Period, agencyId?: string): Promise<ReportFigures> {
  return http.get<ReportFigures>(`/v1/staff/reports?${periodQuery(period, agencyId)}`);
}

export function reportSeries(http: HttpClient, period: Period): Promise<ReportSeries> {
  return http.get<ReportSeries>(`/v1/staff/reports/series?${periodQuery(period)}`);
}

const periodQuery = (p: Period, agencyId?: string) => new URLSearchParams({ from: p.from, to: p.to, ...(agencyId ? { agencyId } : {}) });
