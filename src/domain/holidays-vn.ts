import { makeCalendar, type HolidayCalendar } from './calendar.js';
import type { Day } from './dates.js';

// Vietnamese public holidays (Labour Code 2019 Art. 112), with the compensatory working
// day already listed where a holiday falls on a weekly rest day (Art. 111.3). Shipped as
// data and editable per agency (agency_holidays): the government fixes the exact Tết
// and 2 September days each year, and an agency must be able to follow its decision
// without a new release.

export interface HolidayEntry {
  day: Day;
  name: string;
  /** Where the date comes from; "computed" entries should be checked against the decision. */
  source: string;
}

const TET_2026 = 'Tết Nguyên Đán Bính Ngọ — official schedule 14–22/02/2026 (government decision)';
const TET_2027 =
  'Tết Nguyên Đán Đinh Mùi — computed: lunar new year 06/02/2027 (new moon, UTC+7); Art. 112.1.b five days ' +
  '(05–09/02) plus compensatory 10–11/02 for the Saturday and Sunday; editable until the decision is issued';

function span(from: number, to: number, month: string, year: number, name: string, source: string): HolidayEntry[] {
  const days: HolidayEntry[] = [];
  for (let d = from; d <= to; d += 1) days.push({ day: `${year}-${month}-${String(d).padStart(2, '0')}`, name, source });
  return days;
}

export const vietnamHolidayEntries: readonly HolidayEntry[] = [
  { day: '2026-01-01', name: 'Tết Dương lịch', source: 'Labour Code 2019 Art. 112.1.a' },
  ...span(14, 22, '02', 2026, 'Tết Nguyên Đán', TET_2026),
  { day: '2026-04-26', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', source: 'Art. 112.1.e; 10/3 Bính Ngọ = 26/04/2026 (Sunday)' },
  { day: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương', source: 'Art. 111.3 compensatory day' },
  { day: '2026-04-30', name: 'Ngày Chiến thắng', source: 'Art. 112.1.c' },
  { day: '2026-05-01', name: 'Quốc tế Lao động', source: 'Art. 112.1.d' },
  { day: '2026-09-01', name: 'Quốc khánh (ngày liền kề)', source: 'Art. 112.1.đ adjacent day — editable, the Prime Minister chooses before or after' },
  { day: '2026-09-02', name: 'Quốc khánh', source: 'Art. 112.1.đ' },
  { day: '2027-01-01', name: 'Tết Dương lịch', source: 'Art. 112.1.a' },
  ...span(5, 11, '02', 2027, 'Tết Nguyên Đán', TET_2027),
  { day: '2027-04-16', name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', source: 'Art. 112.1.e; computed: 10/3 Đinh Mùi = 16/04/2027 — editable' },
  { day: '2027-04-30', name: 'Ngày Chiến thắng', source: 'Art. 112.1.c' },
  { day: '2027-05-01', name: 'Quốc tế Lao động', source: 'Art. 112.1.d (Saturday)' },
  { day: '2027-05-03', name: 'Nghỉ bù Quốc tế Lao động', source: 'Art. 111.3 compensatory day' },
  { day: '2027-09-02', name: 'Quốc khánh', source: 'Art. 112.1.đ' },
  { day: '2027-09-03', name: 'Quốc khánh (ngày liền kề)', source: 'Art. 112.1.đ adjacent day — editable' },
];

export function vietnamCalendar(): HolidayCalendar {
  return makeCalendar(vietnamHolidayEntries.map((h) => h.day));
}
