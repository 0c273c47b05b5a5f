import t from 'tap';
import { earliestTakeDown, mayTakeDown, publicationForm, vn2018, vn2026 } from '../../src/domain/index.js';

// A published conclusion stays up at least 15 consecutive days (Decree 31/2019 Art. 6),
// the day of publication counted as the first; from the day recorded at publication
// on, it may be taken down. From 01/07/2026 the rule set names each form of Art. 6(2).

t.test('published on the 1st: the 15th is the first day it may come down', async (t) => {
  const portal = vn2018.publication!.forms[0];
  t.equal(earliestTakeDown(portal, '2026-03-01'), '2026-03-15');
  t.equal(earliestTakeDown(portal, '2026-12-25'), '2027-01-08', 'over the turn of the year');
  t.notOk(mayTakeDown('2026-03-15', '2026-03-14'), 'the 14th day on display is too early');
  t.ok(mayTakeDown('2026-03-15', '2026-03-15'), 'the 15th');
  t.ok(mayTakeDown('2026-03-15', '2026-06-01'), 'any day after');
});

t.test('the forms of Decree 31 Art. 6(2) and how long each lasts', async (t) => {
  const rule = vn2026.publication!;
  const pick = (form: Parameters<typeof publicationForm>[1], runs?: number) => {
    const r = publicationForm(rule, form, runs);
    return r.ok ? { form: r.form.form, runs: r.runs } : r.refusal.error;
  };
  t.same(pick(undefined), { form: 'portal', runs: null }, 'naming none, the portal, as before');
  for (const form of ['posting', 'portal', 'e_press'] as const) {
    const f = publicationForm(rule, form, undefined);
    t.ok(f.ok && earliestTakeDown(f.form, '2026-09-03') === '2026-09-17', `${form}: 15 consecutive days, 3/9 to 17/9`);
  }
  t.equal(pick('print'), 'validation_failed', 'print says how many runs');
  t.equal(pick('radio', 1), 'validation_failed', 'at least 2 consecutive runs');
  t.same(pick('tv', 2), { form: 'tv', runs: 2 });
  t.equal(pick('portal', 2), 'validation_failed', 'a display is counted in days, not runs');
  const meeting = publicationForm(rule, 'meeting', undefined);
  t.ok(meeting.ok && earliestTakeDown(meeting.form, '2026-09-03') === '2026-09-03', 'a meeting has no duration');
  t.equal(publicationForm(vn2018.publication!, 'print', 2).ok, false, 'the 2018 set knew only the 15-day display');
});
