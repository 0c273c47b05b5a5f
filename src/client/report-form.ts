import type { ReportFigures } from './staff-oversight.js';

// The periodic report's form, one list for every way it leaves a client: the console's
// table, its CSV and .xlsx, the CLI's table, CSV and .xlsx. Each line has the form's own
// Vietnamese wording (the columns of form 03/KQGQ, the guide until Circular 01/2024's
// tables are obtained: docs/LAW-VN.md §14) and the English beside, whatever the reader's
// language: the form is filed in Vietnamese. A line whose figure the server does not give
// (an older server, without the conclusions' figures) stays in the form, empty and saying
// so, rather than a made-up 0. Money and land are what the period's conclusions recommend,
// signed with them (src/domain/conclusion-figures.ts).

export const formSections = ['cases', 'results', 'protection', 'petitions', 'publications', 'information'] as const;
export type FormSection = (typeof formSections)[number];

export const sectionTitles: Record<FormSection, { vi: string; en: string }> = {
  cases: { vi: 'I. Giải quyết tố cáo thuộc thẩm quyền', en: 'I. Denunciations within competence' },
  results: { vi: 'II. Kết quả xử lý sau giải quyết', en: 'II. What the settlement led to' },
  protection: { vi: 'III. Bảo vệ người tố cáo', en: 'III. Protection of denouncers' },
  petitions: { vi: 'IV. Kiến nghị, phản ánh', en: 'IV. Petitions and feedback' },
  publications: { vi: 'V. Công khai kết luận', en: 'V. Publication of conclusions' },
  information: { vi: 'VI. Thông tin không xử lý theo thủ tục tố cáo (Điều 25)', en: 'VI. Information not settled as denunciations (Art. 25)' },
};

/** The words beside a figure the product does not keep yet. */
export const NOT_KEPT = { vi: 'Chưa theo dõi trên hệ thống', en: 'Not yet recorded by the system' } as const;

export interface FormLine {
  id: string;
  section: FormSection;
  vi: string;
  en: string;
  /** null: the figure is not kept (NOT_KEPT: an older server). A count, or million đồng for a money line (a decimal). */
  value: number | null;
}

type Pick = (r: ReportFigures) => number | null | undefined;
/** `perMillion`: the server counts đồng, the form's column is in million đồng. */
interface LineSpec { id: string; section: FormSection; vi: string; en: string; pick: Pick; perMillion?: true }

const line = (section: FormSection, id: string, vi: string, en: string, pick: Pick): LineSpec => ({ id, section, vi, en, pick });
const money = (id: string, vi: string, en: string, pick: Pick): LineSpec => ({ ...line('results', id, vi, en, pick), perMillion: true });

