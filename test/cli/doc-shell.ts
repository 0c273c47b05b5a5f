// The shell that docs/STAFF.md's walk-through is written in, read as bash would read it
// and run with `bash -euo pipefail` semantics, except that `tipline …` runs in this
// process (test/cli/in-process.ts) instead of a node process per command. It reads only
// the forms the document uses — a `tipline()` function for the bundled command, `export`
// and plain assignments, `. file`, words in single or double quotes, `$NAME`, `${NAME}`,
// `${NAME:-default}`, `$(…)`, `|` and `#` comments — and throws on anything else, so
// the document cannot grow a form this reader would silently get wrong.

export type Part = { quoted: boolean } & ({ text: string } | { variable: string; fallback?: string } | { command: Pipeline });
export type Word = Part[];
export type Pipeline = Word[][];
export type Statement =
  | { kind: 'function'; name: string }
  | { kind: 'assign'; name: string; value: Word; exported: boolean }
  | { kind: 'source'; file: Word }
  | { kind: 'pipeline'; commands: Pipeline };

/** The one function the document defines: `tipline` as the bundled command. */
const TIPLINE_FUNCTION = /^([A-Za-z_]\w*)\(\) \{ node dist\/tipline\.js "\$@"; \}$/;
const NAME = /^[A-Za-z_]\w*/;
// Unquoted, each of these means something this reader does not do (a list, a redirection,
// a glob, a subshell, an escape): refused rather than taken as a letter.
const UNSUPPORTED = new Set([';', '&', '<', '>', '(', ')', '{', '}', '*', '?', '[', ']', '~', '`', '\\', '!']);

export class ShellSyntaxError extends Error {
  constructor(line: string, reason: string) {
    super(`docs shell: ${reason} in \`${line}\` (test/cli/doc-shell.ts reads only the forms docs/STAFF.md uses)`);
    this.name = 'ShellSyntaxError';
  }
}

/** Parses one line; a blank or comment-only line is undefined. */
export function parseLine(line: string): Statement | undefined {
  const fn = TIPLINE_FUNCTION.exec(line.trim());
  if (fn) return { kind: 'function', name: fn[1]! };
  const words = new Lexer(line, line).pipeline();
  if (words.length === 0) return undefined;
  const [first, ...rest] = words[0]!;
  if (words.length === 1 && literal(first!) === 'export') {
    const assign = rest.length === 1 ? assignment(rest[0]!) : undefined;
    if (!assign) throw new ShellSyntaxError(line, '`export` takes exactly one NAME=value');
    return { kind: 'assign', ...assign, exported: true };
  }
  const assign = assignment(first!);
  if (assign) {
    if (words.length > 1 || rest.length > 0) throw new ShellSyntaxError(line, 'an assignment before a command (NAME=value cmd) is not supported');
    return { kind: 'assign', ...assign, exported: false };
  }
  if (words.length === 1 && literal(first!) === '.') {
    if (rest.length !== 1) throw new ShellSyntaxError(line, '`.` takes exactly one file');
    unsplit([rest], line);
    return { kind: 'source', file: rest[0]! };
  }
  return { kind: 'pipeline', commands: unsplit(words, line) };
}

/**
 * A command word may expand only inside double quotes: unquoted, a shell splits the
 * value at spaces and globs it, which this reader does not do (assignments do not split).
 */
function unsplit(commands: Pipeline, line: string): Pipeline {
  for (const word of commands.flat()) {
    if (word.some((p) => !p.quoted && !('text' in p))) throw new ShellSyntaxError(line, 'an unquoted expansion in a command word (a shell would split it)');
  }
  return commands;
}

/** The word's text when it is one unquoted literal, as a keyword must be. */
function literal(word: Word): string | undefined {
  const [only] = word;
  return word.length === 1 && !only!.quoted && 'text' in only! ? only.text : undefined;
}

function assignment(word: Word): { name: string; value: Word } | undefined {
  const [head, ...tail] = word;
  if (!head || head.quoted || !('text' in head)) return undefined;
  const name = NAME.exec(head.text)?.[0];
  if (!name || head.text[name.length] !== '=') return undefined;
  const rest = head.text.slice(name.length + 1);
  return { name, value: rest ? [{ quoted: false, text: rest }, ...tail] : tail };
}

