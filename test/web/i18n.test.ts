import t from 'tap';
import { en } from '../../src/web/i18n/en.js';
import { vi } from '../../src/web/i18n/vi.js';

t.test('both catalogues have exactly the same keys', async (t) => {
  t.same(Object.keys(en).sort(), Object.keys(vi).sort());
});

t.test('every entry is translated and uses the same placeholders in both languages', async (t) => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
    t.ok(vi[key].trim().length > 0, `vi ${key} is not empty`);
    t.ok(en[key].trim().length > 0, `en ${key} is not empty`);
    t.same(placeholders(en[key]), placeholders(vi[key]), `${key} has the same placeholders`);
  }
});

t.test('every key the page source uses exists in the catalogue', async (t) => {
  const { readFile, readdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'i18n') await walk(path);
      } else if (path.endsWith('.ts') && !path.endsWith('build.ts') && !path.endsWith('html.ts')) files.push(path);
    }
  }
  await walk('src/web');
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/'((?:app|noscript|agency|report|files|track|identity|send|error|receipt|followup|protection|retaliation|withdraw|workflow|status|event|uploads|slip|kind)\.[A-Za-z.]+)'/g)) {
      t.ok(match[1]! in vi, `${file}: ${match[1]} is a catalogue key`);
    }
  }
});
