import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerCases } from './cases.js';
import { registerDemo } from './demo.js';
import { registerIdentity } from './identity.js';
import { registerIntake } from './intake.js';
import { registerNotifications } from './notifications.js';
import { registerRecovery } from './recovery.js';
import { registerReshare } from './reshare.js';
import { registerRotation } from './rotation.js';
import { registerSetup } from './setup.js';

// The staff's side of `tipline`: keys, agency and people, login, cases, identity
// custody and its turnover, the recovery recipient, audit verification, one's
// notifications and the demo.
export function register(program: Command): void {
  registerSetup(program);
  registerRotation(program);
  registerCases(program);
  registerIntake(program);
  registerIdentity(program);
  registerReshare(program);
  registerRecovery(program);
  registerAudit(program);
  registerNotifications(program);
  registerDemo(program);
}
