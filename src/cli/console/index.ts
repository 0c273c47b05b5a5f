import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { CliError } from '../common/output.js';
import { buildLocalConsole } from './local-server.js';

// `tipline console --server URL`: the staff console from this install, on 127.0.0.1.

interface ConsoleOptions { server: string; origin?: string; port: string; consoleDir?: string; open?: boolean }

/** dist/console beside the bundled CLI (dist/tipline.js), else under the working directory. */
function defaultConsoleDir(): string {
  const besideCli = fileURLToPath(new URL('./console/', import.meta.url));
  return existsSync(join(besideCli, 'index.html')) ? besideCli : 'dist/console';
}

function checkedUrl(text: string, what: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    return url.origin;
  } catch {
    throw new CliError(`${what} ${text} is not a URL such as https://tipline.example.gov.vn`);
  }
}

export function register(program: Command): void {
  program
    .command('console')
    .description("serve the staff console from this machine on 127.0.0.1; the code that decrypts never comes from the server (docs/CONSOLE.md)")
    .addOption(new Option('--server <url>', 'the tipline server to work with').env('TIPLINE_SERVER').makeOptionMandatory())
    .addOption(new Option('--origin <origin>', "the server's public origin, signed into logins (default: the origin of --server)").env('TIPLINE_ORIGIN'))
    .option('--port <port>', 'port on 127.0.0.1, 0 for any free one', '8765')
    .option('--console-dir <dir>', 'the built console (default: dist/console of this install)')
    .option('--open', 'open the console in the default browser (xdg-open)')
    .action(async (opts: ConsoleOptions) => {
      const server = checkedUrl(opts.server, '--server');
      const origin = opts.origin ? checkedUrl(opts.origin, '--origin') : server;
      const consoleDir = opts.consoleDir ?? defaultConsoleDir();
      if (!existsSync(join(consoleDir, 'index.html'))) throw new CliError(`no built console in ${consoleDir}: run \`npm run build\` first`);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port ${opts.port} is not a port number`);
      const app = await buildLocalConsole({ consoleDir, server, origin });
      // Only this machine: the console holds decrypted cases and the relay a session.
      await app.listen({ host: '127.0.0.1', port });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`;
      process.stdout.write(`staff console: ${url}\n  logins are signed for ${origin}; API calls go to ${server}; stop with Ctrl-C\n`);
      if (opts.open) spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
      const stop = () => { void app.close().then(() => process.exit(0)); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
