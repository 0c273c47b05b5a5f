import { sql } from 'kysely';
import { conclusionFigureNames, type ConclusionFigures } from '../../domain/index.js';
import type { Database } from './connect.js';

// The figures of the periodic report (Circular 01/2024; the columns of the older form
// 03/KQGQ as the guide, LEGAL.md "Reports"), from metadata only and in SQL: index-only range scans on (agency_id, day) — never a replay, never
// content (migrations/0009_case_indexes.ts).

export interface WorkflowReport {
  agencyId: string;
  from: string;
  to: string;
  cases: {
    carriedOver: number;
    received: number;
    /** Arrivals by how they came (src/domain/channels.ts): online, or recorded by an intake officer. */
    receivedBy: { online: number; inPerson: number; letter: number };
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
  protection: {
    received: number; urgent: number; granted: number; refused: number;
    /** Requests by how they came: the denouncer's own online, or recorded by an intake officer (Art. 50(3)). */
    receivedBy: { online: number; phone: number; inPerson: number };
  };
  retaliationReports: number;
  /**
   * How concluded cases were handled (Law Art. 36(1), VN-2026 `handle_conclusion`): cases
   * whose file went to an investigating body or the procuracy ((c)), and cases where the
   * person who deliberately denounced falsely was handled ((a)). Counted by case.
   */
  handling: { referredForProsecution: number; falseDenouncerHandled: number };
  /** Conclusions published (Decree 31 Art. 6) and taken down in the period. */
  publications: { published: number; withdrawn: number };
  /** Petitions / feedback (10 working days): reclassified and answered in the period, on time or late. */
  petitions: { reclassified: number; answered: number; onTime: number; late: number };
  /**
   * Anonymous information, false names, non-conforming forms (VN-2026: Law Art. 25): taken
   * into the track in the period, and its outcomes there.
   */
  information: { classified: number; inspection: number; checking: number; transferred: number; notProcessed: number };
  /**
   * After a conclusion: denouncers rewarded (Law Art. 62); deliberate false denouncers
   * handled under the conclusion (Art. 36(1)(a)) and the sanctions recorded (Art. 65).
   */
  outcomes: { rewards: number; sanctions: { discipline: number; administrativeFine: number; criminalLiability: number } };
  /**
   * What the period's conclusions recommend, summed over those that carry figures (signed
   * with the step, src/domain/conclusion-figures.ts): money in đồng, land in m², persons.
   */
  recommended: ConclusionFigures;
}

const n = (v: unknown): number => Number(v ?? 0);

export async function workflowReport(db: Database, agencyId: string, from: string, to: string): Promise<WorkflowReport> {
  // One round trip. The period's events are first grouped (a few dozen rows at most:
  // action × finding × late), so the figures below filter those groups, not every event.
  const { rows } = await sql<Record<string, string>>`
    with events as (
      select action, finding, late, ground, count(*) as n from case_events
      where agency_id = ${agencyId} and on_day between ${from} and ${to}
      group by action, finding, late, ground
    ), handled as (
      select case_id, ground from case_events
      where agency_id = ${agencyId} and on_day between ${from} and ${to} and action = 'handle_conclusion'
    ), figures as (
      select ${sql.join(conclusionFigureNames.map((name) => sql`coalesce(sum((figures->>${name})::bigint), 0)::text as ${sql.ref(`fig_${name}`)}`))}
      from case_events
      where agency_id = ${agencyId} and on_day between ${from} and ${to} and action = 'conclude' and figures is not null
    ), arrivals as (
      select count(*) as received,
             count(*) filter (where kind = 'retaliation') as retaliation,
             count(*) filter (where parent_case_id is not null and kind <> 'retaliation') as follow_ups,
             count(*) filter (where ch.channel = 'in_person') as in_person,
             count(*) filter (where ch.channel = 'letter') as letter
      from cases left join case_channels ch on ch.case_id = cases.id
      where agency_id = ${agencyId} and received_on between ${from} and ${to}
    ), protection as (
      select count(*) filter (where requested_on between ${from} and ${to}) as p_received,
             count(*) filter (where requested_on between ${from} and ${to} and urgent) as p_urgent,
             count(*) filter (where decided_on between ${from} and ${to} and status = 'granted') as p_granted,
             count(*) filter (where decided_on between ${from} and ${to} and status = 'refused') as p_refused,
             count(*) filter (where requested_on between ${from} and ${to} and pc.channel = 'phone') as p_phone,
             count(*) filter (where requested_on between ${from} and ${to} and pc.channel = 'in_person') as p_in_person
      from protection_requests left join protection_channels pc on pc.request_id = protection_requests.id
      where agency_id = ${agencyId}
        and (requested_on between ${from} and ${to} or decided_on between ${from} and ${to})
    )
    select
      (select count(*) from cases where agency_id = ${agencyId} and finished_on is null and accepted_on < ${from})
      + (select count(*) from cases where agency_id = ${agencyId} and finished_on >= ${from} and accepted_on < ${from})
        as carried_over,
      a.received, a.retaliation, a.follow_ups, a.in_person, a.letter,
      sum(e.n) filter (where e.action = 'accept') as accepted,
      sum(e.n) filter (where e.action = 'not_accept') as not_accepted,
      sum(e.n) filter (where e.action = 'conclude') as resolved,
      sum(e.n) filter (where e.action = 'conclude' and e.finding = 'true') as resolved_true,
      sum(e.n) filter (where e.action = 'conclude' and e.finding = 'partly_true') as resolved_partly,
      sum(e.n) filter (where e.action = 'conclude' and e.finding = 'false') as resolved_false,
      sum(e.n) filter (where e.action = 'conclude' and not e.late) as on_time,
      sum(e.n) filter (where e.action = 'conclude' and e.late) as late,
      sum(e.n) filter (where e.action = 'extend') as extended,
      sum(e.n) filter (where e.action = 'suspend') as suspended,
      sum(e.n) filter (where e.action = 'transfer') as transferred,
      sum(e.n) filter (where e.action = 'terminate') as terminated,
      sum(e.n) filter (where e.action = 'withdraw') as withdrawn,
      sum(e.n) filter (where e.action = 'reclassify_petition') as petitions,
      sum(e.n) filter (where e.action = 'answer') as answered,
      sum(e.n) filter (where e.action = 'answer' and not e.late) as answered_on_time,
      sum(e.n) filter (where e.action = 'answer' and e.late) as answered_late,
      sum(e.n) filter (where e.action = 'classify_information') as info_classified,
      sum(e.n) filter (where e.action = 'decide_inspection') as info_inspection,
      sum(e.n) filter (where e.action = 'decide_checking') as info_checking,
      sum(e.n) filter (where e.action = 'forward_information') as info_transferred,
      sum(e.n) filter (where e.action = 'not_process') as info_not_processed,
      sum(e.n) filter (where e.action = 'reward') as rewards,
      sum(e.n) filter (where e.action = 'record_false_denunciation' and e.ground = 'discipline') as sanction_discipline,
      sum(e.n) filter (where e.action = 'record_false_denunciation' and e.ground = 'administrative_fine') as sanction_fine,
      sum(e.n) filter (where e.action = 'record_false_denunciation' and e.ground = 'criminal_liability') as sanction_criminal,
      p.p_received, p.p_urgent, p.p_granted, p.p_refused, p.p_phone, p.p_in_person,
      (select count(distinct case_id) filter (where ground = 'referred_for_prosecution') from handled) as referred,
      (select count(distinct case_id) filter (where ground = 'false_denouncer_handled') from handled) as false_handled,
      (select count(*) from conclusion_publications where agency_id = ${agencyId} and published_on between ${from} and ${to}) as published,
      (select count(*) from conclusion_publications where agency_id = ${agencyId} and withdrawn_on between ${from} and ${to}) as pub_withdrawn,
      ${sql.join(conclusionFigureNames.map((name) => sql.ref(`f.fig_${name}`)))}
    from arrivals a cross join protection p cross join figures f left join events e on true
    group by a.received, a.retaliation, a.follow_ups, a.in_person, a.letter, p.p_received, p.p_urgent, p.p_granted, p.p_refused, p.p_phone, p.p_in_person,
      ${sql.join(conclusionFigureNames.map((name) => sql.ref(`f.fig_${name}`)))}`.execute(db);
  const r = rows[0] ?? {};
  return {
    agencyId, from, to,
    cases: {
      carriedOver: n(r['carried_over']), received: n(r['received']),
      receivedBy: { online: n(r['received']) - n(r['in_person']) - n(r['letter']), inPerson: n(r['in_person']), letter: n(r['letter']) },
      accepted: n(r['accepted']), notAccepted: n(r['not_accepted']),
      resolved: {
        total: n(r['resolved']), true: n(r['resolved_true']), partlyTrue: n(r['resolved_partly']), false: n(r['resolved_false']),
        onTime: n(r['on_time']), late: n(r['late']),
      },
      extended: n(r['extended']), suspended: n(r['suspended']), transferred: n(r['transferred']),
      terminated: n(r['terminated']), withdrawn: n(r['withdrawn']), followUps: n(r['follow_ups']),
    },
    protection: {
      received: n(r['p_received']), urgent: n(r['p_urgent']), granted: n(r['p_granted']), refused: n(r['p_refused']),
      receivedBy: { online: n(r['p_received']) - n(r['p_phone']) - n(r['p_in_person']), phone: n(r['p_phone']), inPerson: n(r['p_in_person']) },
    },
    retaliationReports: n(r['retaliation']),
    handling: { referredForProsecution: n(r['referred']), falseDenouncerHandled: n(r['false_handled']) },
    publications: { published: n(r['published']), withdrawn: n(r['pub_withdrawn']) },
    petitions: { reclassified: n(r['petitions']), answered: n(r['answered']), onTime: n(r['answered_on_time']), late: n(r['answered_late']) },
    information: {
      classified: n(r['info_classified']), inspection: n(r['info_inspection']), checking: n(r['info_checking']),
      transferred: n(r['info_transferred']), notProcessed: n(r['info_not_processed']),
    },
    outcomes: {
      rewards: n(r['rewards']),
      sanctions: { discipline: n(r['sanction_discipline']), administrativeFine: n(r['sanction_fine']), criminalLiability: n(r['sanction_criminal']) },
    },
    recommended: Object.fromEntries(conclusionFigureNames.map((name) => [name, n(r[`fig_${name}`])])) as ConclusionFigures,
  };
}
