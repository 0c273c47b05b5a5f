import { requiredSignature } from '../../protocol/audit-signed.js';
import { appendAudit, type AuditEntry } from './audit.js';
import type { Database } from './connect.js';

// The one way to write an audited staff action. The action and its audit row commit in
// one transaction or not at all, so a crash, a failed insert or a lost connection
// between them can never leave an action without its row (nor a row for an action
// that did not happen).

/** Runs `fn` in the caller's transaction when `db` is one, else in a new transaction. */
export function inTransaction<T>(db: Database, fn: (trx: Database) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** What an audited action returns: its result, and the entry recording it (null: it did nothing worth a row). */
export interface AuditedOutcome<T> { result: T; audit: AuditEntry | null }

/**
 * Runs `action` and appends the entry it returns in the same transaction. Database
 * functions the action calls take the transaction as their `db`. An action that must
 * carry a signature (requiredSignature) is refused without one, so the server cannot
 * write, through its own code, a row that a verifier would call a break.
 */
export function audited<T>(db: Database, action: (trx: Database) => Promise<AuditedOutcome<T>>): Promise<T> {
  return inTransaction(db, async (trx) => {
    const { result, audit } = await action(trx);
    if (audit) await append(trx, audit);
    return result;
  });
}

/**
 * An entry that is itself the only write (a read, a report). One statement is its own
 * transaction, so this needs no BEGIN/COMMIT round trips around it.
 */
export async function auditOnly(db: Database, entry: AuditEntry): Promise<void> {
  await append(db, entry);
}

async function append(db: Database, entry: AuditEntry): Promise<void> {
  if (requiredSignature(entry.action) && !entry.signed) throw new Error(`audit entry ${entry.action} must carry its signature`);
  await appendAudit(db, entry);
}
