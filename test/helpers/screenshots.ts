import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Page } from 'playwright-core';

// Screenshots of the screens people read, in Vietnamese and English, for a reviewer to look
// at in test-artifacts/. No assertion reads them and each full-page PNG costs the browser a
// few tenths of a second of CPU, so they are written only when asked for:
// `TIPLINE_SCREENSHOTS=1 npm test -- test/console/*.test.ts` (README, "Tests").

export const screenshotsWanted = process.env['TIPLINE_SCREENSHOTS'] === '1';

export async function screenshot(page: Page, path: string): Promise<void> {
  if (!screenshotsWanted) return;
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}
