import { runTipline } from '../../src/cli/program.js';

// `tipline` commands run in this process, through the same program as src/cli/main.ts,
// with stdout and stderr captured and the environment the command should see: a child
// process per command costs a second or more on a loaded machine, and these tests run
// many. Commands run one at a time (each awaits the last), so setting process.env for
// the duration of one is safe.

export interface CliRun { code: number; stdout: string; stderr: string }

export async function tiplineCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const [writeOut, writeErr] = [stdout.write, stderr.write];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  stdout.write = ((chunk: unknown) => out.push(String(chunk)) > 0) as typeof stdout.write;
  stderr.write = ((chunk: unknown) => err.push(String(chunk)) > 0) as typeof stderr.write;
  set(env);
  try {
    const code = await runTipline(args, 'user');
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    set(saved);
    stdout.write = writeOut;
    stderr.write = writeErr;
  }
}
