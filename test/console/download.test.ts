import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { bytesFile, submitCase } from '../../src/client/denouncer.js';
import { ATTACHMENT_CHUNK_SIZE } from '../../src/protocol/index.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { consoleScene, type ConsoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// Attachments saved from the console in Chromium, written as they are checked. In file
// mode the page is given a showSaveFilePicker (an init script, so no real dialog) whose
// writable records every write, close and abort. The network is cut part-way by
// Playwright's routing: a body served only up to the middle of a chunk, and a request
// aborted outright. Resume must continue from the chunk the cut broke, and only a file
// that checked out whole may be committed.

const ARTIFACTS = 'test-artifacts/console';
const CIPHERTEXT_CHUNK = ATTACHMENT_CHUNK_SIZE + 16;
const CONTENT = '**/v1/staff/cases/*/attachments/*/content*';
const axeSource = readFile('node_modules/axe-core/axe.min.js', 'utf8');

/** What the page's fake file picker recorded, one entry per writable it handed out. */
interface Written { suggestedName: string; bytes: string; closed: boolean; aborted: boolean }

// Plain JavaScript, handed over as text: a function passed to addInitScript would carry
// the test transpiler's helpers with it.
const FAKE_SAVE_PICKER = `(() => {
  const files = [];
  const toBase64 = (parts) => {
    let binary = '';
    for (const part of parts) for (let i = 0; i < part.length; i += 8192) binary += String.fromCharCode(...part.subarray(i, i + 8192));
    return btoa(binary);
  };
  window.showSaveFilePicker = async ({ suggestedName }) => ({
    createWritable: async () => {
      const file = { suggestedName, writes: [], closed: false, aborted: false };
      files.push(file);
      return {
        write: async (data) => {
          if (file.closed || file.aborted) throw new TypeError('the writable is closed');
          file.writes.push(new Uint8Array(data));
        },
        close: async () => { file.closed = true; },
        abort: async () => { file.aborted = true; },
      };
    },
  });
  window.savedFiles = () => files.map((f) => ({ suggestedName: f.suggestedName, bytes: toBase64(f.writes), closed: f.closed, aborted: f.aborted }));
})();`;

const savedFiles = (page: Page) => page.evaluate(() => (window as unknown as { savedFiles: () => Written[] }).savedFiles());

/** Every content request's `from`, and the routing faults waiting for the next ones. */
interface Network { froms: number[]; faults: ((route: Route) => Promise<void>)[] }

async function routeContent(context: BrowserContext): Promise<Network> {
  const net: Network = { froms: [], faults: [] };
  await context.route(CONTENT, async (route) => {
    net.froms.push(Number(new URL(route.request().url()).searchParams.get('from')));
    const fault = net.faults.shift();
    await (fault ? fault(route) : route.continue());
  });
  return net;
}

/** The server's answer, served only up to `bytes` (the connection drops mid-chunk). */
const cutAfter = (bytes: number) => async (route: Route) => {
  const response = await route.fetch();
  await route.fulfill({ response, body: (await response.body()).subarray(0, bytes) });
};

