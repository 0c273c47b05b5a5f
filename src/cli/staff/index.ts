import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerCases } from './cases.js';
import { registerDemo } from './demo.js';
import { registerIdentity } from './identity.js';
import { registerIntake } from './intake.js';
import { registerRecovery } from './recovery.js';
import { registerSetup } from './setup.js';

// The staff's side of `tipline`: keys, agency and people, login, cases, identity
// custody, the recovery recipient, audit verification and the demo.
export function register(program: Command): void {
  registerSetup(program);
  registerCases(program);
  registerIntake(program);
  registerIdentity(program);
  registerRecovery(program);
  registerAudit(program);
  registerDemo(program);
}
