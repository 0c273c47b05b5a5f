import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole } from '../src/console/build.js';
import { agencyFingerprint, encryptKeyFile, type Backend } from '../src/protocol/index.js';
import { signIn } from '../test/console/page-checks.js';
import { tiplineBenchEnv } from './cases.js';
import { chromiumPath, percentiles, timeClick, type Timing } from './console.js';
import { freePort } from './lib/console-scene.js';
import { progress } from './lib/progress.js';
import type { SeededAgency } from './lib/seed.js';
import { startServer } from './lib/server.js';

// The console's report view over the report bench's history: `tipline serve` with the
// built console at /staff/, the head of agency signed in in Debian's Chromium, and the
// year's report shown again and again, each timed in the page from the click on "Xem
// báo cáo" until the form and its six charts are in the DOM (both routes answered, the
// figures laid out, the charts drawn). Between runs the view is left and opened again,
// so every run draws from nothing.

export async function timeReportView(be: Backend, agency: SeededAgency, databaseEnv: Record<string, string>, year: string, runs: number): Promise<Timing> {
  const consoleDir = await mkdtemp(join(tmpdir(), 'tipline-bench-report-console-'));
  const { chromium } = await import('playwright-core');
  let stopServer = async () => {};
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    progress('report view: building the console');
    await buildConsole({ outDir: consoleDir });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const server = await startServer({ kind: 'tipline', env: { ...databaseEnv, ...tiplineBenchEnv, PORT: String(port), TIPLINE_ORIGIN: origin, TIPLINE_CONSOLE_DIR: consoleDir } });
    stopServer = server.stop;
    const head = agency.staff.find((s) => s.roles.includes('supervisor'))!;
    const passphrase = 'mật khẩu rất dài 2026';
    // Low Argon2id limits: unlocking is not what is measured.
    const keyFile = await encryptKeyFile(head.keys, passphrase, { staffId: head.staffId, agencyId: agency.agencyId, label: 'staff' }, { opslimit: 1, memlimit: 8192 * 1024 });
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`report view page error: ${String(e)}\n`));
    await page.goto(`${origin}/staff/`);
    await signIn(page, keyFile, passphrase, { fingerprint: agencyFingerprint(be, agency.publicKey) });
    const times: number[] = [];
    // One warm-up round first, as the console bench does.
    for (let run = -1; run < runs; run++) {
      progress(`report view: run ${run + 1}/${runs}`);
      await page.getByRole('button', { name: 'Thời hạn', exact: true }).click();
      await page.waitForLoadState('networkidle');
      await page.getByRole('button', { name: 'Báo cáo', exact: true }).click();
      await page.getByRole('spinbutton', { name: 'Năm' }).fill(year);
      const ms = await timeClick(page, 'form.period', 'Xem báo cáo', 'section.reports figure.chart', 6);
      if (run === -1 && !(await page.getByRole('row', { name: /Số đơn tiếp nhận trong kỳ/ }).isVisible())) throw new Error('the report view showed no form');
      if (run >= 0) times.push(ms);
    }
    return percentiles(times);
  } finally {
    await browser.close();
    await stopServer();
    await rm(consoleDir, { recursive: true, force: true });
  }
}
