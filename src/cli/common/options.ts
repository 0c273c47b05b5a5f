import { Option, type Command } from 'commander';

// Options every client command takes. The server URL can also come from
// TIPLINE_SERVER so scripts need not repeat it.

export interface ClientOptions { server: string; json?: boolean }

export function withClientOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--server <url>', 'tipline server URL').env('TIPLINE_SERVER').default('http://127.0.0.1:8080'))
    .option('--json', 'print machine-readable JSON');
}
