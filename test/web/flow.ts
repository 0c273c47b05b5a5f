import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { Page } from 'playwright-core';
import { HttpClient } from '../../src/client/http.js';
import { decodeJson, type CaseBody } from '../../src/client/plaintext.js';
import { StaffClient, login } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { attachmentReader, fromBase64Url, type StaffKeys } from '../../src/protocol/index.js';
import { buildWeb } from '../../src/web/build.js';
import { createTestAgency, type AgencyOptions, type FixtureAgency } from '../helpers/fixtures.js';
import { openBrowser, startServer, type BrowserOptions, type OpenPage, type PageServer } from './helpers.js';

// A served page with one agency in the database, and the two sides of a case: what a
// denouncer does on the page, and what the agency's staff open with their own keys.

export interface Scene extends OpenPage {
  server: PageServer;
  agency: FixtureAgency;
}

export interface SceneOptions extends BrowserOptions {
  agency?: AgencyOptions;
  /** 'right' compiles the agency's fingerprint into the page, 'wrong' another one. */
  pin?: 'right' | 'wrong' | 'none';
  /** Leading zero bits of the proof of work (0, the test default, skips it). */
  powDifficulty?: number;
  /** The lowest bundle serial compiled in beside the pin (the trust file's "serial"). */
  pinSerial?: number;
  /** A production page (refuses unpinned agencies) rather than a development one. */
  production?: boolean;
  /** Runs once the agency exists, before the page is built and opened (e.g. publish a bundle). */
  prepare?: (agency: FixtureAgency, server: PageServer) => Promise<void>;
}

const WRONG_PIN = 'ABCD EFGH JKMN PQRS TVWX YZ01 2345 6789';

export async function scene(t: Test, options: SceneOptions = {}): Promise<Scene> {
  const outDir = await mkdtemp(join(tmpdir(), 'tipline-web-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  const server = await startServer(t, outDir, { powDifficulty: options.powDifficulty ?? 0 });
  const agency = await createTestAgency(server.database.db, { custodians: 2, threshold: 2, ...options.agency });
  await options.prepare?.(agency, server);
  const pin = options.pin ?? 'right';
  const fingerprint = pin === 'right' ? agency.fingerprint : WRONG_PIN;
  const trustedAgencies = pin === 'none' ? {} : { [agency.slug]: { fingerprint, serial: options.pinSerial ?? 0 } };
  // Built after the agency exists, as an operator pins a new agency: add it, rebuild.
  // (A production build needs a pin: with none for this agency, pin another one.)
  const anchors = options.production && pin === 'none' ? { 'another-agency': { fingerprint: WRONG_PIN } } : trustedAgencies;
  await buildWeb({ outDir, trustedAgencies: anchors, minify: true, production: options.production ?? false });
  const browser = await openBrowser(t, server.url, options);
  return { ...browser, server, agency };
}

export interface Report {
  who: string;
  what: string;
  when: string;
  where: string;
  evidence: string;
  file?: { name: string; mimeType: string; buffer: Buffer };
  identity?: { name: string; address: string; contact: string };
}

/** Fills the submission view in Vietnamese, as a denouncer would, up to (not including) sending. */
export async function fillReport(page: Page, agency: FixtureAgency, report: Report): Promise<void> {
  await page.getByLabel('Chọn cơ quan').selectOption({ label: agency.name });
  await page.getByLabel('Ai đã vi phạm?').fill(report.who);
  await page.getByLabel('Hành vi vi phạm là gì?').fill(report.what);
  await page.getByLabel('Khi nào?').fill(report.when);
  await page.getByLabel('Ở đâu?').fill(report.where);
  await page.getByLabel('Chứng cứ').fill(report.evidence);
  if (report.file) await page.getByLabel('Chọn tệp').setInputFiles(report.file);
  if (report.identity) {
    await page.getByLabel('Tố cáo chính thức').check();
    await page.getByLabel('Họ và tên').fill(report.identity.name);
    await page.getByLabel('Địa chỉ', { exact: true }).fill(report.identity.address);
    await page.getByLabel('Cách liên lạc').fill(report.identity.contact);
  }
}

/**
 * Sends and reads the receipt and the public number back from the page. The receipt
 * comes before the files; like a person told to keep the page open, this waits until
 * the page says every file is sent.
 */
export async function sendAndReadReceipt(page: Page): Promise<{ receipt: string; publicNumber: string }> {
  await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
  const code = page.locator('.receipt-code');
  await code.waitFor({ timeout: 60_000 });
  if (await page.locator('.uploads').count()) await page.getByText('Đã gửi xong tất cả các tệp.').waitFor({ timeout: 60_000 });
  const receipt = (await code.innerText()).replace(/\s+/g, '');
  const publicNumber = ((await page.locator('.public-number').innerText()).split(':').pop() ?? '').trim();
  return { receipt, publicNumber };
}

export interface StaffSide {
  client: StaffClient;
  keys: StaffKeys;
  caseId(publicNumber: string): Promise<string>;
  open(caseId: string): Promise<{ body: CaseBody; contentKey: Uint8Array }>;
  attachmentBytes(caseId: string, ref: CaseBody['attachments'][number]): Promise<Buffer>;
}

/** The agency's first intake officer, logged in over HTTP with the fixture's keys. */
export async function intakeOfficer(scene: Scene): Promise<StaffSide> {
  const officer = scene.agency.withRole('intake')[0]!;
  const http = new HttpClient({ baseUrl: scene.server.url });
  // The app's public origin differs from the port it listens on: the officer signs the public one.
  const { agency } = scene;
  // Pinned as at enrolment: the officer's client checks the case was sealed to an intake officer of the bundle.
  const trust = new MemoryTrustStore({ [agency.id]: agency.fingerprint });
  const client = new StaffClient(http, await login(http, officer.id, officer.keys, scene.server.app.config.origin), trust);
  return {
    client,
    keys: officer.keys,
    async caseId(publicNumber) {
      const { cases } = await client.cases();
      const found = cases.find((c) => c.publicNumber === publicNumber);
      if (!found) throw new Error(`no case ${publicNumber} in the intake queue`);
      return found.caseId;
    },
    async open(caseId) {
      const opened = await client.openCase(caseId, officer.keys);
      return { body: decodeJson<CaseBody>(opened.body), contentKey: opened.contentKey };
    },
    async attachmentBytes(caseId, ref) {
      const stream = await client.http.download(`/v1/staff/cases/${caseId}/attachments/${ref.id}/content`);
      const sealed = Buffer.from(await new Response(stream).arrayBuffer());
      const reader = attachmentReader(agency.be, { agencyId: agency.id, caseId }, ref.id, fromBase64Url(ref.key));
      return Buffer.concat([...reader.push(sealed), ...reader.end()]);
    },
  };
}
