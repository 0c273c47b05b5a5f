import type { Command } from 'commander';
import { registerHistory } from './history.js';
import { registerHolidays } from './holidays.js';
import { registerNotifyDenounced } from './notify-denounced.js';
import { registerProposals } from './proposals.js';
import { registerProtection } from './protection.js';
import { registerPublications } from './publications.js';
import { registerDeadlines, registerReport } from './reports.js';
import { registerTransition } from './transition.js';

// The statutory workflow from the command line: `tipline case transition | history |
// propose | proposals | decline`,
// `tipline protection list | decide`, `tipline deadlines`, `tipline report`,
// `tipline holidays list | add | remove | not-observed`, `tipline case publish`,
// `tipline publications list | withdraw`.
// Decisions are sealed on this machine with the key file (src/client/staff-workflow.ts).
export function register(program: Command): void {
  registerTransition(program);
  registerNotifyDenounced(program);
  registerHistory(program);
  registerProposals(program);
  registerDeadlines(program);
  registerReport(program);
  registerProtection(program);
  registerHolidays(program);
  registerPublications(program);
}
