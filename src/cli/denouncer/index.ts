import type { Command } from 'commander';
import { registerReceiptCommands } from './receipt-commands.js';
import { registerSubmit } from './submit.js';
import { registerTrust } from './trust.js';

// The denouncer's commands: `submit` seals and sends a report; the others follow it
// with the receipt (status, messages, reply, attach, download), plus `agencies` and
// `trust`, which pins an agency's fingerprint for `submit` to check.
export function register(program: Command): void {
  registerSubmit(program);
  registerReceiptCommands(program);
  registerTrust(program);
}
