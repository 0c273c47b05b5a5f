import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { bytesFile, submitCase } from '../../src/client/denouncer.js';
import { HttpClient } from '../../src/client/http.js';
import { encodeJson, type CaseBody, type IdentityBody } from '../../src/client/plaintext.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { reply } from '../../src/client/staff-messages.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { buildLocalConsole } from '../../src/cli/console/local-server.js';
import { encryptKeyFile, sealMessage, type StaffKeys } from '../../src/protocol/index.js';
import { postMessage } from '../../src/server/db/messages.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { builtConsoleDir } from '../helpers/built-console.js';
import { createTestAgency, type AgencyOptions, type FixtureAgency, type FixtureStaff } from '../helpers/fixtures.js';

// A tipline server on 127.0.0.1 serving the built console at /staff/, `tipline
// console`'s local server relaying to it, one agency and one case with a verified staff
// reply and a forged one, and the intake officer's key file and passphrase.

export interface ConsoleScene {
  server: TestApp & { url: string };
  localUrl: string;
  agency: FixtureAgency;
  officer: { id: string; displayName: string; keys: StaffKeys };
  keyFile: string;
  passphrase: string;
  publicNumber: string;
  /** The denouncer's receipt for the case. */
  receipt: string;
  body: CaseBody;
  /** The attachment as sent, under a name that tries to climb out of the download folder. */
  file: { name: string; bytes: Buffer };
  replyText: string;
  forgedText: string;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

export interface SceneOptions {
  /** The agency's staff beyond one intake officer and one investigator (e.g. custodians). */
  agency?: AgencyOptions;
  /** The denouncer's identity, sealed to the custodians (needs custodians in the agency). */
  identity?: IdentityBody;
}

/** A staff member's key file under the scene's passphrase, as enrolment writes it. */
export function keyFileFor(agency: FixtureAgency, staff: FixtureStaff, passphrase: string): Promise<string> {
  // Low Argon2id limits keep the test fast; the file carries its own limits.
  return encryptKeyFile(staff.keys, passphrase, { staffId: staff.id, agencyId: agency.id, label: 'staff' }, { opslimit: 1, memlimit: 8192 * 1024 });
}

export async function consoleScene(t: Test, options: SceneOptions = {}): Promise<ConsoleScene> {
  if (!existsSync(builtConsoleDir)) throw new Error(`${builtConsoleDir} is missing: run the tests with npm test (tap builds the console first)`);
  const consoleDir = builtConsoleDir;
  // The server's public origin is the one it listens on, so /staff/ signs for its own origin.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const testApp = await createTestApp(t, { consoleDir, origin: url });
  await testApp.app.listen({ port, host: '127.0.0.1' });

  const local = await buildLocalConsole({ consoleDir, server: url });
  await local.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => {
    local.server.closeAllConnections();
    return local.close();
  });
  const localUrl = `http://127.0.0.1:${(local.server.address() as AddressInfo).port}/`;

  const agency = await createTestAgency(testApp.database.db, { investigators: 1, ...options.agency });
  const officer = agency.withRole('intake')[0]!;
  const summary = { who: 'Phó giám đốc sở X', what: 'Nhận hối lộ để cấp phép xây dựng', when: 'Tháng 3/2026', where: 'Hà Nội', evidence: 'Sao kê ngân hàng' };
  const body: CaseBody = { kind: 'denunciation', attachments: [], summary };
  const file = { name: '../../sao kê: tháng 3.pdf', bytes: randomBytes(150_000) };
  // Sent as a denouncer's page sends it, with the SDK: the file goes up in sealed chunks.
  const sent = await submitCase({
    server: url, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: summary,
    attachments: [bytesFile(file.name, file.bytes, 'application/pdf')],
    ...(options.identity ? { identity: options.identity } : {}),
  });
  const publicNumber = sent.publicNumber;
  const sub = { caseId: sent.caseId };

  // A reply the officer signed, through the SDK, and one the server (or anyone holding the
  // receipt, hence the content key) slipped in under the officer's name.
  const http = new HttpClient({ baseUrl: url });
  const client = new StaffClient(http, await login(http, officer.id, officer.keys, url), new MemoryTrustStore({ [agency.id]: agency.fingerprint }));
  const replyText = 'Cảm ơn ông/bà, chúng tôi đã tiếp nhận.';
  await reply(client, sub.caseId, replyText, officer.keys);
  const forgedText = 'Hãy gửi thêm họ tên và số điện thoại của bạn.';
  const { contentKey } = await client.openCase(sub.caseId, officer.keys);
  const messageId = randomUUID();
  const ciphertext = sealMessage(agency.be, { agencyId: agency.id, caseId: sub.caseId }, contentKey, {
    messageId, direction: 'to_denouncer', plaintext: encodeJson({ text: forgedText, attachments: [] }),
  });
  await postMessage(testApp.database.db, { id: messageId, caseId: sub.caseId, direction: 'to_denouncer', authorId: officer.id, ciphertext, signature: randomBytes(64) });
  await client.logout();

  const passphrase = 'mật khẩu rất dài 2026';
  const keyFile = await keyFileFor(agency, officer, passphrase);
  return {
    server: { ...testApp, url }, localUrl, agency, officer: { id: officer.id, displayName: officer.displayName, keys: officer.keys },
    keyFile, passphrase, publicNumber, receipt: sent.receipt, body, file, replyText, forgedText,
  };
}
