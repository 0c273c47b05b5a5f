import { escapeHtml, renderHtmlShell } from '../build/html-shell.js';
import { en } from './i18n/en.js';
import { vi } from './i18n/vi.js';

// The page's only HTML (its shape: src/build/html-shell.ts). It holds no <form>: with JavaScript off there is nothing
// that could post plain text anywhere, only the explanation below, in both languages.
//
// It is the root of trust of the page: it pins by SRI the stylesheet, the entry script
// and the chunks the entry imports (modulepreload, so the browser checks them before the
// entry runs), and lists in <meta name="tipline-lazy"> the hashes of the chunks loaded
// later, which src/web/lazy.ts has the browser check before any of them runs.

export interface PageAsset { href: string; integrity: string }

export interface PageAssets {
  style: PageAsset;
  script: PageAsset;
  firstView: PageAsset[];
  lazy: { name: string; files: PageAsset[] }[];
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

/** Shown from the first paint until the script starts (style.css hides it when scripting is off). */
function loadingBlock(): string {
  return `<p class="msg loading" role="status"><span lang="vi">${escapeHtml(vi['app.loading'])}</span> · <span lang="en">${escapeHtml(en['app.loading'])}</span></p>`;
}

export function renderIndexHtml(assets: PageAssets): string {
  const preload = assets.firstView.map((a) => `<link rel="modulepreload" href="${a.href}" integrity="${a.integrity}">`);
  const lazy = assets.lazy.map(
    (l) => `<meta name="tipline-lazy" content="${escapeHtml([l.name, ...l.files.flatMap((f) => [f.href, f.integrity])].join(' '))}">`,
  );
  return renderHtmlShell({
    title: vi['app.title'],
    // The agencies' names are asked for with the scripts, not after them: on a slow link
    // that is one round trip less before the form can be used (sdk.ts's fetch takes it over).
    head: ['<link rel="preload" href="/v1/directory" as="fetch" crossorigin="anonymous">', ...preload, ...lazy],
    style: assets.style,
    script: { src: assets.script.href, integrity: assets.script.integrity, module: true },
    body: [
      `<header class="top"><h1 id="app-title">${escapeHtml(vi['app.title'])}</h1></header>`,
      '<noscript>', noscriptBlock('vi'), noscriptBlock('en'), '</noscript>',
      `<main id="app" tabindex="-1">${loadingBlock()}</main>`,
    ].join('\n'),
  });
}
