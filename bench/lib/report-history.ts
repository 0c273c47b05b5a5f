import { sql, type RawBuilder } from 'kysely';
import { addCalendarDays } from '../../src/domain/index.js';

// A synthetic workflow history for the report benchmark, defined once as arithmetic
// on the case's index i: the SQL below writes it, `expectedReport` counts it in plain
// JavaScript. The report route must agree with the count, or the benchmark stops.
//
// Case i (1-based) is received on day i mod 365 after 2025-01-01 (one year, so the year
// report counts every case of the database: "a year at 100,000 cases"). Every
// fifth case is not accepted (4 days after receipt) — retaliation reports aside, which
// stay in triage; the others are accepted 3 days after receipt. Of the accepted, those
// with i mod 5 in {1, 2} are concluded 40 days after acceptance, finding by i mod 3,
// late when i mod 7 = 0; those with i mod 10 = 3 get an extension 20 days after
// acceptance. i mod 50 = 0 is a retaliation report and i mod 50 = 25 a follow-up, both
// linked to case i - 1. i mod 40 = 7 carries a protection request 2 days after
// receipt, urgent when i mod 80 = 7, granted / refused / pending by i mod 3, decided
// 6 days after the request. A concluded case with i mod 11 = 0 is handled 5 days after
// its conclusion (Law Art. 36(1)): its denouncer is handled when the finding is false,
// its file sent to an investigating body otherwise.

const firstDay = '2025-01-01';
const spanDays = 365;
const findings = ['true', 'partly_true', 'false'] as const;

interface SyntheticCase {
  received: string;
  kind: 'denunciation' | 'retaliation';
  linked: boolean;
  accepted: string | null;
  notAccepted: string | null;
  concluded: { on: string; finding: (typeof findings)[number]; late: boolean; handled: string | null } | null;
  extended: string | null;
  protection: { on: string; urgent: boolean; status: 'granted' | 'refused' | 'pending'; decided: string | null } | null;
}

function syntheticCase(i: number): SyntheticCase {
  const received = addCalendarDays(firstDay, i % spanDays);
  const retaliation = i % 50 === 0;
  const accepted = i % 5 !== 0 ? addCalendarDays(received, 3) : null;
  const status = (['granted', 'refused', 'pending'] as const)[i % 3]!;
  const requested = addCalendarDays(received, 2);
  return {
    received,
    kind: retaliation ? 'retaliation' : 'denunciation',
    linked: retaliation || i % 50 === 25,
    accepted,
    notAccepted: !accepted && !retaliation ? addCalendarDays(received, 4) : null,
    concluded: accepted && (i % 5 === 1 || i % 5 === 2)
      ? { on: addCalendarDays(accepted, 40), finding: findings[i % 3]!, late: i % 7 === 0, handled: i % 11 === 0 ? addCalendarDays(accepted, 45) : null }
      : null,
    extended: accepted && i % 10 === 3 ? addCalendarDays(accepted, 20) : null,
    protection: i % 40 === 7
      ? { on: requested, urgent: i % 80 === 7, status, decided: status === 'pending' ? null : addCalendarDays(requested, 6) }
      : null,
  };
}

export interface ReportPeriod { label: string; from: string; to: string }

/** The report's figures for cases 1..count over a period, counted case by case. */
export function expectedReport(count: number, p: ReportPeriod): Record<string, number> {
  const e: Record<string, number> = {
    'cases.carriedOver': 0, 'cases.received': 0, 'cases.accepted': 0, 'cases.notAccepted': 0,
    'cases.resolved.total': 0, 'cases.resolved.true': 0, 'cases.resolved.partlyTrue': 0, 'cases.resolved.false': 0,
    'cases.resolved.onTime': 0, 'cases.resolved.late': 0, 'cases.extended': 0, 'cases.followUps': 0,
    'protection.received': 0, 'protection.urgent': 0, 'protection.granted': 0, 'protection.refused': 0, retaliationReports: 0,
    'handling.referredForProsecution': 0, 'handling.falseDenouncerHandled': 0,
  };
  const within = (d: string | null | undefined) => d != null && d >= p.from && d <= p.to;
  const bump = (k: string) => { e[k] = (e[k] ?? 0) + 1; };
  const findingKey = { true: 'cases.resolved.true', partly_true: 'cases.resolved.partlyTrue', false: 'cases.resolved.false' } as const;
  for (let i = 1; i <= count; i++) {
    const c = syntheticCase(i);
    const finished = c.concluded?.on ?? c.notAccepted;
    if (c.accepted && c.accepted < p.from && (!finished || finished >= p.from)) bump('cases.carriedOver');
    if (within(c.received)) {
      bump('cases.received');
      if (c.kind === 'retaliation') bump('retaliationReports');
      else if (c.linked) bump('cases.followUps');
    }
    if (within(c.accepted)) bump('cases.accepted');
    if (within(c.notAccepted)) bump('cases.notAccepted');
    if (within(c.extended)) bump('cases.extended');
    if (c.concluded && within(c.concluded.on)) {
      bump('cases.resolved.total');
      bump(findingKey[c.concluded.finding]);
      bump(c.concluded.late ? 'cases.resolved.late' : 'cases.resolved.onTime');
    }
    if (c.concluded && within(c.concluded.handled)) bump(c.concluded.finding === 'false' ? 'handling.falseDenouncerHandled' : 'handling.referredForProsecution');
    if (c.protection) {
      if (within(c.protection.on)) {
        bump('protection.received');
        if (c.protection.urgent) bump('protection.urgent');
      }
      if (within(c.protection.decided)) bump(c.protection.status === 'granted' ? 'protection.granted' : 'protection.refused');
    }
  }
  return e;
}

