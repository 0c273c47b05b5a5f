import { bundleCli } from '../../src/build/cli-bundle.js';
import { makeBuiltConsole } from './built-console.js';
import { testServerUrl } from './db.js';
import { cliBundle } from './cli.js';
import { makePgliteTemplate, makePostgresTemplate } from './templates.js';

// Runs once before the test files (package.json, tap.before): the bundled command the CLI
// tests spawn, the staff console the browser tests serve, and the migrated database
// template every test database is cloned from.

await bundleCli(cliBundle);
await makeBuiltConsole();
if (testServerUrl) await makePostgresTemplate(testServerUrl);
else await makePgliteTemplate();
