// The one HTML document shape both browser apps ship (the denouncer page and the staff
// console), rendered at build time: no inline script, style or handler (their CSPs
// forbid them), no referrer, no favicon request, assets pinned by SRI.

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface HtmlShell {
  title: string;
  /** Where the stylesheet and script are, and their SRI hashes. */
  style: { href: string; integrity: string };
  /** A module script is deferred by nature; a classic one gets `defer`. */
  script: { src: string; integrity: string; module?: boolean };
  /** Lines added at the end of <head>, already HTML. */
  head?: string[];
  /** The body's content, already HTML. */
  body: string;
}

export function renderHtmlShell(s: HtmlShell): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${(s.head ?? []).map((line) => `${line}\n`).join('')}<title>${escapeHtml(s.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${s.style.href}" integrity="${s.style.integrity}">
<script ${s.script.module ? 'type="module" ' : ''}src="${s.script.src}" integrity="${s.script.integrity}"${s.script.module ? '' : ' defer'}></script>
</head>
<body>
${s.body}
</body>
</html>
`;
}
