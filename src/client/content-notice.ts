// The notice of the content of a denunciation to the person denounced (Law Art. 29(3);
// Decree 31 Art. 9(2), form 06), written on the staff member's machine and sealed as the
// reason of the head's `notify_denounced` step, for the case file; the head has it
// delivered outside tipline. Art. 47(2) keeps everything about the denouncer secret, so
// the template takes only what the person denounced may read — the case's public number,
// the acceptance day, the agency, the person denounced and the content accepted — and
// nothing else can reach it: no name, address, receipt or anything of the identity block.
// Laid out after form 06, Vietnamese first (the text that is delivered), English beside
// for staff who read it; the officer adapts it to the decision before signing.

export interface ContentNoticeFields {
  publicNumber: string;
  /** The acceptance decision's day, YYYY-MM-DD. */
  acceptedOn: string;
  /** The agency's name; a blank to fill when the client does not know it. */
  agency?: string | undefined;
  /** Who is denounced (name, position, workplace), as the acceptance decision names them. */
  denounced?: string | undefined;
  /** The content accepted for settlement, as the decision states it. */
  content?: string | undefined;
}

const blank = (s: string | undefined, fill: string) => (s && s.trim() ? s.trim() : fill);

/** A day as an administrative text writes it: "10 tháng 7 năm 2026". */
function dayVi(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} tháng ${m} năm ${y}`;
}

/** The notice, from the fields named above only. */
export function contentNotice(f: ContentNoticeFields): string {
  const agency = blank(f.agency, '[Tên cơ quan, tổ chức / agency]');
  const denounced = blank(f.denounced, '[Họ tên, chức vụ, nơi công tác của người bị tố cáo / name, position, workplace of the person denounced]');
  const content = blank(f.content, '[Nội dung tố cáo được thụ lý / the content accepted]');
  const day = dayVi(f.acceptedOn);
  return [
    agency,
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc',
    '',
    'THÔNG BÁO về nội dung tố cáo',
    `Kính gửi: ${denounced}`,
    '',
    `Ngày ${day}, người giải quyết tố cáo đã ra quyết định thụ lý tố cáo (hồ sơ số ${f.publicNumber}).`,
    'Căn cứ khoản 3 Điều 29 Luật Tố cáo, xin thông báo nội dung tố cáo như sau:',
    content,
    'Đề nghị ông (bà) giải trình bằng văn bản về nội dung bị tố cáo và cung cấp thông tin, tài liệu, chứng cứ liên quan.',
    '',
    '— English —',
    `NOTICE of the content of a denunciation. To: ${denounced}`,
    `On ${f.acceptedOn} the person competent to settle it accepted a denunciation (file ${f.publicNumber}).`,
    'Under Art. 29(3) of the Law on Denunciation, its content is as follows:',
    content,
    'You are asked to explain in writing and to provide the related information, documents and evidence.',
  ].join('\n');
}
