import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openReceipt } from '../../src/client/denouncer.js';
import { decodeJson, type CaseBody } from '../../src/client/plaintext.js';
import { downloadAttachment } from '../../src/client/staff-attachments.js';
import { identityRequest, revealIdentity } from '../../src/client/staff-identity.js';
import { readMessages } from '../../src/client/staff-messages.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { fromBase64Url, toBase64Url, type StaffKeys } from '../../src/protocol/index.js';
import type { Database } from '../../src/server/db/connect.js';
import { workflowReport } from '../../src/server/db/workflow-reports.js';
import { workflowReportSeries } from '../../src/server/db/workflow-report-series.js';
import type { FastifyInstance } from 'fastify';
import { injectFetch } from '../client/inject-fetch.js';
import { injectHttp } from '../server/staff-kit.js';

// The database of a release as it was left by real use, kept to upgrade from
// (docs/OPERATIONS.md, "Upgrades"): its SQL (schema and data, the plain format pg_dump
// writes with --inserts, which PostgreSQL and PGlite both run), the test keys and receipts
// that open what it holds, and what those open to, as `observe` below saw it when the
// fixture was made (test/upgrade/make-fixture.ts).

export const RELEASE = '0.1.0';
export const fixtureDir = resolve(import.meta.dirname, `../fixtures/release-${RELEASE}`);
export const fixtureFiles = { sql: join(fixtureDir, 'database.sql'), secrets: join(fixtureDir, 'secrets.json'), expected: join(fixtureDir, 'expected.json') };

export const SERVER = 'http://tipline.test';

/** A staff key pair as the fixture keeps it (test keys only). */
export interface KeptStaff { staffId: string; roles: string[]; keys: Record<'signPublicKey' | 'signSecretKey' | 'boxPublicKey' | 'boxSecretKey', string> }

export interface ReleaseSecrets {
  release: string;
  agency: { agencyId: string; slug: string; fingerprint: string };
  staff: { intake: KeptStaff; head: KeptStaff; auditor: KeptStaff; custodians: KeptStaff[] };
  cases: { caseId: string; publicNumber: string; receipt: string }[];
  /** An identity request two custodians approved: the head can open the identity it released. */
  identityRequestId: string;
  /** The report period the figures are computed for: the release year. */
  period: { from: string; to: string };
}

export const keepKeys = (k: StaffKeys): KeptStaff['keys'] => ({
  signPublicKey: toBase64Url(k.signPublicKey), signSecretKey: toBase64Url(k.signSecretKey),
  boxPublicKey: toBase64Url(k.boxPublicKey), boxSecretKey: toBase64Url(k.boxSecretKey),
});
export const keysOf = (s: KeptStaff): StaffKeys => ({
  signPublicKey: fromBase64Url(s.keys.signPublicKey), signSecretKey: fromBase64Url(s.keys.signSecretKey),
  boxPublicKey: fromBase64Url(s.keys.boxPublicKey), boxSecretKey: fromBase64Url(s.keys.boxSecretKey),
});

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const p of pieces) out.push(Buffer.from(p));
  return Buffer.concat(out);
}

/** A staff member logged in afresh on this app with the kept keys. */
export async function staffOn(app: FastifyInstance, secrets: ReleaseSecrets, who: KeptStaff): Promise<StaffClient> {
  const http = injectHttp(app);
  const session = await login(http, who.staffId, keysOf(who));
  return new StaffClient(http, session, new MemoryTrustStore({ [secrets.agency.agencyId]: secrets.agency.fingerprint }));
}

/**
 * What the release's data opens to, through the real SDKs: each receipt's status, each
 * case as its denouncer and its intake officer open it (body, identity, messages, files,
 * as hashes), and the year's report figures as the report code computes them.
 */
export async function observe(app: FastifyInstance, db: Database, secrets: ReleaseSecrets) {
  const fetch = injectFetch(app);
  const officer = await staffOn(app, secrets, secrets.staff.intake);
  const officerKeys = keysOf(secrets.staff.intake);
  const agencyId = secrets.agency.agencyId;
  const receipts = [];
  const cases = [];
  for (const c of secrets.cases) {
    const denouncer = await openReceipt(c.receipt, { server: SERVER, fetch });
    receipts.push({ publicNumber: c.publicNumber, status: await denouncer.status() });
    const own = await denouncer.readCase();
    const theirMessages = (await denouncer.messages()).map((m) => ({ id: m.messageId, text: m.text, files: m.attachments.length }));
    const theirFiles = await Promise.all((await denouncer.attachments()).map(async (ref) => sha256(await collect(denouncer.download(ref)))));

    const opened = await officer.openCase(c.caseId, officerKeys);
    const body = decodeJson<CaseBody>(opened.body);
    const ctx = { agencyId, caseId: c.caseId };
    const messages = await readMessages(officer, c.caseId, agencyId, opened.contentKey);
    const messageFiles = messages.flatMap((m) => m.attachments);
    const files = await Promise.all([...body.attachments, ...messageFiles].map(async (ref) => sha256(await collect(downloadAttachment(officer, ctx, ref)))));
    cases.push({
      caseId: c.caseId,
      denouncer: { body: sha256(JSON.stringify(own.body)), identity: own.identity ? sha256(JSON.stringify(own.identity)) : null, messages: sha256(JSON.stringify(theirMessages)), files: theirFiles },
      staff: {
        body: sha256(opened.body),
        messages: messages.map((m) => ({ id: m.messageId, direction: m.direction, authorId: m.authorId, sentOn: m.sentOn, authenticity: m.authenticity, text: sha256(m.text) })),
        files,
      },
    });
  }
  const head = await staffOn(app, secrets, secrets.staff.head);
  const released = sha256(await revealIdentity(await identityRequest(head, secrets.identityRequestId), keysOf(secrets.staff.head)));
  const { from, to } = secrets.period;
  return { receipts, cases, released, report: await workflowReport(db, agencyId, from, to), series: await workflowReportSeries(db, agencyId, from, to) };
}

export type ReleaseView = Awaited<ReturnType<typeof observe>>;

export const readSecrets = (): ReleaseSecrets => JSON.parse(readFileSync(fixtureFiles.secrets, 'utf8'));
export const readExpected = (): { lastMigration: string; auditRows: number; view: ReleaseView } => JSON.parse(readFileSync(fixtureFiles.expected, 'utf8'));
