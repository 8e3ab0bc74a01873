/**
 * Feeds encoded arrays to `model.fitDataset` one batch at a time: only a batch lives as tensors,
 * so large data sets do not have to fit in tensor memory at once, and the batch order is a
 * seeded shuffle per epoch (the same seed and epoch give the same order, also after a resume).
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, shuffleInPlace } from '../data/prng';
import type { EncodedSplit } from './prepare';

export interface Batch extends tf.TensorContainerObject {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

/** Row order for one epoch: shuffled with a generator seeded by (seed, epoch). */
export function epochOrder(rows: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  shuffleInPlace(order, createRng((seed * 31 + epoch * 0x9e3779b1) >>> 0));
  return order;
}

/** The tensors of one batch, rows picked by `indices`. Caller (fitDataset) disposes them. */
export function makeBatch(split: EncodedSplit, indices: ArrayLike<number>): Batch {
  const n = indices.length;
  const { width, yWidth } = split;
  const x = split.x instanceof Int32Array ? new Int32Array(n * width) : new Float32Array(n * width);
  const y = new Float32Array(n * yWidth);
  for (let i = 0; i < n; i++) {
    const r = indices[i];
    x.set(split.x.subarray(r * width, (r + 1) * width), i * width);
    y.set(split.y.subarray(r * yWidth, (r + 1) * yWidth), i * yWidth);
  }
  return {
    xs: tf.tensor2d(x, [n, width], split.x instanceof Int32Array ? 'int32' : 'float32'),
    ys: tf.tensor2d(y, [n, yWidth]),
  };
}

export function batchCount(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

/**
 * Training batches; `epoch()` is read when an epoch's iteration starts (fitDataset re-iterates
 * the dataset at each epoch begin), so the order follows the epoch being trained.
 */
export function trainingDataset(split: EncodedSplit, batchSize: number, seed: number, epoch: () => number): tf.data.Dataset<Batch> {
  return tf.data.generator(function* () {
    const order = epochOrder(split.rows, seed, epoch());
    for (let start = 0; start < split.rows; start += batchSize) {
      yield makeBatch(split, order.subarray(start, Math.min(start + batchSize, split.rows)));
    }
  } as () => Iterator<Batch>) as tf.data.Dataset<Batch>;
}

/** Validation batches in row order. */
export function evaluationDataset(split: EncodedSplit, batchSize: number): tf.data.Dataset<Batch> {
  return tf.data.generator(function* () {
    for (let start = 0; start < split.rows; start += batchSize) {
      const end = Math.min(start + batchSize, split.rows);
      const indices = new Int32Array(end - start);
      for (let i = 0; i < indices.length; i++) indices[i] = start + i;
      yield makeBatch(split, indices);
    }
  } as () => Iterator<Batch>) as tf.data.Dataset<Batch>;
}
