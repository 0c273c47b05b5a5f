// The API reference as one HTML document, written from our own /openapi.json on the
// server: no script at all, so it renders under the strictest CSP (and with JavaScript
// off), and nothing but this file and the stylesheet beside it is needed to read it.
// Every text from the document is escaped; the HTML around it is fixed.

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  'x-error-codes'?: string[];
}

interface Media { schema?: Schema }
interface Response { description?: string; content?: Record<string, Media>; headers?: Record<string, { description?: string }> }
export interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, Response>;
}
export interface Document {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { description?: string }> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const escape = (text: unknown): string =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A stable anchor for an operation, e.g. op-post-v1-cases. */
export const anchorOf = (method: string, path: string): string =>
  `op-${method}-${path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+$/, '');

function typeOf(s: Schema): string {
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return alt.map(typeOf).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const t = [s.type ?? (s.properties ? 'object' : 'any')].flat().join(' | ');
  if (t === 'array' && s.items) return `array of ${typeOf(s.items)}`;
  return s.format ? `${t} (${s.format})` : t;
}

function limits(s: Schema): string[] {
  const out: string[] = [];
  if (s.enum) out.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) out.push(`length ${s.minLength ?? 0}..${s.maxLength ?? '∞'}`);
  if (s.minimum !== undefined || s.maximum !== undefined) out.push(`${s.minimum ?? '−∞'}..${s.maximum ?? '∞'}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) out.push(`${s.minItems ?? 0}..${s.maxItems ?? '∞'} items`);
  if (s.pattern && s.format !== 'uuid') out.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

/** The fields of an object schema (or of the object inside an array or a nullable), as a nested list. */
function fields(s: Schema | undefined, depth = 0): string {
  if (!s || depth > 8) return '';
  const inner = s.items ?? (s.anyOf ?? s.oneOf)?.find((x) => x.properties || x.items);
  if (!s.properties) return inner ? fields(inner, depth) : '';
  const rows = Object.entries(s.properties).map(([name, p]) => {
    const notes = [...limits(p), ...(p.description ? [p.description] : [])];
    const optional = s.required?.includes(name) ? '' : ' <span class="optional">optional</span>';
    return `<li><code>${escape(name)}</code> <span class="type">${escape(typeOf(p))}</span>${optional}` +
      `${notes.length ? ` <span class="notes">${escape(notes.join('; '))}</span>` : ''}${fields(p, depth + 1)}</li>`;
  });
  return `<ul class="fields">${rows.join('')}</ul>`;
}

function schemaBlock(s: Schema | undefined): string {
  if (!s) return '';
  const list = fields(s);
  return list || `<p><span class="type">${escape(typeOf(s))}</span>${s.description ? ` ${escape(s.description)}` : ''}</p>`;
}

function securityText(security: Operation['security']): string {
  if (!security?.length) return 'none: anonymous / không cần xác thực';
  const requirement = (req: Record<string, string[]>) =>
    Object.entries(req).map(([name, roles]) => escape(roles.length ? `${name} (${roles.join(', ')})` : name)).join(' + ');
  return security.map(requirement).join(' <em>or</em> ');
}

