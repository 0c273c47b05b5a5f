import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';

// Brotli and gzip copies of a built file, made once at build time at the highest
// settings (a slow link pays for every byte; the build pays once). The server picks
// one by Accept-Encoding (src/server/routes/web/built-files.ts) and never compresses
// on the fly. Both are deterministic, so a rebuild of the same sources writes the same
// bytes.
//
// At the highest setting brotli takes seconds for libsodium's chunk, which is the same
// in every build (the pins and the page's own code live in other chunks). So the copies
// are kept in node_modules/.cache, named by the SHA-256 of what they compress, and a
// rebuild compresses only what changed. A cached copy is used only after it decompresses
// to exactly the content: a damaged or planted cache entry is recompressed, never served.

export interface Precompressed { br: Buffer; gz: Buffer }

const CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'tipline-precompress');

function compress(content: Uint8Array): Precompressed {
  return {
    br: brotliCompressSync(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gz: gzipSync(content, { level: 9 }),
  };
}

function cached(path: string, content: Uint8Array): Precompressed | undefined {
  if (!existsSync(`${path}.br`) || !existsSync(`${path}.gz`)) return undefined;
  try {
    const copies = { br: readFileSync(`${path}.br`), gz: readFileSync(`${path}.gz`) };
    const same = (plain: Buffer) => Buffer.compare(plain, content) === 0;
    return same(brotliDecompressSync(copies.br)) && same(gunzipSync(copies.gz)) ? copies : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a cache entry by renaming finished files into place, so a reader never sees half of one. */
function keep(path: string, copies: Precompressed): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    for (const [ext, bytes] of [['br', copies.br], ['gz', copies.gz]] as const) {
      const partial = `${path}.${ext}.${process.pid}`;
      writeFileSync(partial, bytes);
      renameSync(partial, `${path}.${ext}`);
    }
  } catch {
    // A read-only or missing cache only costs time.
  }
}

export function precompress(content: Uint8Array): Precompressed {
  // Without node_modules (a copied-out build directory), nothing is cached.
  if (!existsSync(join(process.cwd(), 'node_modules'))) return compress(content);
  const path = join(CACHE_DIR, createHash('sha256').update(content).digest('hex'));
  const hit = cached(path, content);
  if (hit) return hit;
  const made = compress(content);
  keep(path, made);
  return made;
}
