import t from 'tap';
import { makeRecoveryKey, openCase, openRecoveryKey, parseRecoveryShare, toBase64Url, unwrapContentKey } from '../../src/protocol/index.js';
import { publishBundle } from '../helpers/fixtures.js';
import { browserOrSkip } from './helpers.js';
import { fillReport, scene, sendAndReadReceipt } from './flow.js';

// An agency whose signed bundle lists a recovery recipient (PROTOCOL.md §9.1): the page
// tells the denouncer, in both languages, before they send, and seals the report to it
// as well; m paper shares then open what was sent.

t.setTimeout(300_000);

if (browserOrSkip(t)) {
  t.test('the page says the agency uses a recovery key, and seals to it', async (t) => {
    let made: Awaited<ReturnType<typeof makeRecoveryKey>> | undefined;
    const s = await scene(t, {
      prepare: async (agency, server) => {
        made = await makeRecoveryKey(agency.be, 3, 5);
        const recovery = { boxPublicKey: toBase64Url(made.publicKey), threshold: 3, shares: 5 };
        await publishBundle(server.database.db, agency.be, { ...agency.bundle, serial: 2, recovery }, agency.keys);
      },
    });
    const { page, shot } = s;
    await fillReport(page, s.agency, { who: 'Ông K', what: 'Nhận hối lộ khi cấp phép.', when: '2026', where: 'Sở L', evidence: 'Biên lai.' });
    await page.locator('.trust').getByText('Cơ quan này bật khóa khôi phục').waitFor();
    t.match(await page.locator('.trust').innerText(), /chia thành 5 mảnh[\s\S]*3 người giữ mảnh/, 'how many hold it and how many open it');
    await shot('recovery-notice-vi');
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('.trust').getByText('This agency has a recovery key').waitFor();
    t.match(await page.locator('.trust').innerText(), /5 paper shares[\s\S]*Any 3 of those holders/);
    await shot('recovery-notice-en');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await sendAndReadReceipt(page);

    const db = s.server.database.db;
    const stored = await db.selectFrom('cases as c').innerJoin('case_keys as k', 'k.case_id', 'c.id')
      .select(['c.id', 'c.envelope', 'k.wrapped']).where('k.recipient', '=', 'recovery').execute();
    t.equal(stored.length, 1, 'the report carries a recovery wrap');
    const be = s.agency.be;
    const pair = await openRecoveryKey(be, made!.shares.slice(2).map((x) => parseRecoveryShare(be, x)), made!.publicKey);
    const ctx = { agencyId: s.agency.id, caseId: stored[0]!.id };
    const body = openCase(be, ctx, new Uint8Array(stored[0]!.envelope!), unwrapContentKey(be, ctx, new Uint8Array(stored[0]!.wrapped), pair));
    t.match(new TextDecoder().decode(body), 'Nhận hối lộ khi cấp phép.', 'three of the five shares open it');
  });
}
