import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { browserOrSkip, lazyChunks } from './helpers.js';
import { fillReport, scene, sendAndReadReceipt } from './flow.js';

// The proof of work runs in a Worker started from bytes index.html vouches for, while the
// person is still writing: the submission goes through under the page's CSP and Trusted
// Types with no violation, and a Worker script the server altered never runs (the page
// refuses to send).

const report = { who: 'Bà N', what: 'Nhận tiền để bỏ qua vi phạm.', when: '2026', where: 'Phường Y', evidence: 'Tin nhắn.' };

if (browserOrSkip(t)) {
  t.test('the puzzles are solved in a checked Worker, with progress, and the case is accepted', async (t) => {
    const s = await scene(t, { powDifficulty: 15 });
    const workers: string[] = [];
    s.page.on('worker', (w) => workers.push(w.url()));
    await s.page.waitForFunction(() => document.documentElement.dataset['backend'] === 'sodium');
    await fillReport(s.page, s.agency, report);
    const [worker] = await lazyChunks(s.server.config.webDir, 'pow-sodium');
    // Whether the bar was ever drawn, however briefly: recorded by the page's own DOM.
    await s.page.evaluate(() => {
      const bar = document.querySelector('.pow-progress')!;
      new MutationObserver(() => { if (!bar.hasAttribute('hidden')) document.documentElement.dataset['powShown'] = 'yes'; }).observe(bar, { attributes: true });
    });
    const { receipt } = await sendAndReadReceipt(s.page);
    t.equal(await s.page.evaluate(() => document.documentElement.dataset['powShown']), 'yes', 'the progress bar was shown');
    t.ok(receipt.length > 0, 'the server took the answers');
    t.equal(workers.length, 1, 'one Worker');
    t.match(workers[0], /^blob:/, 'started from the checked bytes');
    t.equal(s.requests.filter((r) => r.url().endsWith(worker!)).length, 1, 'its script fetched once, while the person wrote');
    t.same(s.consoleProblems, [], 'no CSP or Trusted Types violation');
  });

  t.test('the proof of work is solved while the person writes, and "send" uses it', async (t) => {
    const s = await scene(t, { powDifficulty: 15 });
    await s.page.waitForFunction(() => document.documentElement.dataset['backend'] === 'sodium');
    await fillReport(s.page, s.agency, report);
    // The page's own record of a finished solve (pow.ts): here, before anything was sent.
    await s.page.waitForFunction(() => performance.getEntriesByName('tipline:pow', 'measure').length === 1, undefined, { timeout: 60_000 });
    const asked = () => s.requests.filter((r) => r.method() === 'POST' && r.url().endsWith('/v1/pow')).length;
    t.equal(asked(), 1, 'one challenge, asked while writing');
    t.notOk(s.requests.some((r) => r.url().endsWith('/v1/cases')), 'and nothing sent yet');
    const { receipt } = await sendAndReadReceipt(s.page);
    t.ok(receipt.length > 0, 'the server took the answers solved ahead');
    t.equal(asked(), 1, 'no other challenge for the submission');
    t.equal(await s.page.evaluate(() => performance.getEntriesByName('tipline:pow', 'measure').length), 1, 'nothing solved after "send"');
  });

  t.test('a Worker script that does not match its hash never runs, and nothing is sent', async (t) => {
    const s = await scene(t, { powDifficulty: 15 });
    const [chunk] = await lazyChunks(s.server.config.webDir, 'pow-sodium');
    const path = join(s.server.config.webDir, chunk!.slice(1));
    const tampered = Buffer.concat([await readFile(path), Buffer.from('\nglobalThis.postMessage({ kind: "solved", solution: new Uint8Array(128) });\n')]);
    await writeFile(path, tampered);
    await writeFile(`${path}.br`, brotliCompressSync(tampered));
    await writeFile(`${path}.gz`, gzipSync(tampered));
    // Rewritten in place, the manifest makes the server read the build again.
    const manifest = join(s.server.config.webDir, 'manifest.json');
    await writeFile(manifest, await readFile(manifest));
    // The page already fetched the real script ahead of use: forget it, as a new visitor would.
    await (await s.context.newCDPSession(s.page)).send('Network.clearBrowserCache');
    await s.page.reload();
    const workers: string[] = [];
    s.page.on('worker', (w) => workers.push(w.url()));
    await s.page.waitForFunction(() => document.documentElement.dataset['backend'] === 'sodium');
    await fillReport(s.page, s.agency, report);
    await s.page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    await s.page.getByText('Không tải được phần mã hóa của trang').waitFor({ timeout: 60_000 });
    t.same(workers, [], 'no Worker was started');
    t.notOk(s.requests.some((r) => r.method() === 'POST' && r.url().endsWith('/v1/cases')), 'nothing was sent');
  });
}
