import { sql } from 'kysely';
import type { Database } from './connect.js';

// The figures of Circular 02/2021 form 03/KQGQ (LEGAL.md "Reports"), from metadata
// only and in SQL: index range scans on (agency_id, day) — never a replay, never content.

export interface WorkflowReport {
  agencyId: string;
  from: string;
  to: string;
  cases: {
    carriedOver: number;
    received: number;
    accepted: number;
    notAccepted: number;
    resolved: { total: number; true: number; partlyTrue: number; false: number; onTime: number; late: number };
    extended: number;
    suspended: number;
    transferred: number;
    terminated: number;
    withdrawn: number;
    followUps: number;
  };
  protection: { received: number; urgent: number; granted: number; refused: number };
  retaliationReports: number;
  /** Conclusions published (Decree 31 Art. 6) and taken down in the period. */
  publications: { published: number; withdrawn: number };
  /** Petitions / feedback (10 working days): reclassified and answered in the period, on time or late. */
  petitions: { reclassified: number; answered: number; onTime: number; late: number };
}

const n = (v: unknown): number => Number(v ?? 0);

export async function workflowReport(db: Database, agencyId: string, from: string, to: string): Promise<WorkflowReport> {
  const { rows } = await sql<Record<string, string>>`
    select
      (select count(*) from cases where agency_id = ${agencyId} and accepted_on < ${from}
         and (finished_on is null or finished_on >= ${from})) as carried_over,
      (select count(*) from cases where agency_id = ${agencyId} and received_on between ${from} and ${to}) as received,
      (select count(*) from cases where agency_id = ${agencyId} and received_on between ${from} and ${to}
         and kind = 'retaliation') as retaliation,
      (select count(*) from cases where agency_id = ${agencyId} and received_on between ${from} and ${to}
         and parent_case_id is not null and kind <> 'retaliation') as follow_ups,
      count(*) filter (where e.action = 'accept') as accepted,
      count(*) filter (where e.action = 'not_accept') as not_accepted,
      count(*) filter (where e.action = 'conclude') as resolved,
      count(*) filter (where e.action = 'conclude' and e.finding = 'true') as resolved_true,
      count(*) filter (where e.action = 'conclude' and e.finding = 'partly_true') as resolved_partly,
      count(*) filter (where e.action = 'conclude' and e.finding = 'false') as resolved_false,
      count(*) filter (where e.action = 'conclude' and not e.late) as on_time,
      count(*) filter (where e.action = 'conclude' and e.late) as late,
      count(*) filter (where e.action = 'extend') as extended,
      count(*) filter (where e.action = 'suspend') as suspended,
      count(*) filter (where e.action = 'transfer') as transferred,
      count(*) filter (where e.action = 'terminate') as terminated,
      count(*) filter (where e.action = 'withdraw') as withdrawn,
      count(*) filter (where e.action = 'reclassify_petition') as petitions,
      count(*) filter (where e.action = 'answer') as answered,
      count(*) filter (where e.action = 'answer' and not e.late) as answered_on_time,
      count(*) filter (where e.action = 'answer' and e.late) as answered_late,
      (select count(*) from protection_requests where agency_id = ${agencyId} and requested_on between ${from} and ${to}) as p_received,
      (select count(*) from protection_requests where agency_id = ${agencyId} and requested_on between ${from} and ${to} and urgent) as p_urgent,
      (select count(*) from protection_requests where agency_id = ${agencyId} and decided_on between ${from} and ${to} and status = 'granted') as p_granted,
      (select count(*) from protection_requests where agency_id = ${agencyId} and decided_on between ${from} and ${to} and status = 'refused') as p_refused,
      (select count(*) from conclusion_publications where agency_id = ${agencyId} and published_on between ${from} and ${to}) as published,
      (select count(*) from conclusion_publications where agency_id = ${agencyId} and withdrawn_on between ${from} and ${to}) as pub_withdrawn
    from case_events e
    where e.agency_id = ${agencyId} and e.on_day between ${from} and ${to}`.execute(db);
  const r = rows[0] ?? {};
  return {
    agencyId, from, to,
    cases: {
      carriedOver: n(r['carried_over']), received: n(r['received']), accepted: n(r['accepted']), notAccepted: n(r['not_accepted']),
      resolved: {
        total: n(r['resolved']), true: n(r['resolved_true']), partlyTrue: n(r['resolved_partly']), false: n(r['resolved_false']),
        onTime: n(r['on_time']), late: n(r['late']),
      },
      extended: n(r['extended']), suspended: n(r['suspended']), transferred: n(r['transferred']),
      terminated: n(r['terminated']), withdrawn: n(r['withdrawn']), followUps: n(r['follow_ups']),
    },
    protection: { received: n(r['p_received']), urgent: n(r['p_urgent']), granted: n(r['p_granted']), refused: n(r['p_refused']) },
    retaliationReports: n(r['retaliation']),
    publications: { published: n(r['published']), withdrawn: n(r['pub_withdrawn']) },
    petitions: { reclassified: n(r['petitions']), answered: n(r['answered']), onTime: n(r['answered_on_time']), late: n(r['answered_late']) },
  };
}
