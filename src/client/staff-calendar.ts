import type { HttpClient } from './http.js';

// The agency's holiday calendar (GET|POST /v1/staff/holidays, DELETE /v1/staff/holidays/:day).
// Metadata only: nothing is sealed, so any HttpClient with a staff session will do.

export interface CalendarDay {
  day: string; name: string; kind: 'holiday' | 'working_day'; origin: 'shipped' | 'agency'; observed: boolean; source: string | null;
}
export interface AgencyCalendar { year: number; profile: string; version: number; days: CalendarDay[] }
export interface CalendarChange { day: string; kind: 'holiday' | 'working_day' | 'not_a_holiday' | null; version: number; recomputed: number }

export function listHolidays(http: HttpClient, year?: number): Promise<AgencyCalendar> {
  return http.get<AgencyCalendar>(`/v1/staff/holidays${year === undefined ? '' : `?year=${year}`}`);
}

export function addHoliday(http: HttpClient, edit: { day: string; name: string; kind?: 'holiday' | 'working_day' }): Promise<CalendarChange> {
  return http.post<CalendarChange>('/v1/staff/holidays', edit);
}

/** A shipped holiday this agency does not observe (the government moved it, say). */
export function markNotObserved(http: HttpClient, day: string, note?: string): Promise<CalendarChange> {
  return http.post<CalendarChange>(`/v1/staff/holidays/${day}/not-observed`, note ? { note } : {});
}

export function removeHoliday(http: HttpClient, day: string): Promise<CalendarChange> {
  return http.delete<CalendarChange>(`/v1/staff/holidays/${day}`);
}
