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

t.test('every state and kind of the domain is named and explained in both languages', async (t) => {
  const { caseKinds, caseStates, jurisdictions } = await import('../../src/domain/index.js');
  const { vi: consoleVi } = await import('../../src/console/i18n/vi.js');
  const { en: consoleEn } = await import('../../src/console/i18n/en.js');
  // From the rule sets themselves, not only the list beside them: a state a rule set
  // moves a case into, or a kind it reclassifies it as, is one a denouncer can see.
  const states = new Set<string>(caseStates);
  const kinds = new Set<string>(caseKinds);
  for (const j of Object.values(jurisdictions)) {
    for (const rules of j.ruleSets) {
      for (const rule of rules.transitions) {
        for (const s of rule.from) states.add(s);
        // States are upper case; 'same', 'previous', 'before_review' name one relative to the case.
        if (/^[A-Z_]+$/.test(rule.to)) states.add(rule.to);
        if (rule.setsKind) kinds.add(rule.setsKind);
      }
    }
  }
  const page = { vi, en } as Record<string, Record<string, string>>;
  const staff = { vi: consoleVi, en: consoleEn } as Record<string, Record<string, string>>;
  for (const lang of ['vi', 'en']) {
    for (const s of states) {
      t.ok(page[lang]![`status.${s}`], `page ${lang}: state ${s} has a name`);
      t.ok(page[lang]![`status.${s}.explain`], `page ${lang}: state ${s} is explained`);
      t.ok(staff[lang]![`status.${s}`], `console ${lang}: state ${s} has a name`);
    }
    for (const k of kinds) {
      t.ok(page[lang]![`kind.${k}`], `page ${lang}: kind ${k} has a name`);
      t.ok(page[lang]![`kind.${k}.explain`], `page ${lang}: kind ${k} is explained`);
      t.ok(staff[lang]![`kind.${k}`], `console ${lang}: kind ${k} has a name`);
    }
    // And the other way: no name for a state or kind the domain no longer has.
    for (const key of Object.keys(page[lang]!)) {
      const m = /^(status|kind)\.([A-Za-z_]+)(\.explain)?$/.exec(key);
      if (!m || m[2] === 'unknown') continue;
      t.ok((m[1] === 'status' ? states : kinds).has(m[2]!), `page ${lang}: ${key} names a ${m[1]} of the domain`);
    }
  }
});
