import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { generateStaffKeys } from '../../src/protocol/index.js';
import { postMessage } from '../../src/server/db/messages.js';
import { consoleScene } from '../console/scene.js';
import { signIn } from '../console/page-checks.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';

// The console against a database writer who relabels the intake officer who signed a
// reply ("Giám đốc Sở" in the staff table, so in GET /v1/staff/colleagues) and invents a
// member of its own, "Trưởng phòng", writing a reply in their name. The console names
// people only from the agency's verified bundle: the signed reply stays the officer's,
// under their signed name, and the invented member is shown by staff id, unverified.

const FAKE = 'Giám đốc Sở';
const INVENTED = 'Trưởng phòng';

t.test('the console shows the signed name, not the relabel, and an unsigned member by id', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t);
  const db = s.server.database.db;
  const kase = await db.selectFrom('cases').select('id').where('public_number', '=', s.publicNumber).executeTakeFirstOrThrow();
  await db.updateTable('staff').set({ display_name: FAKE }).where('id', '=', s.officer.id).execute();
  const invented = { id: randomUUID(), keys: generateStaffKeys(s.agency.be) };
  await db.insertInto('staff').values({
    id: invented.id, agency_id: s.agency.id, display_name: INVENTED, roles: ['intake'], status: 'active',
    sign_public_key: invented.keys.signPublicKey, box_public_key: invented.keys.boxPublicKey,
  }).execute();
  await postMessage(db, { id: randomUUID(), caseId: kase.id, direction: 'to_denouncer', authorId: invented.id, ciphertext: randomBytes(200), signature: randomBytes(64) });

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(s.localUrl);
  await signIn(page, s.keyFile, s.passphrase, { fingerprint: s.agency.fingerprint });
  await page.getByRole('row').filter({ hasText: s.publicNumber }).waitFor();
  t.match(await page.locator('header.top').innerText(), `Đăng nhập: ${s.officer.displayName}`, 'signed in under the name the bundle signs');

  await page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await page.getByText(s.replyText).waitFor();
  const text = await page.locator('body').innerText();
  t.match(text, `Chữ ký của ${s.officer.displayName} đã được kiểm tra`, "the reply is the officer's, under their signed name");
  t.notMatch(text, FAKE, 'the relabel is shown nowhere');
  t.notMatch(text, INVENTED, "nor the invented member's name");
  t.match(text, `Cán bộ ${invented.id.slice(0, 8)} (chưa xác minh)`, 'who is shown by staff id, marked unverified');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByText(`Staff member ${invented.id.slice(0, 8)} (unverified)`).waitFor();
  t.pass('and in English');
  await context.close();
});
