import t from 'tap';
import { eu2019, protectionDueOn, vietnamCalendar, vn2018, weekday } from '../../src/domain/index.js';

// A protection request is due for decision the profile's period after the day it was
// made; an urgent one the shorter period after (Law on Denunciation Art. 50–52, the
// agency defaults of src/domain/profiles).

const vn = vietnamCalendar();

t.test('VN: five working days, one when urgent; rest days and Tết do not count', async (t) => {
  t.equal(weekday('2026-03-02'), 1, 'a Monday');
  t.equal(protectionDueOn(vn2018, '2026-03-02', false, vn), '2026-03-09', 'Monday + 5 working days');
  t.equal(protectionDueOn(vn2018, '2026-03-02', true, vn), '2026-03-03', 'urgent: the next working day');
  t.equal(protectionDueOn(vn2018, '2026-03-06', true, vn), '2026-03-09', 'urgent on a Friday: the Monday');
  t.equal(protectionDueOn(vn2018, '2026-02-13', true, vn), '2026-02-23', 'urgent before Tết (14–22 February): the day after it');
});

t.test('EU: seven calendar days, one when urgent, weekends included', async (t) => {
  t.equal(protectionDueOn(eu2019, '2026-03-06', false, vn), '2026-03-13');
  t.equal(protectionDueOn(eu2019, '2026-03-06', true, vn), '2026-03-07', 'a Saturday counts');
});
