import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import t from 'tap';
import * as handlingIndex from '../../migrations/0022_handling_index.js';
import { MalformedReportError, NOT_KEPT, reportCsv, reportForm } from '../../src/client/report-form.js';
import { reportXlsx } from '../../src/client/report-xlsx.js';
import type { ReportFigures } from '../../src/client/staff-oversight.js';
import { createTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { makeAgency, makeCase, makeStaff, transition } from './workflow-fixtures.js';

// The periodic report for a known set of cases, from the route through the form to the
// .xlsx and the CSV a client makes of it: three denunciations received in Q3 2026, one not
// accepted, one found false whose denouncer is then handled for it, one found true whose
// file goes to an investigating body; each figure counted once, the workbook laid out for
// printing with no formula and no link, the CSV with the same lines.

const PERIOD = 'from=2026-07-01&to=2026-09-30';
const settle = (finding: string) => [['triage', '2026-07-21'], ['accept', '2026-07-22'], ['start_verification', '2026-07-23'], ['conclude', '2026-08-21', { finding }]] as const;

t.test('the form from the route, as .xlsx and CSV', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const head = await makeStaff(db, agency, ['supervisor']);
  const step = async (caseId: string, action: string, onDay: string, extra: Record<string, unknown> = {}) =>
    t.equal((await transition(app, head.auth, caseId, { action, onDay, ...extra })).status, 201, `${action} on ${onDay}`);

  const unfounded = await makeCase(db, agency, '2026-07-20');
  for (const [action, onDay, extra] of settle('false')) await step(unfounded.id, action, onDay, extra);
  await step(unfounded.id, 'handle_conclusion', '2026-08-25', { ground: 'false_denouncer_handled' });
  const founded = await makeCase(db, agency, '2026-07-20');
  for (const [action, onDay, extra] of settle('true')) await step(founded.id, action, onDay, extra);
  await step(founded.id, 'handle_conclusion', '2026-08-25', { ground: 'referred_for_prosecution' });
  await step(founded.id, 'handle_conclusion', '2026-08-26', { ground: 'violation_handled' });
  const refused = await makeCase(db, agency, '2026-07-21');
  await step(refused.id, 'triage', '2026-07-22');
  await step(refused.id, 'not_accept', '2026-07-23');

  const res = await app.inject({ url: `/v1/staff/reports?${PERIOD}`, headers: { authorization: head.auth } });
  t.equal(res.statusCode, 200);
  const figures = res.json() as ReportFigures;
  t.same(figures.handling, { referredForProsecution: 1, falseDenouncerHandled: 1 }, 'each handling counted once, the other measure not at all');
  t.match(figures.cases, { received: 3, accepted: 2, notAccepted: 1, resolved: { total: 2, true: 1, false: 1, partlyTrue: 0 } });

  const wb = new ExcelJS.Workbook();
  const bytes = await reportXlsx(figures, 'thanh-tra-tinh-test');
  await wb.xlsx.load(bytes.buffer as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  t.equal(ws.getCell('A1').value, 'BÁO CÁO KẾT QUẢ GIẢI QUYẾT TỐ CÁO', 'the title');
  t.equal(ws.getCell('A4').value, 'thanh-tra-tinh-test', 'the agency');
  t.equal(ws.getCell('A5').value, 'Số liệu tính từ ngày 01/07/2026 đến ngày 30/09/2026 — Figures from 01/07/2026 to 30/09/2026');
  t.ok(['A1:E1', 'A2:E2', 'A3:E3', 'A4:E4', 'A5:E5'].every((m) => (ws.model as { merges: string[] }).merges.includes(m)), 'the title rows merged across the table');
  t.same(ws.getRow(6).values, [undefined, 'STT', 'Chỉ tiêu (tiếng Việt)', 'Indicator (English)', 'Số liệu / Figure', 'Ghi chú / Note'], 'the header row');
  t.match(ws.pageSetup, { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '6:6' }, 'A4 landscape, one page wide, the header on every page');
  t.match(ws.pageSetup.printArea, /^A1:E\d+$/, 'a print area over the whole form');

  const byLabel = new Map<string, ExcelJS.Row>();
  const cellTypes = new Set<ExcelJS.ValueType>();
  const links: string[] = [];
  ws.eachRow((row) => {
    byLabel.set(String(row.getCell(2).value), row);
    row.eachCell((cell) => { cellTypes.add(cell.type); if (cell.hyperlink) links.push(cell.address); });
  });
  t.same(links, [], 'no cell links anywhere');
  t.same([...cellTypes].sort(), [ExcelJS.ValueType.Number, ExcelJS.ValueType.String, ExcelJS.ValueType.Merge].sort(), 'only text and counts: no formula, link or date');
  const figure = (vi: string) => [byLabel.get(vi)?.getCell(3).value, byLabel.get(vi)?.getCell(4).value];
  t.same(figure('Số đơn tiếp nhận trong kỳ'), ['Received in the period', 3]);
  t.same(figure('Số vụ việc không thụ lý'), ['Not accepted', 1]);
  t.same(figure('Trong đó: tố cáo đúng'), ['of which: founded', 1]);
  t.same(figure('Chuyển cơ quan điều tra: số vụ'), ['Transferred to investigation bodies: cases', 1]);
  t.same(figure('Số vụ việc đã xử lý người cố ý tố cáo sai sự thật'), ['Cases where a deliberately false denouncer was handled', 1]);
  const money = byLabel.get('Kiến nghị thu hồi cho Nhà nước: tiền (triệu đồng)')!;
  t.same([money.getCell(4).value, money.getCell(5).value], [0, ''], 'no conclusion of the period carries figures: a kept 0');
  const { recommended: _, ...older } = figures;
  const fromOlder = reportForm(older).find((l) => l.id === 'recoveryMoney')!;
  t.equal(fromOlder.value, null, 'a server that gives no figures: the line says so, and is not a 0');
  t.match(reportCsv(older, 'x'), `"Kiến nghị thu hồi cho Nhà nước: tiền (triệu đồng)","Recommended for recovery to the State: money (million VND)",,"${NOT_KEPT.vi} / ${NOT_KEPT.en}"`);
  t.throws(() => reportForm({ ...figures, recommended: { ...figures.recommended!, recoveryMoney: 1.5 } }), MalformedReportError, 'money comes in whole đồng');
  const zip = Buffer.from(bytes).toString('latin1');
  t.notOk(/externalLink|<f>|calcChain/.test(zip), 'no external link part, formula or calculation chain in the file');

  const csv = reportCsv(figures, 'thanh-tra-tinh-test');
  const lines = reportForm(figures);
  t.equal(lines.filter((l) => byLabel.get(l.vi)?.getCell(4).value === (l.value ?? null)).length, lines.length, 'every line of the form in the workbook, with its figure');
  t.ok(lines.every((l) => csv.includes(`"${l.vi}","${l.en}",${l.value ?? ''},`)), 'and in the CSV, with the same labels and figures');

  // What a hostile server could send in a figure's place: a formula object, text.
  const crafted = { ...figures, cases: { ...figures.cases, received: { formula: 'HYPERLINK("https://evil.example","x")' } } } as unknown as ReportFigures;
  await t.rejects(reportXlsx(crafted, 'x'), MalformedReportError, 'a figure that is not a count makes no workbook');
  t.throws(() => reportCsv({ ...figures, retaliationReports: '=1+1' } as unknown as ReportFigures, 'x'), MalformedReportError, 'nor a CSV');
});

t.test('migration 0022 goes down and up again on this engine', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const indexed = async () => (await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'case_events_handling_idx'`.execute(database.db)).rows.map((r) => r.indexdef);
  await handlingIndex.down(database.db);
  t.same(await indexed(), [], 'gone');
  await handlingIndex.up(database.db);
  t.match((await indexed())[0], /\(agency_id, on_day\) INCLUDE \(case_id, ground\) WHERE \(action = 'handle_conclusion'::text\)/, 'partial and covering');
});
