/**
 * A one-batch fit of a small copy of the chosen model: proves a backend rung can train this
 * architecture (every kernel forward and backward is there and gives a finite loss) before a
 * real run relies on it.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelId } from '../../contract/training';
import { buildModel } from '../models/catalog';
import { compileModel } from '../models/compile';
import type { ModelInputSpec, OutputKind } from '../models/types';

export interface ProbeSpec {
  modelId: ModelId;
  input: ModelInputSpec;
  outputKind: OutputKind;
  classes: number;
  hyperparameters: Record<string, number>;
  optimizer: 'adam' | 'sgd';
}

const ROWS = 4;

export async function probeFit(spec: ProbeSpec): Promise<void> {
  // Same layers and knobs, tiny sizes: a few milliseconds on any rung.
  const input: ModelInputSpec =
    spec.input.kind === 'sequence'
      ? { kind: 'sequence', vocabularySize: Math.min(spec.input.vocabularySize, 50), sequenceLength: Math.min(spec.input.sequenceLength, 8) }
      : spec.input;
  const hyperparameters = { ...spec.hyperparameters };
  for (const key of ['units', 'filters', 'embeddingDim']) if (key in hyperparameters) hyperparameters[key] = Math.min(hyperparameters[key], 8);
  if ('vocabularySize' in hyperparameters) hyperparameters.vocabularySize = Math.min(hyperparameters.vocabularySize, 100);
  const model = buildModel(spec.modelId, { input, output: { kind: spec.outputKind, classes: spec.classes }, hyperparameters, dropout: 0, l1: 0, l2: 0, seed: 1 });
  const optimizer = compileModel(model, spec.outputKind, { optimizer: spec.optimizer, learningRate: 0.01, momentum: 0.9 });
  const yWidth = spec.outputKind === 'multiclass' ? spec.classes : 1;
  const [xs, ys] = tf.tidy(() => [
    input.kind === 'sequence'
      ? tf.randomUniform([ROWS, input.sequenceLength], 0, input.vocabularySize, 'int32', 7)
      : tf.randomNormal([ROWS, input.width], 0, 1, 'float32', 7),
    spec.outputKind === 'multiclass'
      ? tf.oneHot(tf.tensor1d([0, 1, 2, 3].map((i) => i % yWidth), 'int32'), yWidth).toFloat()
      : tf.tensor2d([0, 1, 0, 1], [ROWS, 1]),
  ]);
  try {
    const result = await model.trainOnBatch(xs, ys);
    const loss = Array.isArray(result) ? result[0] : result;
    if (!Number.isFinite(loss)) throw new Error(`probe fit gave a non-finite loss (${loss})`);
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
    optimizer.dispose();
  }
}
