import type { ContractError, ErrorCode } from '../contract/errors';

/** A failure the user can act on. Hosts turn it into a typed contract error; the CLI into one line. */
export class CoreError extends Error {
  readonly code: ErrorCode;
  readonly params: ContractError['params'];

  constructor(code: ErrorCode, message: string, params: ContractError['params'] = {}) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    this.params = params;
  }
}

export function isCoreError(error: unknown): error is CoreError {
  return error instanceof CoreError;
}
