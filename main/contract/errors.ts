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
  // A data edit (role, fix, split) on a project that has no data imported yet.
  'data_not_imported',
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
  // Export and model files (main/core/export, main/core/inference, main/core/serving).
  // The run has no saved model yet (training failed or was cancelled before the first epoch).
  'run_has_no_model',
  // A model file that is not a zip, is cut short, or whose contents fail their checksums.
  'bundle_corrupt',
  // A model file whose entries would be written outside the target folder (zip-slip).
  'bundle_unsafe_path',
  // A model file written by a newer ModelPilot (manifest format version too high).
  'bundle_too_new',
  // A model file without its recipe.json (the preprocessing it needs).
  'bundle_missing_recipe',
  // Rows to predict that do not fit the model's inputs (a missing column, text for a table model).
  'predict_input_invalid',
  // The local prediction API's port is taken by another program.
  'serving_port_in_use',
  // The standalone prediction runtime for examples/ is neither prebuilt nor buildable here.
  'predict_runtime_missing',
  // Evaluation: no row of the test split has an answer to score against (the split kept none).
  'evaluation_no_test_rows',
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