const LINES: readonly LineSpec[] = [
  line('cases', 'carriedOver', 'Số vụ việc kỳ trước chuyển sang', 'Cases carried over from the previous period', (r) => r.cases.carriedOver),
  line('cases', 'received', 'Số đơn tiếp nhận trong kỳ', 'Received in the period', (r) => r.cases.received),
  line('cases', 'receivedOnline', '— trong đó: gửi trực tuyến', '— of which sent online', (r) => r.cases.receivedBy.online),
  line('cases', 'receivedInPerson', '— trong đó: trình bày trực tiếp', '— of which presented in person', (r) => r.cases.receivedBy.inPerson),
  line('cases', 'receivedByLetter', '— trong đó: gửi đơn qua bưu chính', '— of which received by letter', (r) => r.cases.receivedBy.letter),
  line('cases', 'followUps', 'Trong đó số vụ việc tố cáo tiếp', 'of which: repeat denunciations', (r) => r.cases.followUps),
  line('cases', 'accepted', 'Số vụ việc đã thụ lý', 'Accepted', (r) => r.cases.accepted),
  line('cases', 'notAccepted', 'Số vụ việc không thụ lý', 'Not accepted', (r) => r.cases.notAccepted),
  line('cases', 'resolved', 'Số vụ việc đã giải quyết', 'Settled', (r) => r.cases.resolved.total),
  line('cases', 'resolvedTrue', 'Trong đó: tố cáo đúng', 'of which: founded', (r) => r.cases.resolved.true),
  line('cases', 'resolvedPartlyTrue', 'Trong đó: tố cáo có đúng, có sai', 'of which: partly founded', (r) => r.cases.resolved.partlyTrue),
  line('cases', 'resolvedFalse', 'Trong đó: tố cáo sai', 'of which: unfounded', (r) => r.cases.resolved.false),
  line('cases', 'resolvedOnTime', 'Chấp hành thời hạn giải quyết: đúng quy định', 'Settled within the time limit', (r) => r.cases.resolved.onTime),
  line('cases', 'resolvedLate', 'Chấp hành thời hạn giải quyết: không đúng quy định', 'Settled after the time limit', (r) => r.cases.resolved.late),
  line('cases', 'extended', 'Số vụ việc gia hạn giải quyết', 'Extended', (r) => r.cases.extended),
  line('cases', 'suspended', 'Số vụ việc tạm đình chỉ giải quyết', 'Suspended', (r) => r.cases.suspended),
  line('cases', 'transferred', 'Số vụ việc chuyển cơ quan có thẩm quyền', 'Transferred to the competent body', (r) => r.cases.transferred),
  line('cases', 'terminated', 'Số vụ việc đình chỉ giải quyết', 'Terminated', (r) => r.cases.terminated),
  line('cases', 'withdrawn', 'Số vụ việc rút toàn bộ nội dung tố cáo', 'Withdrawn in full by the denouncer', (r) => r.cases.withdrawn),
  money('recoveryMoney', 'Kiến nghị thu hồi cho Nhà nước: tiền (triệu đồng)', 'Recommended for recovery to the State: money (million VND)', (r) => r.recommended?.recoveryMoney),
  line('results', 'recoveryLand', 'Kiến nghị thu hồi cho Nhà nước: đất (m²)', 'Recommended for recovery to the State: land (m²)', (r) => r.recommended?.recoveryLand),
  money('returnedMoney', 'Trả lại cho tổ chức, cá nhân: tiền (triệu đồng)', 'Returned to organisations and individuals: money (million VND)', (r) => r.recommended?.returnedMoney),
  line('results', 'returnedLand', 'Trả lại cho tổ chức, cá nhân: đất (m²)', 'Returned to organisations and individuals: land (m²)', (r) => r.recommended?.returnedLand),
  line('results', 'sanctionPersons', 'Kiến nghị xử lý hành chính: số người bị kiến nghị xử lý', 'Persons recommended for administrative sanction', (r) => r.recommended?.sanctionPersons),
  line('results', 'sanctionOfficials', 'Trong đó số cán bộ, công chức, viên chức', 'of which: officials and public employees', (r) => r.recommended?.sanctionOfficials),
  line('results', 'referredForProsecution', 'Chuyển cơ quan điều tra: số vụ', 'Transferred to investigation bodies: cases', (r) => r.handling?.referredForProsecution),
  line('results', 'referredPersons', 'Chuyển cơ quan điều tra: số đối tượng', 'Transferred to investigation bodies: persons', (r) => r.recommended?.referredPersons),
  line('results', 'falseDenouncerHandled', 'Số vụ việc đã xử lý người cố ý tố cáo sai sự thật', 'Cases where a deliberately false denouncer was handled',
    (r) => r.handling?.falseDenouncerHandled),
  line('results', 'sanctionDiscipline', 'Người cố ý tố cáo sai sự thật bị xử lý kỷ luật', 'False denouncers disciplined', (r) => r.outcomes?.sanctions.discipline),
  line('results', 'sanctionFine', 'Người cố ý tố cáo sai sự thật bị xử phạt vi phạm hành chính', 'False denouncers fined', (r) => r.outcomes?.sanctions.administrativeFine),
  line('results', 'sanctionCriminal', 'Người cố ý tố cáo sai sự thật bị truy cứu trách nhiệm hình sự', 'False denouncers prosecuted', (r) => r.outcomes?.sanctions.criminalLiability),
  line('results', 'rewards', 'Số vụ việc có người tố cáo được khen thưởng', 'Cases where a denouncer was rewarded', (r) => r.outcomes?.rewards),
  line('protection', 'protectionReceived', 'Số yêu cầu bảo vệ người tố cáo', 'Protection requests', (r) => r.protection.received),
  line('protection', 'protectionOnline', '— trong đó: người tố cáo gửi trực tuyến', '— of which sent online by the denouncer', (r) => r.protection.receivedBy?.online),
  line('protection', 'protectionByPhone', '— trong đó: qua điện thoại (khẩn cấp)', '— of which by phone (urgent)', (r) => r.protection.receivedBy?.phone),
  line('protection', 'protectionInPerson', '— trong đó: trình bày trực tiếp (khẩn cấp)', '— of which in person (urgent)', (r) => r.protection.receivedBy?.inPerson),
  line('protection', 'protectionUrgent', 'Trong đó: yêu cầu khẩn cấp', 'of which: urgent', (r) => r.protection.urgent),
  line('protection', 'protectionGranted', 'Số yêu cầu được áp dụng biện pháp bảo vệ', 'Protection granted', (r) => r.protection.granted),
  line('protection', 'protectionRefused', 'Số yêu cầu bị từ chối', 'Protection refused', (r) => r.protection.refused),
  line('protection', 'retaliationReports', 'Số tin báo bị trù dập, trả thù', 'Retaliation reports', (r) => r.retaliationReports),
  line('petitions', 'petitionsReclassified', 'Số đơn chuyển thành kiến nghị, phản ánh', 'Reclassified as petitions', (r) => r.petitions?.reclassified),
  line('petitions', 'petitionsAnswered', 'Số kiến nghị, phản ánh đã trả lời', 'Petitions answered', (r) => r.petitions?.answered),
  line('petitions', 'petitionsOnTime', 'Trả lời đúng hạn', 'Answered on time', (r) => r.petitions?.onTime),
  line('petitions', 'petitionsLate', 'Trả lời quá hạn', 'Answered late', (r) => r.petitions?.late),
  line('publications', 'published', 'Số kết luận đã công khai', 'Conclusions published', (r) => r.publications?.published),
  line('publications', 'publicationsWithdrawn', 'Số kết luận thôi công khai', 'Publications taken down', (r) => r.publications?.withdrawn),
  line('information', 'informationClassified', 'Số thông tin tiếp nhận không xử lý theo thủ tục tố cáo', 'Information taken outside the denunciation procedure', (r) => r.information?.classified),
  line('information', 'informationInspection', 'Trong đó: tiến hành thanh tra', 'of which: inspected', (r) => r.information?.inspection),
  line('information', 'informationChecking', 'Trong đó: tiến hành kiểm tra', 'of which: checked', (r) => r.information?.checking),
  line('information', 'informationTransferred', 'Trong đó: chuyển cơ quan có thẩm quyền', 'of which: transferred to the competent body', (r) => r.information?.transferred),
  line('information', 'informationNotProcessed', 'Trong đó: không xử lý', 'of which: not processed', (r) => r.information?.notProcessed),
];

