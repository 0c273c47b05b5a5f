import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { browserOrSkip, buildPage, lazyChunks, openBrowser, startServer } from './helpers.js';

// The HTML is the root of trust: a chunk loaded later (libsodium here) that does not
// match the hash index.html lists for it must never run, even though the server serves
// it as its own and the first view works.

if (browserOrSkip(t)) {
  t.test('a tampered lazy chunk is refused: it never runs and the page says so', async (t) => {
    const built = await buildPage(t);
    const [chunk] = await lazyChunks(built.outDir, 'sodium');
    const path = join(built.outDir, chunk!.slice(1));
    // What a compromised server would do: same name, other code, every encoding.
    const tampered = Buffer.concat([await readFile(path), Buffer.from('\ndocument.documentElement.dataset.tampered = "ran";\n')]);
    await writeFile(path, tampered);
    await writeFile(`${path}.br`, brotliCompressSync(tampered));
    await writeFile(`${path}.gz`, gzipSync(tampered));
    const server = await startServer(t, built.outDir);

    const { page, requests, consoleProblems } = await openBrowser(t, server.url);
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    await page.getByText('Không tải được phần mã hóa của trang').waitFor();
    t.equal(await page.evaluate(() => document.documentElement.dataset['tampered']), undefined, 'the altered code did not run');
    t.equal(await page.evaluate(() => document.documentElement.dataset['backend']), undefined, 'no backend was started');
    t.equal(requests.filter((r) => r.url().endsWith(chunk!)).length, 1, 'fetched once, for the check, and never imported');
    t.ok(consoleProblems.some((m) => /integrity/i.test(m)), 'the browser reports the failed integrity check');

  });
}
