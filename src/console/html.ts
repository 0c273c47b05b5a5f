import { escapeHtml, renderHtmlShell } from '../build/html-shell.js';
import { vi } from './i18n/vi.js';

// The console's only HTML. Assets are referenced relatively, so the same file works at
// /staff/ on the server and at / under `tipline console`. The empty tipline-origin meta
// is filled in by `tipline console` with the origin it was told to sign for
// (src/cli/console/local-server.ts); served at /staff/ it stays empty and the page
// signs for its own origin.

export interface ConsoleAssets {
  scriptIntegrity: string;
  styleIntegrity: string;
  /** The chunks loaded later, each pinned here as the denouncer page pins its own (src/web/lazy.ts reads them). */
  lazy?: { name: string; href: string; integrity: string }[];
}

export function renderConsoleHtml(assets: ConsoleAssets): string {
  return renderHtmlShell({
    title: vi['app.title'],
    head: ['<meta name="tipline-origin" content="">',
      ...(assets.lazy ?? []).map((c) => `<meta name="tipline-lazy" content="${escapeHtml(`${c.name} ${c.href} ${c.integrity}`)}">`)],
    style: { href: 'console.css', integrity: assets.styleIntegrity },
    script: { src: 'console.js', integrity: assets.scriptIntegrity },
    body: '<noscript><p lang="vi">Bảng điều khiển cần JavaScript để giải mã trên máy này.</p><p lang="en">The console needs JavaScript to decrypt on this machine.</p></noscript>\n<div id="app"></div>',
  });
}
