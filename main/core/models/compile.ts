/** Optimizer, loss and metric for a model, from the training config and the output kind. */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../contract/training';
import { FusedAdamOptimizer } from '../backends/fused-adam';
import type { OutputKind } from './types';

/**
 * Adam (tfjs's, with one fused kernel per variable on wasm and cpu: backends/fused-adam.ts), or
 * SGD with momentum (classic momentum; Nesterov is not offered).
 */
export function makeOptimizer(config: Pick<TrainingConfig, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  // tf.train.adam's defaults: β1 0.9, β2 0.999, the backend's epsilon.
  return config.optimizer === 'sgd' ? tf.train.momentum(config.learningRate, config.momentum) : new FusedAdamOptimizer(config.learningRate, 0.9, 0.999);
}

export function lossFor(kind: OutputKind): string {
  return kind === 'binary' ? 'binaryCrossentropy' : kind === 'multiclass' ? 'categoricalCrossentropy' : 'meanSquaredError';
}

/** The metric the UI charts next to the loss: accuracy, or mean absolute error for numbers. */
export function metricFor(kind: OutputKind): 'accuracy' | 'mae' {
  return kind === 'regression' ? 'mae' : 'accuracy';
}

/**
 * Compiles `model` for training and returns the optimizer: the caller disposes it (a model
 * compiled with an optimizer object does not own it).
 */
export function compileModel(model: tf.LayersModel, kind: OutputKind, config: Pick<TrainingConfig, 'optimizer' | 'learningRate' | 'momentum'>): tf.Optimizer {
  const optimizer = makeOptimizer(config);
  model.compile({ optimizer, loss: lossFor(kind), metrics: [metricFor(kind)] });
  return optimizer;
}
