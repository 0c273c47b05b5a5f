/**
 * The one error type of the protocol. Its codes never say which check failed:
 * every failure to open or verify sealed data is `open_failed`, so a caller
 * (and anything it reports to) cannot be used as a decryption oracle.
 */
export type TiplineCryptoErrorCode =
  | 'open_failed'
  | 'receipt_invalid'
  | 'bundle_invalid'
  | 'bundle_rollback'
  | 'input_invalid';

const MESSAGES: Record<TiplineCryptoErrorCode, string> = {
  open_failed: 'sealed data could not be opened',
  receipt_invalid: 'receipt code is not valid',
  bundle_invalid: 'agency key bundle is not valid',
  bundle_rollback: 'agency key bundle is older than one already seen',
  input_invalid: 'input is not valid',
};

export class TiplineCryptoError extends Error {
  readonly code: TiplineCryptoErrorCode;

  constructor(code: TiplineCryptoErrorCode) {
    super(MESSAGES[code]);
    this.name = 'TiplineCryptoError';
    this.code = code;
  }
}

export function openFailed(): TiplineCryptoError {
  return new TiplineCryptoError('open_failed');
}

export function inputInvalid(): TiplineCryptoError {
  return new TiplineCryptoError('input_invalid');
}
