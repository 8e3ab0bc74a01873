/** Pieces every catalog builder shares: seeded initializers, regularizers, the output layer. */
import * as tf from '@tensorflow/tfjs';
import type { HyperparameterSpec, LocalizedText } from '../../contract/training';
import { CoreError } from '../errors';
import type { ModelBuildSpec } from './types';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;
type Regularizer = ReturnType<typeof tf.regularizers.l1l2>;

/**
 * Seeds for one model's layers: each call gives the next seed, so two layers of one model do
 * not start from the same random numbers, and the same config seed rebuilds the same model.
 */
export function seedSequence(seed: number): () => number {
  let next = seed >>> 0;
  return () => (next = (next + 7919) % 2147483647);
}

export function glorot(seed: () => number): Initializer {
  return tf.initializers.glorotUniform({ seed: seed() });
}

export function orthogonal(seed: () => number): Initializer {
  return tf.initializers.orthogonal({ seed: seed(), gain: 1 });
}

export function embeddingInit(seed: () => number): Initializer {
  return tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed() });
}

/** An L1/L2 weight penalty, or nothing when both are 0 (keeps model.json free of no-ops). */
export function kernelRegularizer(spec: ModelBuildSpec): Regularizer | undefined {
  if (!spec.l1 && !spec.l2) return undefined;
  return tf.regularizers.l1l2({ l1: spec.l1, l2: spec.l2 });
}

/**
 * Dense(1, sigmoid) for two classes, Dense(n, softmax) for more, Dense(1, linear) for a number.
 * The loss chosen in `compile.ts` matches each.
 */
export function outputLayer(spec: ModelBuildSpec, seed: () => number): tf.layers.Layer {
  const { kind, classes } = spec.output;
  return tf.layers.dense({
    units: kind === 'multiclass' ? classes : 1,
    activation: kind === 'binary' ? 'sigmoid' : kind === 'multiclass' ? 'softmax' : 'linear',
    kernelInitializer: glorot(seed),
    kernelRegularizer: kernelRegularizer(spec),
    name: 'output',
  });
}

/**
 * Builds a model while muting tfjs's "Orthogonal initializer … Slowness may result" console
 * warning: the orthogonal recurrent init is Keras's default and costs well under a second here.
 */
export function quietBuild<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer')) return;
    warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

/**
 * The frame every text model shares: token sequences in, Embedding(vocabulary, dim), the model's
 * own `body`, then the output layer the task needs. Seeds are drawn in that order, so a config
 * seed rebuilds the same weights.
 */
export function buildTextModel(
  spec: ModelBuildSpec,
  id: string,
  body: (model: tf.Sequential, seed: () => number) => void,
  options: { regularizeEmbedding?: boolean } = {},
): tf.LayersModel {
  if (spec.input.kind !== 'sequence') throw new Error(`${id} needs token sequences`);
  const { vocabularySize, sequenceLength } = spec.input;
  const seed = seedSequence(spec.seed);
  return quietBuild(() => {
    const model = tf.sequential({ name: id.replace(/-/g, '_') });
    model.add(
      tf.layers.embedding({
        inputDim: vocabularySize,
        outputDim: spec.hyperparameters.embeddingDim,
        inputLength: sequenceLength,
        embeddingsInitializer: embeddingInit(seed),
        embeddingsRegularizer: options.regularizeEmbedding ? kernelRegularizer(spec) : undefined,
        name: 'embedding',
      }),
    );
    body(model, seed);
    model.add(outputLayer(spec, seed));
    return model;
  });
}

/** A dropout layer before the output, only when the settings ask for one. */
export function addDropout(model: tf.Sequential, spec: ModelBuildSpec): void {
  if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout, name: 'dropout' }));
}

/** Shorthand for catalog text: English and Simplified Chinese. */
export function text(en: string, zhCN: string): LocalizedText {
  return { en, 'zh-CN': zhCN };
}

/** A hyperparameter spec with the usual shape. */
export function intParam(
  key: string,
  value: number,
  min: number,
  max: number,
  label: LocalizedText,
  help: LocalizedText,
  scale: 'linear' | 'log' = 'linear',
): HyperparameterSpec {
  return { key, type: 'int', default: value, min, max, scale, label, help };
}

/**
 * The model's hyperparameters with defaults filled in. Unknown keys, non-integers where an
 * integer is needed and values out of range are refused with `invalid_payload`.
 */
export function resolveHyperparameters(specs: readonly HyperparameterSpec[], given: Record<string, number> = {}): Record<string, number> {
  const known = new Map(specs.map((s) => [s.key, s]));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw new CoreError('invalid_payload', `unknown hyperparameter ${key}`, { field: `hyperparameters.${key}` });
  }
  const resolved: Record<string, number> = {};
  for (const spec of specs) {
    const value = given[spec.key] ?? spec.default;
    const bad = !Number.isFinite(value) || value < spec.min || value > spec.max || (spec.type === 'int' && !Number.isInteger(value));
    if (bad) {
      throw new CoreError('invalid_payload', `${spec.key} must be ${spec.type === 'int' ? 'a whole number' : 'a number'} in ${spec.min}..${spec.max}`, {
        field: `hyperparameters.${spec.key}`,
        min: spec.min,
        max: spec.max,
      });
    }
    resolved[spec.key] = value;
  }
  return resolved;
}
