import { escapeHtml, renderHtmlShell } from '../build/html-shell.js';
import { en } from './i18n/en.js';
import { vi } from './i18n/vi.js';

// The page's only HTML (its shape: src/build/html-shell.ts). It holds no <form>: with JavaScript off there is nothing
// that could post plain text anywhere, only the explanation below, in both languages.

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
  return renderHtmlShell({
    title: vi['app.title'],
    style: { href: '/app.css', integrity: assets.styleIntegrity },
    script: { src: '/app.js', integrity: assets.scriptIntegrity },
    body: [
      `<header class="top"><h1 id="app-title">${escapeHtml(vi['app.title'])}</h1></header>`,
      '<noscript>', noscriptBlock('vi'), noscriptBlock('en'), '</noscript>',
      '<main id="app" tabindex="-1"></main>',
    ].join('\n'),
  });
}
