import { AttachmentMismatchError } from '../client/attachment-download.js';
import { FileMismatchError } from '../client/files.js';
import { ApiClientError } from '../client/http.js';
import { StaffTrustError } from '../client/staff-trust.js';
import { TiplineCryptoError } from '../protocol/index.js';
import { t } from './i18n/index.js';

// One wording per kind of failure. A refusal by this console (a bundle, grant or
// signature that does not check out) is shown as such, with the SDK's explanation:
// it is what an attack by the server looks like, and staff must see it.

export function describeError(err: unknown): string {
  if (err instanceof StaffTrustError) return t('error.trust', { message: err.message });
  // A chunk that does not open, or a size or hash that does not match what was sealed.
  if (err instanceof FileMismatchError || err instanceof AttachmentMismatchError || err instanceof TiplineCryptoError) return t('error.file');
  if (err instanceof ApiClientError) {
    if (err.status === 0) return t('error.network');
    if (err.status === 403) return t('error.forbidden');
    return t('error.server', { code: err.code });
  }
  return t('error.server', { code: 'client' });
}
