import ExcelJS from 'exceljs';
import { FORM_WORDS, NOT_KEPT, periodLine, reportForm, sectionTitles, type FormLine } from './report-form.js';
import type { ReportFigures } from './staff-oversight.js';

// The periodic report as an .xlsx laid out like the form, made where the figures are read
// (the console, lazily loaded and pinned by hash, src/console/xlsx.ts; the CLI), never by
// the server: a hostile server could hand staff a workbook with formulas or external links.
// Every cell is text we wrote or a count report-form.ts checked; nothing is a formula, a
// hyperlink or a reference to another file. Printable: A4 landscape, one page wide, the
// header row repeated on every page, the title merged across the table.

const COLUMNS = [
  { key: 'no', width: 6 },
  { key: 'vi', width: 58 },
  { key: 'en', width: 50 },
  { key: 'value', width: 12 },
  { key: 'note', width: 34 },
] as const;
const LAST = 'E';
/** Five banner rows (title, English title, form, agency, period), then the header. */
const HEADER_ROW = 6;
const thin = { style: 'thin' } as const;
const box = { top: thin, left: thin, bottom: thin, right: thin };

/** A row merged across the table, in the style given. */
function banner(ws: ExcelJS.Worksheet, text: string, font: Partial<ExcelJS.Font>, height?: number): void {
  const row = ws.addRow([text]);
  ws.mergeCells(`A${row.number}:${LAST}${row.number}`);
  row.getCell(1).font = font;
  row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  if (height) row.height = height;
}

function figureRow(ws: ExcelJS.Worksheet, index: number, l: FormLine): void {
  const note = l.value === null ? `${NOT_KEPT.vi} / ${NOT_KEPT.en}` : '';
  const row = ws.addRow([index, l.vi, l.en, l.value, note]);
  row.eachCell({ includeEmpty: true }, (cell) => { cell.border = box; cell.alignment = { vertical: 'top', wrapText: true }; });
  row.getCell(3).font = { italic: true };
  row.getCell(4).alignment = { horizontal: 'right', vertical: 'top' };
}

function sectionRow(ws: ExcelJS.Worksheet, title: { vi: string; en: string }): void {
  const row = ws.addRow([`${title.vi} / ${title.en}`]);
  ws.mergeCells(`A${row.number}:${LAST}${row.number}`);
  row.getCell(1).font = { bold: true };
  row.getCell(1).border = box;
  row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
}

/** The workbook's bytes: one sheet, the form. */
export async function reportXlsx(r: ReportFigures, agency: string): Promise<Uint8Array<ArrayBuffer>> {
  const lines = reportForm(r);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tipline';
  // A fixed date, so the same figures make the same file: the period is in the sheet.
  wb.created = wb.modified = new Date(`${r.to}T00:00:00Z`);
  const ws = wb.addWorksheet('03-KQGQ', { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const w = FORM_WORDS;
  const period = periodLine(r);
  banner(ws, w.title.vi.toUpperCase(), { bold: true, size: 14 }, 24);
  banner(ws, w.title.en, { italic: true, size: 12 });
  banner(ws, `${w.form.vi} — ${w.form.en}`, { size: 10 });
  banner(ws, agency, { bold: true });
  banner(ws, `${period.vi} — ${period.en}`, { size: 11 });
  const header = ws.addRow(['STT', `${w.figure.vi} (tiếng Việt)`, `${w.figure.en} (English)`, `${w.value.vi} / ${w.value.en}`, `${w.note.vi} / ${w.note.en}`]);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.border = box;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  let section: string | null = null;
  lines.forEach((l, i) => {
    if (l.section !== section) sectionRow(ws, sectionTitles[(section = l.section)]);
    figureRow(ws, i + 1, l);
  });
  ws.addRow([]);
  banner(ws, `${w.source.vi} ${w.source.en}`, { italic: true, size: 9 });
  ws.pageSetup = {
    paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0,
    printArea: `A1:${LAST}${ws.rowCount}`, printTitlesRow: `${header.number}:${header.number}`,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddFooter: '&L&A&R&P / &N' };
  return new Uint8Array(await wb.xlsx.writeBuffer() as ArrayBuffer);
}
