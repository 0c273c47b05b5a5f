#!/usr/bin/env node
// Prints the test files that open a test database: those that import, directly or through
// other test modules, test/helpers/db.ts — the one place a test learns which database it
// runs on (TEST_DATABASE_URL). .ci/run gives this list to the second run, on the embedded
// database: a file that never reaches db.ts runs the same code on either, so a second run
// would test it twice. Arguments are path prefixes to leave out (directories .ci/run tests
// once by choice), except the files named in BOTH_ENGINES: they test what differs between
// the engines, so they run on both. Plain JavaScript, so it runs before anything is built
// or installed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const repo = resolve(dirname(new URL(import.meta.url).pathname), '..');
const target = join(repo, 'test/helpers/db.ts');
const leaveOut = process.argv.slice(2).map((p) => p.replace(/\/?$/, '/'));

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

// Relative imports only: a package never reaches a test helper. `./x.js` names x.ts or x.tsx.
function imports(file) {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specifiers.flatMap((s) => {
    const base = resolve(dirname(file), s).replace(/\.js$/, '');
    return [`${base}.ts`, `${base}.tsx`].filter((candidate) => {
      try { return statSync(candidate).isFile(); } catch { return false; }
    });
  });
}

const BOTH_ENGINES = new Set([
  'test/cli/backup-restore.test.ts', // pg_dump and psql, or the embedded directory and its socket
  'test/client/attachment-download.test.ts', // chunks by PostgreSQL's COPY, or the embedded paged select
]);

const importsOf = new Map();
function opensDatabase(file) {
  const seen = new Set([file]);
  const queue = [file];
  while (queue.length > 0) {
    const next = queue.pop();
    if (next === target) return true;
    if (!importsOf.has(next)) importsOf.set(next, imports(next));
    for (const imported of importsOf.get(next)) {
      if (!seen.has(imported)) { seen.add(imported); queue.push(imported); }
    }
  }
  return false;
}

const tests = sources(join(repo, 'test'))
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => relative(repo, file))
  .filter((file) => !leaveOut.some((prefix) => file.startsWith(prefix)) || BOTH_ENGINES.has(file))
  .filter((file) => opensDatabase(join(repo, file)))
  .sort();
if (tests.length === 0) {
  console.error('database-tests: no test opens a database — the import scan is broken');
  process.exit(1);
}
// In the directories that test the server itself, a file that opens no database is the
// exception, named here; any other one means the scan missed an import, and the file
// would silently lose its run on the embedded database.
const SERVER_DIRS = ['test/server/', 'test/attacks/', 'test/reliability/', 'test/console/'];
const DATABASE_FREE = new Set([
  'test/reliability/faults.test.ts', // its own PostgreSQL cluster, run on demand
  'test/server/config.test.ts', // parses the environment
  'test/server/data-directory.test.ts', // an embedded data directory of its own
  'test/server/response-serializer.test.ts', // serialises, no route
  'test/console/protection-offer.test.ts', // what the console offers, from checked facts alone
]);
const chosen = new Set(tests);
const missed = sources(join(repo, 'test'))
  .map((file) => relative(repo, file))
  .filter((file) => file.endsWith('.test.ts') && SERVER_DIRS.some((dir) => file.startsWith(dir)))
  .filter((file) => !chosen.has(file) && !DATABASE_FREE.has(file));
if (missed.length > 0) {
  console.error(`database-tests: these open no database by the scan, yet test the server: ${missed.join(', ')} — fix the scan or name them in DATABASE_FREE`);
  process.exit(1);
}
console.log(tests.join('\n'));
