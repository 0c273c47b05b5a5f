import t from 'tap';
import { contentNotice } from '../../src/client/content-notice.js';

// The notice of the content to the person denounced (Law Art. 29(3), form 06) is made from
// the fields it names only: whatever else a caller holds about the case — the denouncer's
// identity, the receipt — has no way into it (Art. 47(2)).

t.test('form 06 from the case fields, Vietnamese first, English beside', async (t) => {
  const text = contentNotice({ publicNumber: 'TL-2026-000123', acceptedOn: '2026-07-10', agency: 'Thanh tra tỉnh X', denounced: 'Ông B, Chủ tịch UBND xã', content: 'nhận tiền để cấp phép' });
  t.match(text, /^Thanh tra tỉnh X\n/);
  t.match(text, 'Kính gửi: Ông B, Chủ tịch UBND xã');
  t.match(text, 'Ngày 10 tháng 7 năm 2026, người giải quyết tố cáo đã ra quyết định thụ lý tố cáo (hồ sơ số TL-2026-000123).');
  t.match(text, 'Căn cứ khoản 3 Điều 29 Luật Tố cáo');
  t.ok(text.indexOf('— English —') > text.indexOf('nhận tiền'), 'English after the Vietnamese');
  t.match(text, 'On 2026-07-10 the person competent to settle it accepted a denunciation (file TL-2026-000123).');
  t.equal(text.split('nhận tiền để cấp phép').length, 3, 'the content in both languages');
});

t.test('blanks to fill where a field is not given; nothing else gets in', async (t) => {
  const held = { publicNumber: 'TL-2026-000124', acceptedOn: '2026-08-28', name: 'Trần Thị A', address: '12 Hàng Bài', receipt: 'Receipt abc', identity: 'Trần Thị A, 12 Hàng Bài' };
  const text = contentNotice(held);
  t.match(text, '[Họ tên, chức vụ, nơi công tác của người bị tố cáo / name, position, workplace of the person denounced]');
  t.match(text, '[Nội dung tố cáo được thụ lý / the content accepted]');
  t.match(text, /^\[Tên cơ quan, tổ chức \/ agency\]/);
  for (const secret of ['Trần Thị A', 'Hàng Bài', 'Receipt', 'abc']) t.notOk(text.includes(secret), `no ${secret}`);
  t.equal(contentNotice({ ...held, denounced: '   ' }), text, 'a blank field is a blank to fill');
});