/** The server's answer with one byte flipped in chunk `index` of it. */
const tamperChunk = (index: number) => async (route: Route) => {
  const response = await route.fetch();
  const body = Buffer.from(await response.body());
  body[index * CIPHERTEXT_CHUNK + 99]! ^= 0x01;
  await route.fulfill({ response, body });
};

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(await axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
    return (await axe.run()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
  return found;
}

async function openCase(page: Page, s: ConsoleScene, url: string, publicNumber: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Tệp khóa của bạn').setInputFiles({ name: 'me.json', mimeType: 'application/json', buffer: Buffer.from(s.keyFile) });
  await page.getByLabel('Dấu vân tay khóa của cơ quan').fill(s.agency.fingerprint);
  await page.getByLabel('Mật khẩu của tệp khóa').fill(s.passphrase);
  await page.getByRole('button', { name: 'Mở khóa và đăng nhập' }).click();
  await page.getByRole('button', { name: `Mở vụ việc ${publicNumber}` }).click();
  await page.getByRole('heading', { name: `Vụ việc ${publicNumber}` }).waitFor();
}

/** A second case whose attachment spans ten chunks, the last one short. */
async function largeCase(s: ConsoleScene): Promise<{ publicNumber: string; name: string; bytes: Buffer }> {
  const name = 'bằng chứng/ảnh\u202Egpj.exe';
  const bytes = randomBytes(ATTACHMENT_CHUNK_SIZE * 9 + 12_345);
  // The reader holds back a chunk's trailing 0x00 and 0x80 bytes until the next chunk shows
  // they are not the padding (src/protocol/attachments.ts), so a count of the bytes written
  // after a cut is exact only when no chunk ends in one: one random file in 128 did.
  for (let end = ATTACHMENT_CHUNK_SIZE - 1; end < bytes.length; end += ATTACHMENT_CHUNK_SIZE) bytes[end] = 0x41;
  const sent = await submitCase({
    server: s.server.url, agency: s.agency.slug, pinnedFingerprint: s.agency.fingerprint,
    body: { who: 'Trưởng phòng Y', what: 'Sửa hồ sơ thầu' }, attachments: [bytesFile(name, bytes, 'image/jpeg')],
  });
  return { publicNumber: sent.publicNumber, name, bytes };
}

/** A scene with the large case, and a Chromium page whose content requests pass through `net`. */
async function stage(t: Test, viewport: { width: number; height: number }, initScript: string) {
  const s = await consoleScene(t);
  const big = await largeCase(s);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.addInitScript({ content: initScript });
  const net = await routeContent(context);
  return { s, big, context, net, page: await context.newPage() };
}

t.test('an attachment written straight to the chosen file, cut off, resumed, and refused when tampered', async (t: Test) => {
  if (!browserOrSkip(t)) return;
  const { s, big, context, net, page } = await stage(t, { width: 1280, height: 900 }, FAKE_SAVE_PICKER);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await openCase(page, s, s.localUrl, big.publicNumber);
  const item = page.locator('li').filter({ hasText: 'ảnh_gpj.exe' });
  t.match(await item.innerText(), 'Ghi thẳng vào tệp bạn chọn', 'the page says the file is written straight to disk');
  t.match(await item.innerText(), 'ảnh_gpj.exe (image/jpeg, ', 'shown under its safe name: the override in it reorders nothing');
  const save = page.getByRole('button', { name: `Tải về (giải mã trên máy này): ${big.name}` });
  const resume = page.getByRole('button', { name: `Tiếp tục tải: ${big.name}` });

  // Three chunks and a half arrive, then the connection drops.
  const cut = Math.floor(CIPHERTEXT_CHUNK * 3.5);
  net.faults.push(cutAfter(cut));
  await save.click();
  const lost = page.getByRole('alert').getByText(/Mất kết nối ở \d+%/);
  await lost.waitFor();
  t.match(await lost.innerText(), `${Math.floor((3 * ATTACHMENT_CHUNK_SIZE * 100) / big.bytes.length)}% (`, 'in words and percent, up to what checked out');
  let [file] = await savedFiles(page);
  t.equal(Buffer.from(file!.bytes, 'base64').length, 3 * ATTACHMENT_CHUNK_SIZE, 'the three chunks that checked out are written');
  t.same([file!.closed, file!.aborted], [false, false], 'and the file is neither committed nor dropped');
  t.equal(file!.suggestedName, 'ảnh_gpj.exe', 'the picker suggests the safe name: no path, no bidirectional control');
  t.same(await seriousViolations(page), [], 'interrupted: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'download-interrupted-vi.png'));

  // The first resume is refused outright by the network; the second goes through.
  net.faults.push((route) => route.abort('connectionreset'));
  await resume.click();
  await lost.waitFor();
  await resume.click();
  await page.getByText('Đã kiểm tra toàn vẹn và lưu vào tệp bạn chọn').waitFor();
  [file] = await savedFiles(page);
  t.ok(Buffer.from(file!.bytes, 'base64').equals(big.bytes), 'the file written is byte-identical to the one sent');
  t.same([file!.closed, file!.aborted], [true, false], 'committed once, after the whole file checked out');
  const broken = Math.floor(cut / CIPHERTEXT_CHUNK);
  t.same(net.froms, [0, broken, broken], 'each resume asks for the chunk the cut broke, and nothing before it');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByText('Checked whole and saved to the file you chose').waitFor();
  await screenshot(page, join(ARTIFACTS, 'download-done-en.png'));
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();

  // A chunk altered on the way: the file is dropped, never committed.
  net.faults.push(tamperChunk(6));
  await save.click();
  await page.getByRole('alert').filter({ hasText: 'Tệp không khớp với bản đã niêm phong' }).filter({ hasText: 'báo cho người phụ trách an ninh' }).waitFor();
  const tampered = (await savedFiles(page))[1]!;
  t.same([tampered.closed, tampered.aborted], [false, true], 'a tampered chunk aborts the file: nothing committed');
  const before = Buffer.from(tampered.bytes, 'base64');
  t.ok(before.length <= 6 * ATTACHMENT_CHUNK_SIZE && before.equals(big.bytes.subarray(0, before.length)), 'only checked bytes from before the tampered chunk were written');

  // Cancel while interrupted drops what was kept.
  net.faults.push(cutAfter(CIPHERTEXT_CHUNK * 2 + 10));
  await save.click();
  await lost.waitFor();
  await page.getByRole('button', { name: `Hủy tải: ${big.name}` }).click();
  await page.getByRole('status').filter({ hasText: 'Đã hủy; không có gì được lưu.' }).waitFor();
  const cancelled = (await savedFiles(page))[2]!;
  t.same([cancelled.closed, cancelled.aborted], [false, true], 'a cancelled download aborts the file');
  t.same(problems, [], 'no page error');
  await context.close();
});

t.test('without File System Access, the file is held until checked, then downloaded; a cut resumes', async (t: Test) => {
  if (!browserOrSkip(t)) return;
  // As in a browser without the API (Firefox, Safari).
  const { s, big, context, net, page } = await stage(t, { width: 1024, height: 800 }, 'delete window.showSaveFilePicker;');
  await openCase(page, s, `${s.server.url}/staff/`, big.publicNumber);
  const item = page.locator('li').filter({ hasText: 'ảnh_gpj.exe' });
  t.match(await item.innerText(), 'Trình duyệt này không ghi thẳng vào tệp được', 'the page says the file is held in the browser');

  net.faults.push(cutAfter(Math.floor(CIPHERTEXT_CHUNK * 7.2)));
  await page.getByRole('button', { name: `Tải về (giải mã trên máy này): ${big.name}` }).click();
  await page.getByRole('alert').getByText(/Mất kết nối ở \d+%/).waitFor();
  t.same(await seriousViolations(page), [], 'interrupted at 1024 px: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'download-interrupted-1024-vi.png'));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Tiếp tục tải: ${big.name}` }).click(),
  ]);
  t.equal(download.suggestedFilename(), 'ảnh_gpj.exe', 'offered under the safe name');
  t.ok((await readFile((await download.path())!)).equals(big.bytes), 'the downloaded file is byte-identical to the one sent');
  t.same(net.froms, [0, 7], 'the resume starts at the chunk the cut broke');
  await page.getByText('Đã kiểm tra toàn vẹn và lưu').waitFor();
  await context.close();
});
