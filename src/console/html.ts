import { vi } from './i18n/vi.js';

// The console's only HTML, rendered at build time: no inline script, style or handler
// (the CSP forbids them). Assets are referenced relatively, so the same file works at
// /staff/ on the server and at / under `tipline console`, and pinned by SRI. The empty
// tipline-origin meta is filled in by `tipline console` with the origin it was told to
// sign for (src/cli/console/local-server.ts); served at /staff/ it stays empty and the
// page signs for its own origin.

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ConsoleAssets { scriptIntegrity: string; styleIntegrity: string }

export function renderConsoleHtml(assets: ConsoleAssets): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="tipline-origin" content="">
<title>${escapeHtml(vi['app.title'])}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="console.css" integrity="${assets.styleIntegrity}">
<script src="console.js" integrity="${assets.scriptIntegrity}" defer></script>
</head>
<body>
<noscript><p lang="vi">Bảng điều khiển cần JavaScript để giải mã trên máy này.</p><p lang="en">The console needs JavaScript to decrypt on this machine.</p></noscript>
<div id="app"></div>
</body>
</html>
`;
}
