/**
 * Rows in, answers out, for a loaded model: clean + encode (preprocess.ts), run the model in
 * fixed-size batches, decode. The app's predictions and the exported bundle's examples/predict.mjs
 * both call this, with their own tfjs passed in.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Row } from '../../contract/data';
import type { Prediction } from '../../contract/export';
import type { Tfjs } from './model-files';
import { decodeOutputs, encodeRows, outputWidth, type EncodedInputs, type EncodeOptions, type ModelRecipe } from './preprocess';

/**
 * Rows per model call. Fixed, so the app and the bundle feed the same batches (kernels may sum
 * in another order for another batch shape) and a large file never becomes one giant tensor.
 */
export const PREDICT_BATCH_ROWS = 256;

/** Runs the model on encoded inputs; returns the raw outputs, row-major [rows × outputWidth]. */
export async function runModel(tf: Tfjs, model: TF.LayersModel, inputs: EncodedInputs, width: number): Promise<Float32Array> {
  const out = new Float32Array(inputs.rows * width);
  for (let start = 0; start < inputs.rows; start += PREDICT_BATCH_ROWS) {
    const end = Math.min(inputs.rows, start + PREDICT_BATCH_ROWS);
    const slice = inputs.data.subarray(start * inputs.width, end * inputs.width);
    const x = tf.tensor2d(slice, [end - start, inputs.width], inputs.dtype);
    let y: TF.Tensor | TF.Tensor[] | null = null;
    try {
      y = model.predict(x);
      const tensor = Array.isArray(y) ? y[0] : y;
      out.set(await tensor.data<'float32'>(), start * width);
    } finally {
      x.dispose();
      if (y) (Array.isArray(y) ? y : [y]).forEach((t) => t.dispose());
    }
  }
  return out;
}

/** Predicts every row: one answer per row, in order (the cleaning recipe never drops a row here). */
export async function predictRows(tf: Tfjs, model: TF.LayersModel, recipe: ModelRecipe, rows: readonly Row[], options: EncodeOptions = {}): Promise<Prediction[]> {
  if (rows.length === 0) return [];
  const inputs = encodeRows(recipe, rows, options);
  const values = await runModel(tf, model, inputs, outputWidth(recipe.preprocessing));
  return decodeOutputs(recipe.preprocessing, values, inputs.rows, recipe.decisionThreshold);
}
