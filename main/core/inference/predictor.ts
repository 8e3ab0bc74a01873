/**
 * A model ready to answer, whatever it came from: a training run (model/ + preprocessing.json +
 * the cleaning recipe) or an exported `.mpmodel`. The compute worker keeps these; tests and the
 * CLI use them in-process. tfjs is passed in, so the caller decides the backend.
 */
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { Row } from '../../contract/data';
import type { InputSchema, ModelSource, PredictResponse } from '../../contract/export';
import type { TaskId } from '../../contract/training';
import { readBundle, loadBundleModel } from '../export/bundle-reader';
import { CoreError } from '../errors';
import { loadModelFromDir } from '../training/io-handlers';
import { hasSavedModel, MODEL_DIR, readRun } from '../training/run-store';
import type { Tfjs } from './model-files';
import { readRunModelRecipe } from './model-recipe';
import { predictRows } from './predict-core';
import { inputSchemaOf, missingInputColumns, type EncodeOptions, type ModelRecipe } from './preprocess';

export interface LoadedModel {
  source: ModelSource;
  /** The project's or file's name for the model, else the run id. */
  name: string;
  task: TaskId;
  modelId: string;
  recipe: ModelRecipe;
  input: InputSchema;
  model: TF.LayersModel;
}

/** Loads a run's kept model with its recipe; `run_has_no_model` when training kept none. */
export async function loadRunModel(_tf: Tfjs, runDir: string): Promise<LoadedModel> {
  const run = await readRun(runDir);
  if (!run.hasModel || !(await hasSavedModel(join(runDir, MODEL_DIR)))) {
    throw new CoreError('run_has_no_model', `run ${run.runId} has no saved model`, { runId: run.runId });
  }
  const { recipe } = await readRunModelRecipe(runDir);
  // The training engine's own loader (the app's tfjs; it recovers a folder swap cut short by a crash).
  const model = await loadModelFromDir(join(runDir, MODEL_DIR));
  return { source: { kind: 'run', runDir }, name: run.runId, task: run.config.task, modelId: run.config.modelId, recipe, input: inputSchemaOf(recipe.preprocessing), model };
}

/** Loads and checks an exported `.mpmodel`. */
export async function loadBundleFile(tf: Tfjs, path: string): Promise<LoadedModel> {
  const contents = await readBundle(path);
  const model = await loadBundleModel(tf, contents);
  const { manifest, recipe } = contents;
  return { source: { kind: 'bundle', path }, name: manifest.name, task: manifest.task, modelId: manifest.modelId, recipe, input: inputSchemaOf(recipe.preprocessing), model };
}

/** Loads a model from either kind of source. */
export function loadModelSource(tf: Tfjs, source: ModelSource): Promise<LoadedModel> {
  return source.kind === 'run' ? loadRunModel(tf, source.runDir) : loadBundleFile(tf, source.path);
}

/**
 * Refuses rows that cannot be what the model reads: `predict_input_invalid` naming the first
 * input column that no row has.
 */
export function assertRowsFit(loaded: Pick<LoadedModel, 'recipe'>, rows: readonly Row[]): void {
  const missing = missingInputColumns(loaded.recipe, rows);
  if (missing.length > 0) {
    throw new CoreError('predict_input_invalid', `the rows have no column "${missing[0]}" (the model reads ${inputSchemaOf(loaded.recipe.preprocessing).columns.map((c) => `"${c.name}"`).join(', ')})`, {
      column: missing[0],
    });
  }
}

/** Predicts rows with a loaded model (raw rows, unless `cleaned`). */
export async function predictLoaded(tf: Tfjs, loaded: LoadedModel, rows: readonly Row[], options: EncodeOptions = {}): Promise<PredictResponse> {
  assertRowsFit(loaded, rows);
  const predictions = await predictRows(tf, loaded.model, loaded.recipe, rows, options);
  return { outputKind: loaded.recipe.preprocessing.outputKind, labels: loaded.recipe.preprocessing.labels, predictions };
}

/** Rows for a text model from bare texts: the text goes into its (first) text column. */
export function rowsFromTexts(input: InputSchema, texts: readonly string[]): Row[] {
  const column = input.columns.find((c) => c.type === 'text');
  if (!column) throw new CoreError('predict_input_invalid', 'this model reads table columns, not a text: give rows', { reason: 'not_text_model' });
  return texts.map((text) => ({ [column.name]: text }));
}
