import { z } from 'zod';

/**
 * Every failure that crosses a host boundary is one of these codes. The renderer turns the code
 * (and its params) into a sentence in the user's language, so messages here are for logs only.
 */
export const errorCodes = [
  'invalid_payload',
  'unknown_channel',
  'unsupported_in_host',
  'not_found',
  'already_exists',
  'project_corrupt',
  'project_too_new',
  'io_error',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const contractErrorSchema = z.object({
  code: z.enum(errorCodes),
  /** Developer-facing detail; the UI shows the localized text for `code`. */
  message: z.string(),
  /** Values the localized message interpolates (a field name, a path, a version). */
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});

export type ContractError = z.infer<typeof contractErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(
  code: ErrorCode,
  message: string,
  params: ContractError['params'] = {},
): { ok: false; error: ContractError } {
  return { ok: false, error: { code, message, params } };
}
