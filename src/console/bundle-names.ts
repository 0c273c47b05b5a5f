// What the console loads after its first view, each a file of its own that index.html
// pins by hash (src/console/build.ts writes it, src/web/lazy.ts checks it before it runs):
// the .xlsx builder with exceljs, which only the report's export needs and which is larger
// than the rest of the console together.
export const CONSOLE_LAZY = {
  xlsx: { file: 'console-xlsx.js', entry: 'xlsx-chunk.ts' },
} as const;
export type ConsoleLazyName = keyof typeof CONSOLE_LAZY;
