import t from 'tap';
import { randomUUID } from 'node:crypto';
import {
  deriveReceiptKeys, deriveReplyKeyPairV2, generateReceipt, generateXWingKeyPair, sealCase, toBase64Url, unwrapContentKey,
  type BundleContent, type KeyPair,
} from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle, type FixtureAgency } from '../helpers/fixtures.js';
import { solvedPow } from '../helpers/pow.js';

// POST /v1/cases with protocol v2 wraps (PROTOCOL.md §16): accepted for a member the
// current bundle lists as accepting version 2, and for the denouncer; refused, as any
// wrong length, for a member who accepts version 1 only.

/** Serial 2 of the fixture's bundle, the first intake officer and the custodian with X-Wing keys. */
async function upgrade(t: Parameters<typeof createTestApp>[0]) {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db, { intake: 2, custodians: 1, threshold: 1 });
  const upgraded = [agency.withRole('intake')[0]!.id, agency.withRole('custodian')[0]!.id];
  const xwing = new Map<string, KeyPair>(upgraded.map((id) => [id, generateXWingKeyPair(agency.be)]));
  const bundle: BundleContent = {
    ...agency.bundle,
    serial: 2,
    staff: agency.bundle.staff.map((s) => {
      const pair = xwing.get(s.staffId);
      return pair ? { ...s, xwingPublicKey: toBase64Url(pair.publicKey), versions: [1, 2] } : s;
    }),
  };
  await publishBundle(database.db, agency.be, bundle, agency.keys);
  return { app, agency, xwing };
}

async function seal(agency: FixtureAgency, xwing: Map<string, KeyPair>, toEveryone: boolean) {
  const { be } = agency;
  const receipt = generateReceipt(be);
  const keys = deriveReceiptKeys(be, receipt);
  const caseId = randomUUID();
  const recipient = (s: FixtureAgency['staff'][number]) => {
    const pair = xwing.get(s.id) ?? (toEveryone ? generateXWingKeyPair(be) : undefined);
    return { staffId: s.id, boxPublicKey: s.keys.boxPublicKey, ...(pair ? { xwingPublicKey: pair.publicKey } : {}) };
  };
  const custodians = agency.withRole('custodian').map(recipient);
  const sealed = await sealCase(be, {
    ctx: { agencyId: agency.id, caseId },
    body: new TextEncoder().encode('Gói thầu đường 2024 bị thông đồng'),
    recipients: agency.withRole('intake').map(recipient),
    denouncerPublicKey: keys.replyKeyPair.publicKey,
    denouncerXWingPublicKey: deriveReplyKeyPairV2(be, receipt).publicKey,
    identity: { data: new TextEncoder().encode('Nguyễn Văn A'), custodians, threshold: 1 },
  });
  const b = toBase64Url;
  const body = {
    caseId, agencyId: agency.id, kind: 'denunciation', envelope: b(sealed.envelope), verifier: b(keys.verifier),
    denouncerKey: b(sealed.denouncerKey),
    recipientKeys: sealed.recipientKeys.map((k) => ({ staffId: k.staffId, wrapped: b(k.wrapped) })),
    identity: {
      block: b(sealed.identity!.block), denouncerKey: b(sealed.identity!.denouncerKey), threshold: 1,
      shares: sealed.identity!.shares.map((k) => ({ staffId: k.staffId, wrapped: b(k.wrapped) })),
    },
  };
  return { body, sealed, caseId, authorization: `Receipt ${b(keys.authKey)}`, receipt };
}

t.test('v2 wraps to the members the bundle lists with X-Wing keys, v1 to the rest: accepted, and the denouncer reads v2', async (t) => {
  const { app, agency, xwing } = await upgrade(t);
  const sub = await seal(agency, xwing, false);
  t.same(sub.sealed.recipientKeys.map((k) => k.wrapped.length), [1170, 114]);
  t.equal(sub.sealed.identity!.shares[0]!.wrapped.length, 1171);
  const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });
  t.equal(res.statusCode, 201, res.body);
  const pow = await solvedPow(app, agency.be, sub.authorization);
  const got = await app.inject({ method: 'GET', url: '/v1/case/sealed', headers: { authorization: sub.authorization, 'tipline-pow': pow } });
  t.equal(got.statusCode, 200, got.body);
  const denouncerKey = Buffer.from(got.json().denouncerKey, 'base64url');
  t.equal(denouncerKey.length, 1170, 'the denouncer key comes back as sealed');
  const reader = { ...deriveReceiptKeys(agency.be, sub.receipt).replyKeyPair, xwing: deriveReplyKeyPairV2(agency.be, sub.receipt) };
  t.same(unwrapContentKey(agency.be, { agencyId: agency.id, caseId: sub.caseId }, denouncerKey, reader).length, 32);
});

t.test('a v2 wrap to a member the bundle lists for version 1 only is refused', async (t) => {
  const { app, agency, xwing } = await upgrade(t);
  const sub = await seal(agency, xwing, true);
  const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });
  t.equal(res.statusCode, 400, res.body);
  t.match(res.json(), { error: { code: 'validation_failed' } });
});
