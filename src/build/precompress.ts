import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Brotli and gzip copies of a built file, made once at build time at the highest
// settings (a slow link pays for every byte; the build pays once). The server picks
// one by Accept-Encoding (src/server/routes/web/built-files.ts) and never compresses
// on the fly. Both are deterministic, so a rebuild of the same sources writes the same
// bytes.

export interface Precompressed { br: Buffer; gz: Buffer }

export function precompress(content: Uint8Array): Precompressed {
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
