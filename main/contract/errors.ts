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
  // Data step (import, audit, recipe, split): the params name the file, row and column involved.
  'data_empty',
  'data_binary',
  'data_ragged',
  'data_no_columns',
  'data_one_class',
  'data_no_text_files',
  'data_unreadable',
  'data_encoding_unknown',
  'data_too_large',
  'data_bad_format',
  'data_unsupported_format',
  'data_column_not_found',
  'recipe_not_fitted',
  'cancelled',
  // Training (main/core/training, main/training): the data cannot train this model (too few rows…).
  'training_data_invalid',
  // A run was resumed with data other than the data it started with.
  'training_data_mismatch',
  // The chosen model does not serve the chosen task (a text model for a table…).
  'model_task_mismatch',
  // The run has no checkpoint, or its status does not allow resuming it.
  'run_not_resumable',
  // run.json or a saved model inside a run folder is damaged.
  'run_corrupt',
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
