import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseLine, type Pipeline, type Statement, type Word } from './doc-shell.js';
import { tiplineCli, type CliRun } from './in-process.js';

// Runs what test/cli/doc-shell.ts parsed the way `bash -euo pipefail` would: the first
// line that fails stops the script, an unset variable is an error, a pipeline fails if
// any stage does. The function the document defines for the bundled command runs in this
// process; any other command (`cat`, `node -pe …`) is a real process, as in a shell.

export interface ShellRun { status: number; stdout: string; stderr: string }

/** A `$(…)` whose command failed: the line it is on fails with its status, as under `bash -e`. */
class SubstitutionFailed extends Error {
  constructor(readonly status: number) {
    super(`a command substitution exited ${status}`);
  }
}

export class DocShell {
  private readonly variables = new Map<string, string>();
  private readonly functions = new Set<string>();
  private stdout = '';
  private stderr = '';
  private readonly env: Record<string, string | undefined>;

  /**
   * `env` is what the shell exports on top of this process's environment (undefined
   * unsets a variable); `cwd` the directory every command runs in.
   */
  constructor(private readonly cwd: string, env: Record<string, string | undefined>) {
    this.env = { ...env };
  }

  /** Runs a script, every line parsed before the first runs; stdout and stderr are those of the whole script. */
  async run(script: string): Promise<ShellRun> {
    this.stdout = '';
    this.stderr = '';
    const status = await this.runLines(script);
    return { status, stdout: this.stdout, stderr: this.stderr };
  }

  /** One `tipline` command in this process, in the shell's directory and environment. */
  async tipline(args: string[]): Promise<CliRun> {
    const back = process.cwd();
    process.chdir(this.cwd);
    try {
      return await tiplineCli(args, this.env);
    } finally {
      process.chdir(back);
    }
  }

  private async runLines(script: string): Promise<number> {
    const lines = script.split('\n');
    const statements = lines.map(parseLine);
    for (const [n, statement] of statements.entries()) {
      if (!statement) continue;
      const status = await this.execute(statement).catch((e: unknown) => {
        if (e instanceof SubstitutionFailed) return e.status;
        throw e;
      });
      if (status !== 0) {
        this.stderr += `docs shell: exit ${status} at \`${lines[n]!.trim()}\`\n`;
        return status;
      }
    }
    return 0;
  }

  private async execute(statement: Statement): Promise<number> {
    switch (statement.kind) {
      case 'function':
        this.functions.add(statement.name);
        return 0;
      case 'assign':
        this.assign(statement.name, await this.expand(statement.value), statement.exported);
        return 0;
      case 'source':
        return this.runLines(readFileSync(resolve(this.cwd, await this.expand(statement.file)), 'utf8'));
      case 'pipeline': {
        const { status, stdout } = await this.pipeline(statement.commands);
        this.stdout += stdout;
        return status;
      }
    }
  }

  /** Each stage reads the one before it; the status is the last failing stage's (pipefail). */
  private async pipeline(commands: Pipeline): Promise<{ status: number; stdout: string }> {
    let input: string | undefined;
    let status = 0;
    for (const words of commands) {
      const argv: string[] = [];
      for (const word of words) argv.push(await this.expand(word));
      const r = await this.command(argv, input);
      this.stderr += r.stderr;
      if (r.code !== 0) status = r.code;
      input = r.stdout;
    }
    return { status, stdout: input ?? '' };
  }

  private async command([name, ...args]: string[], input: string | undefined): Promise<CliRun> {
    if (this.functions.has(name!)) {
      // The in-process command reads no stdin; the document never pipes into it.
      if (input !== undefined) throw new Error(`docs shell: \`${name}\` cannot read a pipe in process`);
      return this.tipline(args);
    }
    const r = spawnSync(name!, args, { cwd: this.cwd, env: this.processEnv(), input: input ?? '', encoding: 'utf8', timeout: 120_000 });
    if (r.error) return { code: 127, stdout: '', stderr: `${name}: ${r.error.message}\n` };
    return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  }

  private async expand(word: Word): Promise<string> {
    let out = '';
    for (const part of word) {
      if ('text' in part) out += part.text;
      else if ('variable' in part) out += this.value(part.variable, part.fallback);
      else {
        const { status, stdout } = await this.pipeline(part.command);
        if (status !== 0) throw new SubstitutionFailed(status);
        out += stdout.replace(/\n+$/, '');
      }
    }
    return out;
  }

  /** `$NAME` under `set -u`, or `${NAME:-fallback}` (taken when unset or empty). */
  private value(name: string, fallback: string | undefined): string {
    const v = this.variables.has(name) ? this.variables.get(name) : name in this.env ? this.env[name] : process.env[name];
    if (fallback !== undefined) return v || fallback;
    if (v === undefined) throw new Error(`docs shell: ${name} is not set (set -u)`);
    return v;
  }

  /** A variable already exported stays exported, as in a shell. */
  private assign(name: string, value: string, exported: boolean): void {
    const inherited = name in this.env ? this.env[name] !== undefined : name in process.env;
    if (exported || (inherited && !this.variables.has(name))) {
      this.variables.delete(name);
      this.env[name] = value;
    } else this.variables.set(name, value);
  }

  private processEnv(): Record<string, string> {
    const merged = { ...process.env, ...this.env };
    return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
  }
}
