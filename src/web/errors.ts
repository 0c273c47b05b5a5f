import { ApiClientError } from '../client/http.js';
import { SubmitRefusedError } from '../client/denouncer.js';
import { TiplineCryptoError } from '../protocol/index.js';
import type { MessageKey, Params } from './i18n/index.js';
import { UnverifiedChunkError } from './lazy.js';
import { WorkflowUnavailableError } from './workflow-client.js';

// Turns whatever went wrong into a sentence of the catalogue. Decryption failures keep
// the protocol's single code; the page never says which check failed. A key list older
// than one the page knows is told apart: it is local, an oracle to nobody, and what a
// server that rolled back its database looks like.

export function explain(err: unknown): { key: MessageKey; params?: Params } {
  if (err instanceof UnverifiedChunkError) return { key: 'error.chunk' };
  if (err instanceof SubmitRefusedError) {
    if (err.code === 'no_intake') return { key: 'error.noIntake' };
    if (err.code === 'agency_unknown') return { key: 'agency.required' };
    if (err.code === 'bundle_rollback') return { key: 'error.rollback' };
    if (err.code === 'pin_missing') return { key: 'agency.unpinnedRefused' };
    return { key: 'error.bundle' };
  }
  if (err instanceof TiplineCryptoError) {
    if (err.code === 'bundle_rollback') return { key: 'error.rollback' };
    if (err.code === 'bundle_invalid') return { key: 'error.bundle' };
    if (err.code === 'receipt_invalid') return { key: 'followup.typo' };
    return { key: 'error.generic', params: { code: err.code } };
  }
  if (err instanceof WorkflowUnavailableError) return { key: 'workflow.unavailable' };
  if (err instanceof ApiClientError) {
    if (err.status === 0) return { key: 'error.network' };
    if (err.code === 'illegal_transition') return { key: 'error.notAllowed' };
    if (err.status === 429 || err.status === 503) return { key: 'error.rateLimited' };
    if (err.status === 401 || err.status === 404) return { key: 'error.receiptUnknown' };
    return { key: 'error.generic', params: { code: err.code } };
  }
  const code = (err as { code?: unknown } | null)?.code;
  return { key: 'error.generic', params: { code: typeof code === 'string' ? code : 'unexpected' } };
}
