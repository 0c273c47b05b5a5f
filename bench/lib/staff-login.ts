import { fromBase64Url, loginMessage, signDetached, toBase64Url, type Backend } from '../../src/protocol/index.js';
import type { SeededStaff } from './seed.js';

// A staff session over plain HTTP, as the staff client does it: fetch a challenge,
// sign it with the staff member's Ed25519 key, exchange it for a bearer token.

export async function staffLogin(baseUrl: string, be: Backend, staff: SeededStaff): Promise<string> {
  const challenge = await post(baseUrl, '/v1/staff/challenge', {});
  const { nonce, origin } = challenge as { nonce: string; origin: string };
  const message = loginMessage(origin, fromBase64Url(nonce), staff.staffId);
  const signature = signDetached(be, 'login', message, staff.keys.signSecretKey);
  const session = await post(baseUrl, '/v1/staff/login', { staffId: staff.staffId, nonce, signature: toBase64Url(signature) });
  return (session as { token: string }).token;
}

async function post(baseUrl: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
