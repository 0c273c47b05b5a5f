import t, { type Test } from 'tap';
import { readMessages, reply } from '../../src/client/staff-messages.js';
import { loadBackend, sealMessage } from '../../src/protocol/index.js';
import { encodeJson } from '../../src/client/plaintext.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// A database attacker (with the receipt, so holding the case's content key as the
// denouncer does) rewrites a staff reply: its ciphertext, its author, or writes a
// "reply" of its own. The staff client must never show any of them as the agency's.

t.setTimeout(300_000);

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  await publishBundleOf(agency);
  const { caseId } = await newCase(database.db, agency, { intake: [intake] });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  const messageId = await reply(intake.client, caseId, 'Chúng tôi đã nhận được tố cáo.', intake.keys);
  return { db: database.db, agency, intake, investigator, caseId, messageId };
}

async function shown(p: Awaited<ReturnType<typeof setup>>) {
  const { contentKey } = await p.investigator.client.openCase(p.caseId, p.investigator.keys);
  return readMessages(p.investigator.client, p.caseId, p.agency.agencyId, contentKey);
}

/**
 * What a receipt holder can seal: a to_denouncer message under the case's content key
 * (the denouncer's copy of the key is the same key; it is taken here from a staff opening).
 */
async function forgedCiphertext(p: Awaited<ReturnType<typeof setup>>, messageId: string, text: string) {
  const be = await loadBackend();
  const { contentKey } = await p.investigator.client.openCase(p.caseId, p.investigator.keys);
  return sealMessage(be, { agencyId: p.agency.agencyId, caseId: p.caseId }, contentKey, { messageId, direction: 'to_denouncer', plaintext: encodeJson({ text, attachments: [] }) });
}

t.test('a genuine reply verifies against its author in the verified bundle', async (t) => {
  const p = await setup(t);
  const [m] = await shown(p);
  t.equal(m?.authenticity, 'signed');
  t.equal(m?.authorId, p.intake.staffId);
  t.equal(m?.text, 'Chúng tôi đã nhận được tố cáo.');
});

t.test('a reply whose ciphertext is rewritten (validly sealed, by the receipt holder) is refused', async (t) => {
  const p = await setup(t);
  const ciphertext = await forgedCiphertext(p, p.messageId, 'Hãy gửi tên nhân chứng qua email riêng.');
  await p.db.updateTable('messages').set({ ciphertext }).where('id', '=', p.messageId).execute();
  const [m] = await shown(p);
  t.equal(m?.authenticity, 'refused', 'the signature no longer covers the ciphertext');
  t.equal(m?.text, '', 'and the forged text is not shown');
});

t.test('a reply re-attributed to another staff member is refused', async (t) => {
  const p = await setup(t);
  await p.db.updateTable('messages').set({ author_id: p.investigator.staffId }).where('id', '=', p.messageId).execute();
  const [m] = await shown(p);
  t.equal(m?.authenticity, 'refused', "the intake officer's signature does not verify as the investigator's");
  t.equal(m?.text, '');
});

t.test('a "reply" inserted with no author, or with a signature copied from another reply, is refused', async (t) => {
  const p = await setup(t);
  const original = await p.db.selectFrom('messages').select('signature').where('id', '=', p.messageId).executeTakeFirstOrThrow();
  for (const [authorId, signature] of [[null, null], [p.intake.staffId, original.signature]] as const) {
    const id = crypto.randomUUID();
    await p.db.insertInto('messages').values({
      id, case_id: p.caseId, direction: 'to_denouncer', author_id: authorId, ciphertext: await forgedCiphertext(p, id, 'Vụ việc đã được đình chỉ.'), signature,
    }).execute();
  }
  const messages = await shown(p);
  t.same(messages.map((m) => m.authenticity), ['signed', 'refused', 'refused']);
  t.notOk(messages.some((m) => m.text.includes('đình chỉ')), 'no forged text is shown');
});
