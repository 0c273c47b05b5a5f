import t from 'tap';
import { earliestTakeDown, mayTakeDown, vn2018 } from '../../src/domain/index.js';

// A published conclusion stays up at least 15 consecutive days (Decree 31/2019 Art. 6),
// the day of publication counted as the first; from the day recorded at publication
// on, it may be taken down.

t.test('published on the 1st: the 15th is the first day it may come down', async (t) => {
  const rule = vn2018.publication!;
  t.equal(earliestTakeDown(rule, '2026-03-01'), '2026-03-15');
  t.equal(earliestTakeDown(rule, '2026-12-25'), '2027-01-08', 'over the turn of the year');
  t.notOk(mayTakeDown('2026-03-15', '2026-03-14'), 'the 14th day on display is too early');
  t.ok(mayTakeDown('2026-03-15', '2026-03-15'), 'the 15th');
  t.ok(mayTakeDown('2026-03-15', '2026-06-01'), 'any day after');
});