/** The figures came from the server: anything but a count is refused, so no cell can carry text, a formula or an object. */
export class MalformedReportError extends Error {
  constructor(id: string) {
    super(`the report's figure ${id} is not a count`);
    this.name = 'MalformedReportError';
  }
}

function count(id: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new MalformedReportError(id);
  return v;
}

const OPTIONAL_SECTIONS: ReadonlySet<FormSection> = new Set(['petitions', 'publications', 'information']);

/**
 * The form's lines in order. A section the server does not give (petitions, publications,
 * information from an older server) is left out; a figure of a section it gives must be a count.
 */
export function reportForm(r: ReportFigures): FormLine[] {
  const lines: FormLine[] = [];
  for (const spec of LINES) {
    let raw: number | null | undefined;
    try {
      raw = spec.pick(r);
    } catch {
      throw new MalformedReportError(spec.id);
    }
    if (raw === undefined && OPTIONAL_SECTIONS.has(spec.section)) continue;
    const checked = raw === null || raw === undefined ? null : count(spec.id, raw);
    const value = checked !== null && spec.perMillion ? checked / 1_000_000 : checked;
    lines.push({ id: spec.id, section: spec.section, vi: spec.vi, en: spec.en, value });
  }
  return lines;
}

/** Heading words the CSV and the workbook share. */
export const FORM_WORDS = {
  title: { vi: 'Báo cáo kết quả giải quyết tố cáo', en: 'Report on the settlement of denunciations' },
  form: {
    vi: 'Kỳ báo cáo theo Thông tư 01/2024/TT-TTCP; chỉ tiêu theo các cột của biểu 03/KQGQ',
    en: 'Periods of Circular 01/2024/TT-TTCP; indicators after the columns of form 03/KQGQ',
  },
  section: { vi: 'Mục', en: 'Section' },
  figure: { vi: 'Chỉ tiêu', en: 'Indicator' },
  value: { vi: 'Số liệu', en: 'Figure' },
  note: { vi: 'Ghi chú', en: 'Note' },
  source: {
    vi: 'Số liệu tính từ dữ liệu quản lý (không gồm nội dung đơn), lập trên máy của người báo cáo.',
    en: 'Computed from case metadata (no content), made on the reporting officer\'s machine.',
  },
} as const;

/** dd/mm/yyyy, as the form writes its days. */
export const formDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export const periodLine = (r: ReportFigures) => ({
  vi: `Số liệu tính từ ngày ${formDay(r.from)} đến ngày ${formDay(r.to)}`,
  en: `Figures from ${formDay(r.from)} to ${formDay(r.to)}`,
});

/** The form as CSV, UTF-8 with a byte-order mark so a spreadsheet reads the Vietnamese right; the same lines as the workbook. */
export function reportCsv(r: ReportFigures, agency: string): string {
  // Text cells are quoted and every figure is a checked count, so no cell starts a formula.
  const quote = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);
  const w = FORM_WORDS;
  const period = periodLine(r);
  const head = [[w.title.vi, w.title.en], [w.form.vi, w.form.en], [agency], [period.vi, period.en]];
  const lines = reportForm(r).map((l) => [sectionTitles[l.section].vi, l.vi, l.en, l.value, l.value === null ? `${NOT_KEPT.vi} / ${NOT_KEPT.en}` : '']);
  const table = [[`${w.section.vi} / ${w.section.en}`, w.figure.vi, w.figure.en, `${w.value.vi} / ${w.value.en}`, `${w.note.vi} / ${w.note.en}`], ...lines];
  return `\uFEFF${[...head, [], ...table].map((row) => row.map(quote).join(',')).join('\r\n')}\r\n`;
}
