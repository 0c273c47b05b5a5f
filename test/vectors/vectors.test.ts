import { readFileSync } from 'node:fs';
import t from 'tap';
import { loadBackend } from '../../src/protocol/index.js';
import { buildVectorFiles } from './generate.js';
import { RUNNERS, runVector } from './run.js';

const backends = [await loadBackend('sodium'), await loadBackend('noble')];

function load(file: string): any[] {
  return JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')).vectors;
}

for (const file of Object.keys(RUNNERS)) {
  t.test(file, async (t) => {
    const vectors = load(file);
    t.ok(vectors.length > 0, 'file holds vectors');
    for (const be of backends) {
      for (const v of vectors) {
        const result = await runVector(be, file, v);
        t.equal(result.outcome, v.expect, `${be.name}: ${v.name}`);
        if (v.expect === 'ok') t.equal(result.output, RUNNERS[file]!.expected(v), `${be.name}: ${v.name} recovers the expected bytes`);
      }
    }
  });
}

t.test('regenerating the vectors reproduces the committed files byte for byte', async (t) => {
  for (const [name, text] of Object.entries(await buildVectorFiles())) {
    t.equal(text, readFileSync(new URL(name, import.meta.url), 'utf8'), name);
  }
});
