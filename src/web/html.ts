import { en } from './i18n/en.js';
import { vi } from './i18n/vi.js';

// The page's only HTML, rendered at build time. It holds no inline script, style or
// handler (the CSP forbids them) and no <form>: with JavaScript off there is nothing
// that could post plain text anywhere, only the explanation below, in both languages.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageAssets {
  scriptIntegrity: string;
  styleIntegrity: string;
}

function noscriptBlock(lang: 'vi' | 'en'): string {
  const c = lang === 'vi' ? vi : en;
  return [
    `<section class="noscript" lang="${lang}">`,
    `<h2>${escapeHtml(c['noscript.title'])}</h2>`,
    `<p>${escapeHtml(c['noscript.why'])}</p>`,
    `<p>${escapeHtml(c['noscript.how'])}</p>`,
    `</section>`,
  ].join('\n');
}

export function renderIndexHtml(assets: PageAssets): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(vi['app.title'])}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css" integrity="${assets.styleIntegrity}">
<script src="/app.js" integrity="${assets.scriptIntegrity}" defer></script>
</head>
<body>
<header class="top"><h1 id="app-title">${escapeHtml(vi['app.title'])}</h1></header>
<noscript>
${noscriptBlock('vi')}
${noscriptBlock('en')}
</noscript>
<main id="app" tabindex="-1"></main>
</body>
</html>
`;
}
