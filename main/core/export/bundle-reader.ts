/**
 * Opens a `.mpmodel` file in the app: reads the zip (names checked, sizes capped), checks the
 * manifest (ours, not too new), the recipe (present, valid, fitted) and every file against the
 * manifest's sha-256, then builds the model from memory. Refuses with a CoreError the UI words:
 * `bundle_corrupt`, `bundle_unsafe_path`, `bundle_too_new`, `bundle_missing_recipe`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import type * as TF from '@tensorflow/tfjs';
import type { BundleManifest } from '../../contract/export';
import { CoreError } from '../errors';
import { loadLayersModelFromFiles, MODEL_JSON_FILE, type Tfjs } from '../inference/model-files';
import { parseModelRecipe } from '../inference/model-recipe';
import type { ModelRecipe } from '../inference/preprocess';
import { checkManifest, MANIFEST_FILE, MODEL_FOLDER, parseBundleJson, RECIPE_FILE } from './bundle-layout';
import { extractEntries, readZip, type ZipEntries } from './zip';

/** A checked bundle, still in memory. */
export interface BundleContents {
  manifest: BundleManifest;
  recipe: ModelRecipe;
  files: ZipEntries;
}

const text = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Checks the entries of a bundle (see module doc); throws before anything is used. */
export function checkBundleEntries(files: ZipEntries): BundleContents {
  const manifestBytes = files[MANIFEST_FILE];
  if (!manifestBytes) throw new CoreError('bundle_corrupt', `no ${MANIFEST_FILE}: not a ModelPilot model file`, { reason: 'manifest' });
  const manifest = checkManifest(parseBundleJson(MANIFEST_FILE, text(manifestBytes)));
  const recipeBytes = files[RECIPE_FILE];
  if (!recipeBytes) throw new CoreError('bundle_missing_recipe', `the model file has no ${RECIPE_FILE}`, {});
  for (const [name, expected] of Object.entries(manifest.files)) {
    const bytes = files[name];
    if (!bytes) throw new CoreError('bundle_corrupt', `the model file lacks ${name}`, { reason: 'missing_file', path: name });
    if (bytes.byteLength !== expected.bytes || sha256Hex(bytes) !== expected.sha256) {
      throw new CoreError('bundle_corrupt', `${name} does not match its checksum: the file was damaged or changed`, { reason: 'checksum', path: name });
    }
  }
  const recipe = parseModelRecipe(parseBundleJson(RECIPE_FILE, text(recipeBytes)));
  if (!files[`${MODEL_FOLDER}/${MODEL_JSON_FILE}`]) throw new CoreError('bundle_corrupt', `the model file has no ${MODEL_FOLDER}/${MODEL_JSON_FILE}`, { reason: 'model' });
  return { manifest, recipe, files };
}

/** Reads and checks a `.mpmodel` from disk. */
export async function readBundle(path: string): Promise<BundleContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CoreError('not_found', `no model file at ${path}`, { path });
    throw new CoreError('io_error', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
  return checkBundleEntries(readZip(bytes));
}

/** Builds the bundle's model (weights from memory) on the current tfjs backend. */
export async function loadBundleModel(tf: Tfjs, contents: BundleContents): Promise<TF.LayersModel> {
  const files = contents.files;
  return loadLayersModelFromFiles(tf, text(files[`${MODEL_FOLDER}/${MODEL_JSON_FILE}`]), async (name) => {
    const bytes = files[`${MODEL_FOLDER}/${name}`];
    if (!bytes) throw new CoreError('bundle_corrupt', `the model file lacks ${MODEL_FOLDER}/${name}`, { reason: 'missing_file', path: `${MODEL_FOLDER}/${name}` });
    return bytes;
  });
}

/**
 * Unzips a checked bundle into `targetDir`, which must not exist yet or be empty (so nothing of
 * the user's is overwritten). Nothing is written unless the whole bundle passes its checks; a
 * failure midway removes the folder again.
 */
export async function extractBundle(path: string, targetDir: string): Promise<{ manifest: BundleManifest; files: string[] }> {
  const contents = await readBundle(path);
  const existing = await readdir(targetDir).catch(() => null);
  if (existing && existing.length > 0) throw new CoreError('already_exists', `${targetDir} is not empty`, { path: targetDir });
  try {
    return { manifest: contents.manifest, files: await extractEntries(contents.files, targetDir) };
  } catch (error) {
    await rm(targetDir, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}
