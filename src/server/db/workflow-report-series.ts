import { sql } from 'kysely';
import type { Channel } from '../../domain/index.js';
import type { Database } from './connect.js';

// What the report's charts draw (GET /v1/staff/reports/series), beside the form's figures
// (workflow-reports.ts): grouped in SQL, so an answer is a few dozen rows however many
// cases the period holds. Metadata only, as the figures.

export const OPEN_AGE_BUCKETS = ['0-30', '31-90', '91-180', '181-365', '366+'] as const;
export type OpenAgeBucket = (typeof OPEN_AGE_BUCKETS)[number];

export interface ReportSeries {
  from: string;
  to: string;
  arrivals: { month: string; kind: string; named: boolean; channel: Channel; count: number }[];
  openByAge: { bucket: OpenAgeBucket; count: number }[];
  protectionOutcomes: { granted: number; refused: number; pending: number };
}

const n = (v: unknown): number => Number(v ?? 0);

export async function workflowReportSeries(db: Database, agencyId: string, from: string, to: string): Promise<ReportSeries> {
  const [arrivals, ages, protection] = await Promise.all([
    sql<{ month: string; kind: string; named: boolean; channel: Channel; n: string }>`
      select to_char(received_on, 'YYYY-MM') as month, kind, has_identity as named, coalesce(ch.channel, 'online') as channel, count(*) as n
      from cases left join case_channels ch on ch.case_id = cases.id
      where agency_id = ${agencyId} and received_on between ${from} and ${to}
      group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(db),
    // Open at the period's end: received by then and not finished by then.
    sql<{ bucket: string; n: string }>`
      select case when age <= 30 then '0-30' when age <= 90 then '31-90' when age <= 180 then '91-180'
                  when age <= 365 then '181-365' else '366+' end as bucket, count(*) as n
      from (select ${to}::date - received_on as age from cases
            where agency_id = ${agencyId} and received_on <= ${to} and (finished_on is null or finished_on > ${to})) open
      group by 1`.execute(db),
    // Requests made in the period, as they stand at its end: a decision after it is still pending then.
    sql<Record<string, string>>`
      select count(*) filter (where decided_on <= ${to} and status = 'granted') as granted,
             count(*) filter (where decided_on <= ${to} and status = 'refused') as refused,
             count(*) filter (where decided_on is null or decided_on > ${to}) as pending
      from protection_requests where agency_id = ${agencyId} and requested_on between ${from} and ${to}`.execute(db),
  ]);
  const byBucket = new Map(ages.rows.map((r) => [r.bucket, n(r.n)]));
  const p = protection.rows[0] ?? {};
  return {
    from, to,
    arrivals: arrivals.rows.map((r) => ({ month: r.month, kind: r.kind, named: Boolean(r.named), channel: r.channel, count: n(r.n) })),
    openByAge: OPEN_AGE_BUCKETS.map((bucket) => ({ bucket, count: byBucket.get(bucket) ?? 0 })),
    protectionOutcomes: { granted: n(p['granted']), refused: n(p['refused']), pending: n(p['pending']) },
  };
}
