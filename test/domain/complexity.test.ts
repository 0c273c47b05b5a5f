import t from 'tap';
import { classifyComplexity, purgeable, retentionEndsOn, vn2018, eu2019 } from '../../src/domain/index.js';

const base = { locations: 1, contents: 1, denouncers: 1, foreignElement: false, severalAgencies: false };

t.test('Decree 31 Art. 3: one factor is complex, two are especially complex', async (t) => {
  t.equal(classifyComplexity(base), 'simple');
  t.equal(classifyComplexity({ ...base, locations: 2 }), 'complex');
  t.equal(classifyComplexity({ ...base, foreignElement: true }), 'complex');
  t.equal(classifyComplexity({ ...base, contents: 3, severalAgencies: true }), 'especially_complex');
});

t.test('retention runs from the closing day, and a legal hold blocks the purge', async (t) => {
  t.equal(retentionEndsOn(vn2018, '2026-06-01'), '2036-06-01');
  t.equal(retentionEndsOn(eu2019, '2026-06-01'), '2029-06-01');
  t.ok(purgeable(eu2019, '2026-06-01', false, '2029-06-01'));
  t.notOk(purgeable(eu2019, '2026-06-01', false, '2029-05-31'));
  t.notOk(purgeable(eu2019, '2026-06-01', true, '2030-01-01'));
  t.notOk(purgeable(eu2019, null, false, '2030-01-01'), 'an open case is never purged');
});
