import t from 'tap';
import { openReceipt, submitCase } from '../../src/client/denouncer.js';
import { generateXWingKeyPair, openCase, readerKeysOf, toBase64Url, unwrapContentKey, type BundleContent } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle } from '../helpers/fixtures.js';
import { injectFetch } from './inject-fetch.js';

// The denouncer SDK once the agency's bundle lists X-Wing keys (PROTOCOL.md §16.5): the
// case is wrapped v2 to those members and to the denouncer, v1 to the others, and each
// reader opens their own wrap; the receipt alone still opens everything.

const server = 'http://tipline.test';

t.test('a case sealed to a bundle with v2 members is read by each of them and by the denouncer', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 4 });
  const agency = await createTestAgency(database.db, { intake: 2, custodians: 1, threshold: 1 });
  const [upgraded, older] = agency.withRole('intake');
  const custodian = agency.withRole('custodian')[0]!;
  for (const member of [upgraded!, custodian]) {
    const pair = generateXWingKeyPair(agency.be);
    member.keys = { ...member.keys, xwingPublicKey: pair.publicKey, xwingSecretKey: pair.secretKey };
  }
  const bundle: BundleContent = {
    ...agency.bundle,
    serial: 2,
    staff: agency.bundle.staff.map((s) => {
      const keys = agency.staff.find((m) => m.id === s.staffId)!.keys;
      return keys.xwingPublicKey ? { ...s, xwingPublicKey: toBase64Url(keys.xwingPublicKey), versions: [1, 2] } : s;
    }),
  };
  await publishBundle(database.db, agency.be, bundle, agency.keys);
  const fetch = injectFetch(app);
  const submitted = await submitCase({
    server, fetch, agency: agency.slug, pinnedFingerprint: agency.fingerprint,
    body: 'Hợp đồng bị nâng giá 30 %', identity: { name: 'Nguyễn Văn A', address: '12 Hàng Bài', contact: '0912 000 000' },
  });
  const ctx = { agencyId: agency.id, caseId: submitted.caseId };
  const row = await database.db.selectFrom('cases').select(['envelope']).where('id', '=', submitted.caseId).executeTakeFirstOrThrow();
  const denouncerKey = await database.db.selectFrom('case_keys').select('wrapped')
    .where('case_id', '=', submitted.caseId).where('recipient', '=', 'denouncer').executeTakeFirstOrThrow();
  t.equal(denouncerKey.wrapped.length, 1170, "the denouncer's copy is v2");
  for (const [member, length] of [[upgraded!, 1170], [older!, 114]] as const) {
    const key = await database.db.selectFrom('case_keys').select('wrapped').where('staff_id', '=', member.id).executeTakeFirstOrThrow();
    t.equal(key.wrapped.length, length, `${member.displayName}: wrapped under v${length === 1170 ? 2 : 1}`);
    const body = JSON.parse(new TextDecoder().decode(openCase(agency.be, ctx, row.envelope!, unwrapContentKey(agency.be, ctx, key.wrapped, readerKeysOf(member.keys)))));
    t.equal(body.summary.what, 'Hợp đồng bị nâng giá 30 %');
  }
  const session = await openReceipt(submitted.receipt, { server, fetch });
  const opened = await session.readCase();
  t.equal(opened.body.summary.what, 'Hợp đồng bị nâng giá 30 %');
  t.equal(opened.identity?.name, 'Nguyễn Văn A', 'the identity block, its key wrapped v2 to the denouncer, opens with the receipt');
});
