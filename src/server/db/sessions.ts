import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { StaffRole } from './schema.js';
import type { Database } from './connect.js';

// Staff sessions live in the database so any instance accepts them. Only a hash of
// the bearer token is stored: a database dump does not let anyone log in, and the
// token is found by an index lookup on its hash, never by comparing secrets in code.

export interface StaffPrincipal {
  id: string;
  agencyId: string;
  roles: StaffRole[];
  sessionId: string;
}

export interface SessionLimits { idleSeconds: number; maxSeconds: number }

export function hashToken(token: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`tipline/v1/session\0${token}`).digest());
}

export async function createSession(
  db: Database,
  staffId: string,
  limits: SessionLimits,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + limits.maxSeconds * 1000);
  const sessionId = randomUUID();
  await db
    .insertInto('staff_sessions')
    .values({ token_hash: hashToken(token), id: sessionId, staff_id: staffId, created_at: now, last_seen_at: now, expires_at: expiresAt })
    .execute();
  return { token, sessionId, expiresAt };
}

/**
 * The principal behind a bearer token, or null. Fails closed: a deactivated staff
 * member, an idle or expired session all give null, checked on every request so a
 * deactivation takes effect at once on every instance.
 */
export async function resolveSession(db: Database, token: string, limits: SessionLimits): Promise<StaffPrincipal | null> {
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff as st', 'st.id', 's.staff_id')
    .select(['s.id as sessionId', 'st.id as staffId', 'st.agency_id', 'st.roles', 'st.status', 's.last_seen_at'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${limits.idleSeconds})`)
    .executeTakeFirst();
  if (!row || row.status !== 'active') return null;
  // Idle expiry needs minute precision, not a write on every request.
  if (Date.now() - new Date(row.last_seen_at).getTime() > 30_000) {
    await db.updateTable('staff_sessions').set({ last_seen_at: sql`now()` }).where('id', '=', row.sessionId).execute();
  }
  return { id: row.staffId, agencyId: row.agency_id, roles: row.roles, sessionId: row.sessionId };
}

export async function listSessions(db: Database, staffId: string) {
  const rows = await db
    .selectFrom('staff_sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at'])
    .where('staff_id', '=', staffId)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    sessionId: r.id,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
  }));
}

/** Ends one of the staff member's own sessions; false when it is not theirs. */
export async function revokeSession(db: Database, staffId: string, sessionId: string): Promise<boolean> {
  const res = await db.deleteFrom('staff_sessions').where('id', '=', sessionId).where('staff_id', '=', staffId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function revokeAllSessions(db: Database, staffId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
}

/** A single-use login challenge, valid for a minute. */
export async function issueChallenge(db: Database): Promise<Uint8Array> {
  const nonce = new Uint8Array(randomBytes(32));
  await db.deleteFrom('login_challenges').where('expires_at', '<', sql<Date>`now()`).execute();
  await db.insertInto('login_challenges').values({ nonce, expires_at: sql`now() + interval '60 seconds'` as never }).execute();
  return nonce;
}

/** Consumes a challenge: true once, for an unexpired nonce; a replay gets false. */
export async function consumeChallenge(db: Database, nonce: Uint8Array): Promise<boolean> {
  const res = await db
    .deleteFrom('login_challenges')
    .where('nonce', '=', nonce)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
