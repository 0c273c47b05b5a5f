import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { encryptKeyFile } from '../../src/protocol/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestAgency, type AgencyOptions, type FixtureAgency, type FixtureStaff } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// Staff at their terminals: a listening server, one agency, and `tipline …` run as a
// person runs it, with a key file and a passphrase. The server answers from this same
// process, so commands run in it too (in-process.ts) and the event loop keeps running.

export const PASSPHRASE = 'correct horse';

export interface CliRunResult { status: number; stdout: string; stderr: string }

export interface CliScene extends TestApp {
  /** The URL the server listens on; its public origin (app.config.origin) differs, and the client signs that. */
  server: string;
  agency: FixtureAgency;
  /** A folder removed when the test ends; TIPLINE_HOME is its `home`, shared by everyone in the scene. */
  dir: string;
  /** A staff member's key file under PASSPHRASE, written into `dir`. */
  keyFile(who: FixtureStaff, name: string): Promise<string>;
  /** `tipline <args>` as the holder of `key`. */
  tipline(key: string, ...args: string[]): Promise<CliRunResult>;
  /** The same, asserting it succeeded; answers its standard output. */
  ok(key: string, ...args: string[]): Promise<string>;
}

export async function cliScene(t: Test, agencyOptions: AgencyOptions, name: string): Promise<CliScene> {
  const testApp = await createTestApp(t);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
  const agency = await createTestAgency(testApp.database.db, agencyOptions);
  const dir = mkdtempSync(join(tmpdir(), `tipline-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = async (who: FixtureStaff, file: string) => {
    const path = join(dir, `${file}.json`);
    // Low Argon2id limits: this is a test, not a key someone keeps.
    writeFileSync(path, await encryptKeyFile(who.keys, PASSPHRASE, { staffId: who.id, label: 'staff' }, { opslimit: 1, memlimit: 8192 }));
    return path;
  };
  const tipline = async (key: string, ...args: string[]) => {
    const r = await tiplineCli(args, {
      DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_ORIGIN: testApp.config.origin,
      TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: key, TIPLINE_PASSPHRASE: PASSPHRASE,
    });
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = async (key: string, ...args: string[]) => {
    const r = await tipline(key, ...args);
    t.equal(r.status, 0, `${args.slice(0, 2).join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  return { ...testApp, server, agency, dir, keyFile, tipline, ok };
}
