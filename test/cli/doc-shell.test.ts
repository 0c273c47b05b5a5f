import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DocShell } from './doc-shell-run.js';
import { parseLine, ShellSyntaxError } from './doc-shell.js';

// The reader test/cli/staff-walkthrough.test.ts runs docs/STAFF.md with: it must read
// the document's forms as bash does and refuse every other one, so that a new form in
// the document fails the walk-through instead of running as something else.

const TIPLINE = 'tipline() { node dist/tipline.js "$@"; }';

t.test('words are read as bash reads them', async (t) => {
  t.same(parseLine(`tipline case show "$CASE" --key 'a b' --note "x $Y z"   # the id, or TL-…`), {
    kind: 'pipeline',
    commands: [[
      [{ quoted: false, text: 'tipline' }], [{ quoted: false, text: 'case' }], [{ quoted: false, text: 'show' }],
      [{ quoted: true, variable: 'CASE' }], [{ quoted: false, text: '--key' }], [{ quoted: true, text: 'a b' }],
      [{ quoted: false, text: '--note' }], [{ quoted: true, text: 'x ' }, { quoted: true, variable: 'Y' }, { quoted: true, text: ' z' }],
    ]],
  });
  t.same(parseLine('export S=${S:-http://127.0.0.1:8080}'), { kind: 'assign', name: 'S', exported: true, value: [{ quoted: false, variable: 'S', fallback: 'http://127.0.0.1:8080' }] });
  t.same(parseLine(`R=$(a "(x)" | b 'f(")")')`), {
    kind: 'assign', name: 'R', exported: false,
    value: [{ quoted: false, command: [[[{ quoted: false, text: 'a' }], [{ quoted: true, text: '(x)' }]], [[{ quoted: false, text: 'b' }], [{ quoted: true, text: 'f(")")' }]]] }],
  });
  t.same(parseLine('. keys/demo/env'), { kind: 'source', file: [{ quoted: false, text: 'keys/demo/env' }] });
  t.same(parseLine(TIPLINE), { kind: 'function', name: 'tipline' });
  t.equal(parseLine('   # only a comment'), undefined);
});

t.test('every form the reader does not know is refused, naming the line', async (t) => {
  for (const line of [
    'tipline cases > cases.txt', 'tipline cases < in', 'tipline cases; tipline cases', 'tipline cases && tipline cases', 'tipline cases || true',
    'tipline cases &', 'tipline case show $CASE', 'tipline case show ${CASE}', 'X=$(a | b $Y)', 'TIPLINE_KEY=k tipline cases', 'export A=1 B=2',
    'echo "a\\"b"', 'echo a\\ b', 'echo `date`', "echo 'open", 'echo "open', 'echo "${X%y}"', 'echo $', 'echo *.json', 'echo ~/keys',
    'tipline() { bash -c "$@"; }', 'f() { node dist/tipline.js "$@"; } ; x', 'tipline cases |', '| tipline cases', 'echo $(a', 'echo "$()"', '(tipline cases)',
  ]) {
    t.throws(() => parseLine(line), ShellSyntaxError, line);
  }
  t.throws(() => parseLine('tipline cases > out'), /docs shell: an unquoted `>` in `tipline cases > out`/);
});

t.test('a script runs as under bash -euo pipefail, tipline in this process', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-doc-shell-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'env'), 'export PINS=pins.json\nexport PIN=7K2M9QXABCDEFGHJKMNPQRSTVWXYZ012\n');
  const shell = () => new DocShell(dir, { DATABASE_URL: undefined, FROM_TEST: 'set' });

  const ok = await shell().run([
    TIPLINE, '. env', 'tipline trust add thanh-tra "$PIN" --trust-file "$PINS"',
    'export LISTED=$(tipline trust list --json --trust-file "$PINS" | tr a-z A-Z)', 'printenv LISTED', 'printf "%s|" "${FROM_TEST:-unset}" "${NONE:-fallback}" "$(cat env | head -n 1)"',
  ].join('\n'));
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stdout, /"AGENCY": ?"THANH-TRA"[\s\S]*"SERIAL": ?0/, 'the in-process command wrote the pin file in the shell\'s directory, and its output went down the pipe');
  t.match(ok.stdout, /set\|fallback\|export PINS=pins\.json\|$/, 'defaults, inherited variables and a quoted substitution (its last newline cut)');
  t.notMatch(ok.stdout, /\n\n/, 'a substitution loses its trailing newline');

  const stopped = await shell().run([TIPLINE, '. env', 'tipline trust remove nobody --trust-file "$PINS"', 'echo not reached'].join('\n'));
  t.equal(stopped.status, 1, 'the failing command stops the script with its status');
  t.notMatch(stopped.stdout, /not reached/);
  t.match(stopped.stderr, /exit 1 at `tipline trust remove nobody --trust-file "\$PINS"`/, 'and names the line');

  const piped = await shell().run([TIPLINE, 'tipline trust remove nobody --trust-file x.json | cat', 'echo not reached'].join('\n'));
  t.equal(piped.status, 1, 'a failing stage fails the pipeline (pipefail)');
  const substituted = await shell().run([TIPLINE, 'X=$(tipline trust remove nobody --trust-file x.json)', 'echo not reached'].join('\n'));
  t.equal(substituted.status, 1, 'a failing command substitution fails its line');
  t.notMatch(substituted.stdout, /not reached/);

  const unset = await shell().run([TIPLINE, 'tipline trust list --trust-file "$NOT_SET"'].join('\n')).catch((e: Error) => e);
  t.match(unset, /NOT_SET is not set/, 'an unset variable is an error (set -u)');
  t.equal((await shell().run('tipline trust list')).status, 127, 'before the document defines it, `tipline` is no command here');
  await t.rejects(shell().run(`${TIPLINE}\necho x | tipline trust list`), /cannot read a pipe in process/);
  await t.rejects(shell().run('touch ran\ntipline cases > x'), ShellSyntaxError);
  t.notOk(existsSync(join(dir, 'ran')), 'the whole script is read before any line runs');
});
