import { testServerUrl } from './db.js';
import { dropPostgresTemplate } from './templates.js';

// Runs once after the test files (package.json, tap.after): tests leave no database behind.
// The PGlite template is a file in the temporary directory, named by what made it, reused
// by the next run of the same code.

if (testServerUrl) await dropPostgresTemplate(testServerUrl);
