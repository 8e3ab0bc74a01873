/**
 * Where things are inside an exported model (the `.mpmodel` zip, unzipped or not) and the check
 * every reader applies to its manifest first. Shared by the app and the standalone runtime
 * shipped in the bundle, so both refuse the same files with the same words.
 */
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, bundleManifestSchema, type BundleManifest } from '../../contract/export';
import { CoreError } from '../errors';

export const MANIFEST_FILE = 'manifest.json';
export const RECIPE_FILE = 'recipe.json';
export const MODEL_FOLDER = 'model';
export const MODEL_CARD_MD = 'model-card.md';
export const MODEL_CARD_HTML = 'model-card.html';
export const README_FILE = 'README.md';
export const PACKAGE_FILE = 'package.json';
export const PREDICT_SCRIPT = 'examples/predict.mjs';
export const RUNTIME_FILE = 'examples/modelpilot-runtime.mjs';
export const CURL_EXAMPLE = 'examples/curl.txt';
export const SAMPLE_INPUT = 'examples/sample-input.csv';

/**
 * Validates a parsed manifest.json: a newer format is `bundle_too_new` (with the versions, so
 * the message can say "update"), anything that is not our manifest is `bundle_corrupt`.
 */
export function checkManifest(raw: unknown): BundleManifest {
  const value = raw as { format?: unknown; formatVersion?: unknown } | null;
  if (!value || typeof value !== 'object' || value.format !== BUNDLE_FORMAT) {
    throw new CoreError('bundle_corrupt', `${MANIFEST_FILE} is not a ModelPilot model manifest`, { reason: 'manifest' });
  }
  if (typeof value.formatVersion === 'number' && value.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new CoreError('bundle_too_new', `the model file has format ${value.formatVersion}; this version reads up to ${BUNDLE_FORMAT_VERSION}`, {
      version: value.formatVersion,
      supported: BUNDLE_FORMAT_VERSION,
    });
  }
  const parsed = bundleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('bundle_corrupt', `${MANIFEST_FILE}: ${issue?.path.join('.')} ${issue?.message}`, { reason: 'manifest' });
  }
  return parsed.data;
}

/** Parses JSON text of a bundle file; `bundle_corrupt` naming the file when it is not JSON. */
export function parseBundleJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CoreError('bundle_corrupt', `${file} is not JSON: ${(error as Error).message}`, { reason: 'json', path: file });
  }
}
