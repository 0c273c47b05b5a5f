import { createHash, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { connectDatabase } from '../src/server/db/connect.js';

// The machine's ceiling for tipline's two hottest anonymous routes: a bare Fastify
// app (no plugins, no validation, no logging) on the same database driver and pool,
// doing exactly one query per request. tipline's figures are reported as a share of
// these. Run by bench/lib/server.ts as a child process; configured by environment.

const databaseUrl = process.env['DATABASE_URL'];
const db = await connectDatabase({ databaseUrl, dataDir: process.env['TIPLINE_DATA_DIR'] ?? 'memory://' });
await sql`create table if not exists ceiling_cases (
  id uuid primary key,
  verifier bytea not null unique,
  body bytea not null,
  received_on date not null default current_date
)`.execute(db);

const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });

const verifierOf = (authKey: string) => createHash('sha256').update(Buffer.from(authKey, 'base64url')).digest();

// One INSERT of the same bytes tipline receives for a submission. The bench sends the
// auth key beside the body so both apps index the same kind of 32-byte verifier.
app.post('/ceiling/cases', async (req, reply) => {
  const authKey = String(req.headers['x-auth-key'] ?? '');
  const body = Buffer.from(JSON.stringify(req.body));
  await sql`insert into ceiling_cases (id, verifier, body) values (${randomUUID()}, ${verifierOf(authKey)}, ${body})`.execute(db);
  return reply.code(201).send({ ok: true });
});

// One indexed SELECT by the verifier derived from the Authorization header.
app.get('/ceiling/case', async (req, reply) => {
  const authKey = String(req.headers.authorization ?? '').replace(/^Receipt /, '');
  const { rows } = await sql<{ id: string; received_on: string }>`
    select id, received_on from ceiling_cases where verifier = ${verifierOf(authKey)}`.execute(db);
  const row = rows[0];
  if (!row) return reply.code(404).send({ error: 'not_found' });
  return { id: row.id, receivedOn: row.received_on };
});

app.addHook('onClose', async () => db.destroy());
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT'] ?? 0) });
process.stderr.write(`ceiling listening on ${address}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
