/**
 * The model recipe of a run (what an export writes as recipe.json): the run's fitted
 * preprocessing plus the Data step's fitted cleaning recipe. Validated in full here, on the
 * app's side; the standalone runtime only checks its shape.
 */
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { recipeSchema, type Recipe } from '../../contract/data';
import { apply, emptyRecipe } from '../data/recipe';
import { CoreError, isCoreError } from '../errors';
import { exists } from '../fs/exists';
import { readProjectFile } from '../projects/project-file';
import { preprocessingSchema } from '../training/prepare';
import { DATA_SNAPSHOT_FILE, readDataSnapshot } from '../training/project-data';
import { readPreprocessing } from '../training/run-setup';
import { readRun } from '../training/run-store';
import { checkModelRecipe } from './bundle-folder';
import { MODEL_RECIPE_FORMAT_VERSION, type ModelRecipe } from './preprocess';

export const modelRecipeSchema = z.object({
  formatVersion: z.literal(MODEL_RECIPE_FORMAT_VERSION),
  cleaning: recipeSchema,
  preprocessing: preprocessingSchema,
  decisionThreshold: z.number().min(0).max(1).optional(),
});

/** Where the cleaning recipe came from (see ExportResult.cleaningRecipeSource). */
export type CleaningRecipeSource = 'run' | 'project' | 'none';

/**
 * Validates a recipe.json: too new -> `bundle_too_new`, anything else wrong -> `bundle_corrupt`;
 * a cleaning step that was never fitted -> `recipe_not_fitted`.
 */
export function parseModelRecipe(raw: unknown): ModelRecipe {
  checkModelRecipe(raw);
  const parsed = modelRecipeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('bundle_corrupt', `recipe.json: ${issue?.path.join('.')} ${issue?.message}`, { reason: 'recipe' });
  }
  assertFitted(parsed.data.cleaning);
  return parsed.data as ModelRecipe;
}

/** Throws `recipe_not_fitted` when a step that learns from training rows holds no fitted values. */
export function assertFitted(cleaning: Recipe): void {
  apply(cleaning, [], { mode: 'predict' });
}

/** The project folder of a run at <project>/runs/<runId>, or null when it is not laid out so. */
export function projectDirOfRun(runDir: string): string | null {
  const runs = dirname(runDir);
  return basename(runs) === 'runs' ? dirname(runs) : null;
}

/**
 * The cleaning recipe for a run: the one it was trained with (runs/<id>/data.json, written when
 * the run starts), else the project's current Data step recipe, else none (rows were trained as
 * given, e.g. by a script).
 */
export async function readRunCleaningRecipe(runDir: string): Promise<{ cleaning: Recipe; source: CleaningRecipeSource }> {
  if (await exists(join(runDir, DATA_SNAPSHOT_FILE))) return { cleaning: (await readDataSnapshot(runDir)).recipe, source: 'run' };
  const projectDir = projectDirOfRun(runDir);
  if (projectDir) {
    try {
      const project = await readProjectFile(projectDir);
      if (project.data) return { cleaning: project.data.recipe, source: 'project' };
    } catch (error) {
      // No project around this run (a runs/ folder of its own): no cleaning to replay.
      if (!(isCoreError(error) && error.code === 'not_found')) throw error;
    }
  }
  return { cleaning: emptyRecipe(), source: 'none' };
}

/** The full model recipe of a run, checked: its preprocessing.json and its cleaning recipe. */
export async function readRunModelRecipe(runDir: string): Promise<{ recipe: ModelRecipe; cleaningSource: CleaningRecipeSource }> {
  const preprocessing = await readPreprocessing(runDir);
  const { cleaning, source } = await readRunCleaningRecipe(runDir);
  assertFitted(cleaning);
  const recipe: ModelRecipe = { formatVersion: MODEL_RECIPE_FORMAT_VERSION, cleaning, preprocessing };
  // The threshold tuned in the Evaluation step travels with the model (binary models only).
  const { decisionThreshold } = await readRun(runDir);
  if (preprocessing.outputKind === 'binary' && decisionThreshold !== undefined) recipe.decisionThreshold = decisionThreshold;
  return { recipe, cleaningSource: source };
}
