/**
 * Opens an unzipped model bundle (or an exported TF.js folder) from disk: manifest, recipe and
 * model. This is what the bundle's own examples/predict.mjs runs, through the standalone
 * runtime; the app opens `.mpmodel` zips with core/export/bundle-reader.ts and validates more.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { BundleManifest } from '../../contract/export';
import { checkManifest, MANIFEST_FILE, MODEL_FOLDER, parseBundleJson, RECIPE_FILE } from '../export/bundle-layout';
import { CoreError } from '../errors';
import { loadLayersModelFromFiles, MODEL_JSON_FILE, type Tfjs } from './model-files';
import { MODEL_RECIPE_FORMAT_VERSION, type ModelRecipe } from './preprocess';

export interface OpenedBundle {
  manifest: BundleManifest;
  recipe: ModelRecipe;
  model: TF.LayersModel;
}

/**
 * The checks a recipe.json must pass before rows go through it (the app checks every field
 * with the full schema as well). A newer recipe format is `bundle_too_new`.
 */
export function checkModelRecipe(raw: unknown): ModelRecipe {
  const recipe = raw as Partial<ModelRecipe> | null;
  if (recipe && typeof recipe === 'object' && typeof recipe.formatVersion === 'number' && recipe.formatVersion > MODEL_RECIPE_FORMAT_VERSION) {
    throw new CoreError('bundle_too_new', `${RECIPE_FILE} has format ${recipe.formatVersion}; this version reads up to ${MODEL_RECIPE_FORMAT_VERSION}`, {
      version: recipe.formatVersion,
      supported: MODEL_RECIPE_FORMAT_VERSION,
    });
  }
  const pre = recipe?.preprocessing;
  const ok =
    recipe?.formatVersion === MODEL_RECIPE_FORMAT_VERSION &&
    Array.isArray(recipe.cleaning?.steps) &&
    pre != null &&
    Array.isArray(pre.labels) &&
    (pre.kind === 'text' ? Array.isArray(pre.textColumns) && Array.isArray(pre.tokenizer?.vocabulary) : pre.kind === 'tabular' && Array.isArray(pre.features?.columns)) &&
    (recipe.decisionThreshold === undefined || (typeof recipe.decisionThreshold === 'number' && recipe.decisionThreshold >= 0 && recipe.decisionThreshold <= 1));
  if (!ok) throw new CoreError('bundle_corrupt', `${RECIPE_FILE} is not a ModelPilot recipe`, { reason: 'recipe' });
  return recipe as ModelRecipe;
}

async function readText(dir: string, file: string, missing: () => CoreError): Promise<string> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing();
    throw error;
  }
}

/**
 * Loads manifest.json, recipe.json and the model from an unzipped bundle folder (model in
 * model/) or an exported TF.js folder (model.json beside the manifest).
 */
export async function loadBundleFolder(tf: Tfjs, dir: string): Promise<OpenedBundle> {
  const manifest = checkManifest(parseBundleJson(MANIFEST_FILE, await readText(dir, MANIFEST_FILE, () => new CoreError('bundle_corrupt', `no ${MANIFEST_FILE} in ${dir}`, { reason: 'manifest' }))));
  const recipe = checkModelRecipe(parseBundleJson(RECIPE_FILE, await readText(dir, RECIPE_FILE, () => new CoreError('bundle_missing_recipe', `no ${RECIPE_FILE} in ${dir}`, {}))));
  // A TF.js folder export lists model.json at its root; a bundle keeps it in model/.
  const modelDir = MODEL_JSON_FILE in manifest.files ? dir : join(dir, MODEL_FOLDER);
  const modelJson = await readText(modelDir, MODEL_JSON_FILE, () => new CoreError('bundle_corrupt', `no ${MODEL_JSON_FILE} in ${modelDir}`, { reason: 'model' }));
  const model = await loadLayersModelFromFiles(tf, modelJson, async (name) => {
    try {
      return new Uint8Array(await readFile(join(modelDir, name)));
    } catch (error) {
      throw new CoreError('bundle_corrupt', `cannot read ${MODEL_FOLDER}/${name}: ${(error as Error).message}`, { reason: 'model' });
    }
  });
  return { manifest, recipe, model };
}
