import { ApiClientError } from '../../client/http.js';
import { StaffTrustError } from '../../client/staff-trust.js';
import { TiplineCryptoError } from '../../protocol/index.js';
import { CliError } from '../common/output.js';

/** Wraps an action so server and crypto refusals print as one clear line. */
export function run<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof StaffTrustError) throw new CliError(`${err.message} (${err.code})`);
      if (err instanceof ApiClientError) throw new CliError(`${err.message} (${err.code})`);
      if (err instanceof TiplineCryptoError) throw new CliError(`cryptographic check failed (${err.code}); nothing was opened`);
      throw err;
    }
  };
}
