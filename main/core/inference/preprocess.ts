/**
 * The one implementation of "raw row -> model input" and "model output -> answer" for
 * predictions. The app's inference imports it, and the exported model file ships a bundled copy
 * of this very module (examples/modelpilot-runtime.mjs, built by esbuild from these sources), so
 * a prediction from the file equals a prediction in the app. Pure: no tfjs, no file system, no
 * Node-only API, only the data core's recipe, the tokenizer and the table encoder.
 */
import type { Recipe, Row } from '../../contract/data';
import type { InputColumn, InputSchema, Prediction } from '../../contract/export';
import { cellText, isMissing } from '../data/cells';
import { apply } from '../data/recipe';
import { CoreError } from '../errors';
import { TokenEncoder } from '../text/tokenizer';
import { encodeTabular } from '../training/tabular-features';
import type { Preprocessing } from '../training/prepare';

/** recipe.json of an exported model: format version of this file. */
export const MODEL_RECIPE_FORMAT_VERSION = 1;

/**
 * Everything that turns a raw row into model input and the output back into an answer: the
 * fitted cleaning recipe of the Data step (replayed in predict mode), and the run's fitted
 * preprocessing (tokenizer or table encoding, label map, regression target scale).
 */
export interface ModelRecipe {
  formatVersion: typeof MODEL_RECIPE_FORMAT_VERSION;
  cleaning: Recipe;
  preprocessing: Preprocessing;
  /**
   * Binary models only: the positive (second) label is answered when its probability is above
   * this (the Evaluation step's threshold slider). Absent: 0.5, the more probable label.
   */
  decisionThreshold?: number;
}

/** The decision threshold of a binary model that nobody tuned. */
export const DEFAULT_DECISION_THRESHOLD = 0.5;

/**
 * The one decision rule of a binary model: the positive (second) label when its probability is
 * above the threshold. At 0.5 this is "the more probable label, ties to the first".
 */
export function isPositive(probability: number, threshold: number = DEFAULT_DECISION_THRESHOLD): boolean {
  return probability > threshold;
}

/** Model input for a batch of rows: row-major [rows × width]. */
export interface EncodedInputs {
  dtype: 'int32' | 'float32';
  data: Int32Array | Float32Array;
  rows: number;
  width: number;
}

/**
 * The text a text model reads from a row: its text columns joined by a newline, missing cells
 * as empty text. Training (core/training/prepare.ts) builds the same string.
 */
export function textOfRow(row: Row, textColumns: readonly string[]): string {
  return textColumns.map((c) => (isMissing(row[c]) ? '' : cellText(row[c]))).join('\n');
}

/** The columns a caller must supply, in the model's terms. */
export function inputSchemaOf(preprocessing: Preprocessing): InputSchema {
  if (preprocessing.kind === 'text') {
    return { kind: 'text', columns: preprocessing.textColumns.map((name): InputColumn => ({ name, type: 'text' })) };
  }
  return {
    kind: 'tabular',
    columns: preprocessing.features.columns.map((c): InputColumn => (c.kind === 'numeric' ? { name: c.name, type: 'numeric' } : { name: c.name, type: 'categorical', categories: c.categories })),
  };
}

/**
 * Input columns none of the rows has (not even as an empty cell). A row may leave a value out,
 * but a column absent from every row is almost always a misspelt header.
 */
export function missingInputColumns(recipe: ModelRecipe, rows: readonly Row[]): string[] {
  const names = inputSchemaOf(recipe.preprocessing).columns.map((c) => c.name);
  return names.filter((name) => !rows.some((row) => Object.prototype.hasOwnProperty.call(row, name)));
}

/** Replays the cleaning recipe in predict mode (row filters skipped: every row gets an answer). */
export function cleanRows(recipe: ModelRecipe, rows: readonly Row[]): Row[] {
  return apply(recipe.cleaning, rows as Row[], { mode: 'predict' });
}

/** How rows reach the model. */
export interface EncodeOptions {
  /**
   * The rows already went through the cleaning recipe (the Data step's prepared test split):
   * replaying it would apply steps such as normalization twice.
   */
  cleaned?: boolean;
}

/** Cleans (unless already cleaned) and encodes rows exactly as training encoded its rows. */
export function encodeRows(recipe: ModelRecipe, rows: readonly Row[], options: EncodeOptions = {}): EncodedInputs {
  const cleaned = options.cleaned ? (rows as Row[]) : cleanRows(recipe, rows);
  const pre = recipe.preprocessing;
  if (pre.kind === 'text') {
    const encoder = new TokenEncoder(pre.tokenizer);
    const data = encoder.encodeAll(cleaned.map((row) => textOfRow(row, pre.textColumns)));
    return { dtype: 'int32', data, rows: cleaned.length, width: encoder.sequenceLength };
  }
  return { dtype: 'float32', data: encodeTabular(pre.features, cleaned), rows: cleaned.length, width: pre.features.width };
}

/** Output values per row the model produces: 1 for binary and regression, one per class otherwise. */
export function outputWidth(preprocessing: Preprocessing): number {
  return preprocessing.outputKind === 'multiclass' ? preprocessing.labels.length : 1;
}

/**
 * Turns the model's raw outputs (row-major [rows × outputWidth]) into answers: the label with
 * the highest probability (ties: the first label) and its probability, or the regression value
 * in the target's own units. A binary model answers by `isPositive` at `decisionThreshold`.
 */
export function decodeOutputs(preprocessing: Preprocessing, values: ArrayLike<number>, rows: number, decisionThreshold?: number): Prediction[] {
  const width = outputWidth(preprocessing);
  if (values.length !== rows * width) {
    throw new CoreError('internal', `the model gave ${values.length} values for ${rows} rows of width ${width}`, {});
  }
  const out: Prediction[] = [];
  for (let r = 0; r < rows; r++) {
    if (preprocessing.outputKind === 'regression') {
      const target = preprocessing.target ?? { mean: 0, std: 1 };
      out.push({ prediction: values[r] * target.std + target.mean, confidence: null, probabilities: null });
      continue;
    }
    if (preprocessing.outputKind === 'binary') {
      // One sigmoid output: the positive (second) label's probability.
      const probabilities = [1 - values[r], values[r]];
      const best = isPositive(values[r], decisionThreshold) ? 1 : 0;
      out.push({ prediction: preprocessing.labels[best], confidence: probabilities[best], probabilities });
      continue;
    }
    const probabilities = Array.from({ length: width }, (_, k) => values[r * width + k]);
    let best = 0;
    for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k;
    out.push({ prediction: preprocessing.labels[best], confidence: probabilities[best], probabilities });
  }
  return out;
}
