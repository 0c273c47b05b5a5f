import { dropBuiltConsole } from './built-console.js';
import { testServerUrl } from './db.js';
import { dropPgliteTemplate, dropPostgresTemplate } from './templates.js';

// Runs once after the test files (package.json, tap.after): the run's template and built
// console go with it, so tests leave no database and no file behind.

if (testServerUrl) await dropPostgresTemplate(testServerUrl);
else dropPgliteTemplate();
dropBuiltConsole();