/** Statements writing cases from..to of the history for one agency, in order. */
export function reportHistorySql(agencyId: string, from: number, to: number): RawBuilder<unknown>[] {
  // Case ids are derived from (agency, i), so a linked case can name case i - 1.
  const id = (i: RawBuilder<unknown>) => sql`md5(${agencyId}::text || ':' || ${i})::uuid`;
  const i = sql.ref('i');
  const received = sql`(${firstDay}::date + (i % ${spanDays}))`;
  const accepted = sql`(${received} + 3)`;
  const concluded = sql`(i % 5 <> 0 and i % 5 in (1, 2))`;
  const series = sql`generate_series(${from}::int, ${to}::int) as i`;
  const finding = sql`(array['true', 'partly_true', 'false'])[1 + i % 3]`;
  return [
    sql`
      insert into cases (id, agency_id, public_number, kind, status, has_identity, received_on, bundle_serial, verifier,
                         submission_digest, envelope, urgent, accepted_on, finished_on, closed_on, finding, resolved_late)
      select ${id(i)}, ${agencyId}, 'TL-REPORT-' || i,
             case when i % 50 = 0 then 'retaliation' else 'denunciation' end,
             case when i % 50 = 0 then 'TRIAGE' when i % 5 = 0 then 'NOT_ACCEPTED' when ${concluded} then 'CONCLUDED' else 'VERIFYING' end,
             i % 3 = 0, ${received}, 1, sha256(convert_to(${agencyId}::text || ':' || i, 'UTF8')),
             sha256(convert_to(i::text, 'UTF8')), decode(repeat(md5(i::text), 16), 'hex'), i % 50 = 0,
             case when i % 5 <> 0 then ${accepted} end,
             case when i % 5 = 0 and i % 50 <> 0 then ${received} + 4 when ${concluded} then ${accepted} + 40 end,
             case when i % 5 = 0 and i % 50 <> 0 then ${received} + 4 end,
             case when ${concluded} then ${finding} end,
             case when ${concluded} then i % 7 = 0 end
      from ${series}`,
    sql`
      update cases set parent_case_id = ${id(sql`i - 1`)}
      from ${series}
      where cases.id = ${id(i)} and i > 1 and (i % 50 = 0 or i % 50 = 25)`,
    sql`
      insert into case_events (case_id, seq, agency_id, action, from_state, to_state, on_day, legal_basis, due_on, late, finding, ground)
      select ${id(i)}, e.seq, ${agencyId}, e.action, e.from_state, e.to_state, e.on_day, e.basis, e.on_day + 30, e.late, e.finding,
             case when e.seq = 4 then case when ${finding} = 'false' then 'false_denouncer_handled' else 'referred_for_prosecution' end end
      from ${series}
      cross join lateral (values
        (1, case when i % 5 = 0 then 'not_accept' else 'accept' end, 'TRIAGE',
            case when i % 5 = 0 then 'NOT_ACCEPTED' else 'ACCEPTED' end,
            case when i % 5 = 0 then ${received} + 4 else ${accepted} end, 'Art. 29', false, null::text),
        (2, 'extend', 'VERIFYING', 'VERIFYING', ${accepted} + 20, 'Art. 30', false, null::text),
        (3, 'conclude', 'VERIFYING', 'CONCLUDED', ${accepted} + 40, 'Art. 35', i % 7 = 0, ${finding}),
        (4, 'handle_conclusion', 'CONCLUDED', 'CONCLUDED', ${accepted} + 45, 'Art. 36(1)', false, null::text)
      ) as e(seq, action, from_state, to_state, on_day, basis, late, finding)
      where i % 50 <> 0
        and (e.seq = 1 or (i % 5 <> 0 and ((e.seq = 2 and i % 10 = 3) or (e.seq = 3 and ${concluded}) or (e.seq = 4 and ${concluded} and i % 11 = 0))))`,
    sql`
      insert into protection_requests (id, case_id, agency_id, urgent, requested_on, due_on, sealed_details, details_threshold, status, decided_on)
      select md5('protection:' || ${id(i)}::text)::uuid, ${id(i)}, ${agencyId}, i % 80 = 7, ${received} + 2, ${received} + 7,
             decode(repeat(md5(i::text), 4), 'hex'), 2,
             (array['granted', 'refused', 'pending'])[1 + i % 3],
             case when i % 3 <> 2 then ${received} + 8 end
      from ${series}
      where i % 40 = 7`,
  ];
}
