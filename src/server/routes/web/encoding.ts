// Content negotiation for the precompressed copies of a built file: brotli if the
// client takes it, else gzip, else the plain bytes. A coding listed with q=0 is refused
// by the client, so it is never chosen.

export type Encoding = 'br' | 'gzip';

function accepted(header: string, coding: Encoding): boolean {
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (name !== coding) continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

export function chooseEncoding(header: string | string[] | undefined, available: Record<Encoding, boolean>): Encoding | undefined {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (available.br && accepted(value, 'br')) return 'br';
  if (available.gzip && accepted(value, 'gzip')) return 'gzip';
  return undefined;
}