function parameters(op: Operation): string {
  if (!op.parameters?.length) return '';
  const rows = op.parameters.map((p) => {
    const about = p.description ?? p.schema?.description;
    const notes = [...(p.schema ? limits(p.schema) : []), ...(about ? [about] : [])].join('; ');
    return `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td>` +
      `<td><span class="type">${escape(p.schema ? typeOf(p.schema) : 'string')}</span> ${escape(notes)}</td></tr>`;
  });
  return `<h4>Parameters / Tham số</h4><table><thead><tr><th>name</th><th>in</th><th>required</th><th>value</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function requestBody(op: Operation): string {
  const content = op.requestBody?.content;
  if (!content) return '';
  const parts = Object.entries(content).map(([type, media]) => `<p class="media"><code>${escape(type)}</code></p>${schemaBlock(media.schema)}`);
  return `<h4>Request body / Nội dung gửi</h4>${parts.join('')}`;
}

function responses(op: Operation): string {
  const rows = Object.entries(op.responses ?? {}).map(([status, r]) => {
    const media = Object.entries(r.content ?? {});
    const codes = media.flatMap(([, m]) => m.schema?.['x-error-codes'] ?? []);
    const body = codes.length
      ? `<p class="codes">${codes.map((c) => `<code>${escape(c)}</code>`).join(' ')}</p>`
      : media.map(([type, m]) => `<p class="media"><code>${escape(type)}</code></p>${schemaBlock(m.schema)}`).join('');
    const description = codes.length ? '' : `<p>${escape(r.description ?? '')}</p>`;
    return `<div class="response s${escape(status[0])}"><h5>${escape(status)}</h5>${description}${body}</div>`;
  });
  return `<h4>Responses / Trả lời</h4>${rows.join('')}`;
}

function operation(method: string, path: string, op: Operation): string {
  return `<article class="op" id="${anchorOf(method, path)}">` +
    `<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>` +
    (op.summary ? `<p class="summary">${escape(op.summary)}</p>` : '') +
    (op.description ? `<p>${escape(op.description)}</p>` : '') +
    `<p class="security">Credentials / Xác thực: ${securityText(op.security)}</p>` +
    parameters(op) + requestBody(op) + responses(op) + '</article>';
}

/** Every operation, grouped by its first tag in the order the document lists them. */
function byTag(doc: Document): Map<string, [string, string, Operation][]> {
  const groups = new Map<string, [string, string, Operation][]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      groups.set(tag, [...(groups.get(tag) ?? []), [method, path, op]]);
    }
  }
  return groups;
}

function errorCodesTable(doc: Document, meanings: Record<string, string>): string {
  const seen = new Set<string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        for (const code of r.content?.['application/json']?.schema?.['x-error-codes'] ?? []) seen.add(`${status} ${code}`);
      }
    }
  }
  const rows = [...seen].sort().map((key) => {
    const [status = '', code = ''] = key.split(' ');
    return `<tr><td>${escape(status)}</td><td><code>${escape(code)}</code></td><td>${escape(meanings[code] ?? '')}</td></tr>`;
  });
  return '<section id="errors"><h2>Errors / Lỗi</h2><p>Every refusal has the body <code>{"error": {"code", "message", …}}</code>; ' +
    'clients branch on <code>code</code>, and <code>message</code> is for people. Each operation lists the codes of each status.</p>' +
    `<table><thead><tr><th>status</th><th>code</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export function renderReference(doc: Document, stylesheet: string, meanings: Record<string, string>): string {
  const groups = byTag(doc);
  const nav = [...groups].map(([tag, ops]) =>
    `<li><a href="#tag-${escape(tag)}">${escape(tag)}</a><ul>${ops.map(([m, p]) => `<li><a href="#${anchorOf(m, p)}">${m.toUpperCase()} ${escape(p)}</a></li>`).join('')}</ul></li>`);
  const schemes = Object.entries(doc.components?.securitySchemes ?? {}).map(([name, s]) => `<li><code>${escape(name)}</code>: ${escape(s.description ?? '')}</li>`);
  const sections = [...groups].map(([tag, ops]) =>
    `<section id="tag-${escape(tag)}"><h2>${escape(tag)}</h2>${ops.map(([m, p, op]) => operation(m, p, op)).join('')}</section>`);
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escape(doc.info.title)}</title><link rel="stylesheet" href="${escape(stylesheet)}"><link rel="icon" href="data:,"></head><body>` +
    `<header><h1>${escape(doc.info.title)} <small>v${escape(doc.info.version)}</small></h1>` +
    `<p>${escape(doc.info.description ?? '')}</p><p><a href="/openapi.json">openapi.json</a></p>` +
    `<h2>Credentials / Xác thực</h2><ul>${schemes.join('')}</ul></header>` +
    `<nav><ul>${nav.join('')}<li><a href="#errors">errors</a></li></ul></nav><main>${sections.join('')}${errorCodesTable(doc, meanings)}</main></body></html>`;
}
