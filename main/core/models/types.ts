import type * as tf from '@tensorflow/tfjs';
import type { ModelCatalogEntry } from '../../contract/training';

/** What the model predicts: one of two classes, one of many, or a number. */
export type OutputKind = 'binary' | 'multiclass' | 'regression';

export type ModelInputSpec =
  /** Token ids from the fitted tokenizer, [batch, sequenceLength]. */
  | { kind: 'sequence'; vocabularySize: number; sequenceLength: number }
  /** Encoded table features (standardized numbers, one-hot categories), [batch, width]. */
  | { kind: 'features'; width: number };

/** Everything a builder needs; the trainer derives it from the data and the training config. */
export interface ModelBuildSpec {
  input: ModelInputSpec;
  output: { kind: OutputKind; classes: number };
  /** The model's own knobs with defaults filled in (see `resolveHyperparameters`). */
  hyperparameters: Record<string, number>;
  dropout: number;
  l1: number;
  l2: number;
  /** Seeds the weight initializers, so the same seed gives the same starting model. */
  seed: number;
}

/** A catalog model: what the UI shows, and how to build it as a tfjs Layers model. */
export interface ModelDefinition {
  entry: ModelCatalogEntry;
  /** Input kind the builder accepts. */
  input: ModelInputSpec['kind'];
  build(spec: ModelBuildSpec): tf.LayersModel;
}