/** Reads words, pipes and expansions from `src`, which is `line` or a `$(…)` inside it. */
class Lexer {
  private i = 0;
  constructor(private readonly src: string, private readonly line: string) {}

  pipeline(): Pipeline {
    const commands: Pipeline = [[]];
    for (;;) {
      while (this.src[this.i] === ' ' || this.src[this.i] === '\t') this.i++;
      const c = this.src[this.i];
      if (c === undefined || c === '#') break;
      if (c === '|') {
        if (this.src[this.i + 1] === '|' || commands.at(-1)!.length === 0) this.fail('`||` or an empty pipe stage');
        this.i++;
        commands.push([]);
        continue;
      }
      commands.at(-1)!.push(this.word());
    }
    if (commands.at(-1)!.length === 0 && commands.length > 1) this.fail('a pipe with nothing after it');
    return commands[0]!.length === 0 ? [] : commands;
  }

  private word(): Word {
    const parts: Word = [];
    for (let c = this.src[this.i]; c !== undefined && c !== ' ' && c !== '\t' && c !== '|'; c = this.src[this.i]) {
      if (c === "'") {
        const end = this.src.indexOf("'", this.i + 1);
        if (end < 0) this.fail('an unterminated single quote');
        parts.push({ quoted: true, text: this.src.slice(this.i + 1, end) });
        this.i = end + 1;
      } else if (c === '"') {
        this.i++;
        this.doubleQuoted(parts);
      } else if (c === '$') {
        parts.push(this.expansion(false));
      } else if (UNSUPPORTED.has(c)) {
        this.fail(`an unquoted \`${c}\``);
      } else {
        parts.push({ quoted: false, text: c });
        this.i++;
      }
    }
    return merge(parts);
  }

  private doubleQuoted(parts: Word): void {
    for (let c = this.src[this.i]; c !== '"'; c = this.src[this.i]) {
      if (c === undefined) this.fail('an unterminated double quote');
      if (c === '\\' || c === '`') this.fail(`a \`${c}\` inside double quotes`);
      if (c === '$') parts.push(this.expansion(true));
      else {
        parts.push({ quoted: true, text: c });
        this.i++;
      }
    }
    this.i++;
  }

  private expansion(quoted: boolean): Part {
    const rest = this.src.slice(this.i + 1);
    if (rest.startsWith('(')) {
      const end = this.closingParen(this.i + 2);
      const inner = unsplit(new Lexer(this.src.slice(this.i + 2, end), this.line).pipeline(), this.line);
      if (inner.length === 0) this.fail('an empty `$()`');
      this.i = end + 1;
      return { quoted, command: inner };
    }
    const braced = /^\{([A-Za-z_]\w*)(?::-([^}$'"`\\]*))?\}/.exec(rest);
    const bare = NAME.exec(rest);
    const m = braced ?? bare;
    if (!m) this.fail('a `$` that is not $NAME, ${NAME}, ${NAME:-default} or $(…)');
    this.i += 1 + m[0].length;
    const variable = braced ? braced[1]! : m[0];
    return braced?.[2] !== undefined ? { quoted, variable, fallback: braced[2] } : { quoted, variable };
  }

  /** The index of the `)` closing a `$(` whose body starts at `from`, skipping quoted text. */
  private closingParen(from: number): number {
    let depth = 1;
    for (let j = from; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === "'" || c === '"') {
        const end = this.src.indexOf(c, j + 1);
        if (end < 0) break;
        j = end;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j;
    }
    return this.fail('an unterminated `$(`');
  }

  private fail(reason: string): never {
    throw new ShellSyntaxError(this.line, reason);
  }
}

/** Joins neighbouring letters of the same quoting into one text part. */
function merge(parts: Word): Word {
  const out: Word = [];
  for (const p of parts) {
    const last = out.at(-1);
    if (last && 'text' in last && 'text' in p && last.quoted === p.quoted) out[out.length - 1] = { quoted: p.quoted, text: last.text + p.text };
    else out.push(p);
  }
  return out;
}
