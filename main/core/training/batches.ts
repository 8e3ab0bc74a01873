/**
 * Feeds encoded rows to `model.fitDataset` one batch at a time: only a batch lives as tensors
 * (and, read from the run's cache files, as values), so large data sets never have to fit in
 * memory at once. The batch order is a seeded shuffle per epoch (the same seed and epoch give the
 * same order, also after a resume); the order itself costs 4 bytes a training row.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng, shuffleInPlace } from '../data/prng';
import type { ArrayBatch } from './dense-fit';
import type { BatchSource } from './batch-source';

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

/** The rows picked by `indices` as arrays (what `makeBatch` wraps, and what the dense-stack engine trains on). */
export function batchArrays(split: BatchSource, indices: ArrayLike<number>): ArrayBatch & { x: Int32Array | Float32Array } {
  const n = indices.length;
  const { width, yWidth } = split;
  const x = split.xType === 'int32' ? new Int32Array(n * width) : new Float32Array(n * width);
  const y = new Float32Array(n * yWidth);
  const classIndex = split.hasClasses ? new Int32Array(n) : null;
  split.read(indices, x, y, classIndex);
  return { x: x as Float32Array, y, rows: n, classIndex };
}

/** The tensors of one batch, rows picked by `indices`. Caller (fitDataset) disposes them. */
export function makeBatch(split: BatchSource, indices: ArrayLike<number>): Batch {
  const { x, y, rows } = batchArrays(split, indices);
  return {
    xs: tf.tensor2d(x, [rows, split.width], split.xType),
    ys: tf.tensor2d(y, [rows, split.yWidth]),
  };
}

/** One epoch's training batches as arrays, in that epoch's seeded order. */
export function* trainingArrayBatches(split: BatchSource, batchSize: number, seed: number, epoch: number): Generator<ArrayBatch> {
  const order = epochOrder(split.rows, seed, epoch);
  for (let start = 0; start < split.rows; start += batchSize) yield batchArrays(split, order.subarray(start, Math.min(start + batchSize, split.rows)));
}

/** Validation batches as arrays, in row order. */
export function* evaluationArrayBatches(split: BatchSource, batchSize: number): Generator<ArrayBatch> {
  for (let start = 0; start < split.rows; start += batchSize) yield batchArrays(split, rowRange(start, Math.min(start + batchSize, split.rows)));
}

function rowRange(start: number, end: number): Int32Array {
  const indices = new Int32Array(end - start);
  for (let i = 0; i < indices.length; i++) indices[i] = start + i;
  return indices;
}

export function batchCount(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize);
}

/**
 * Training batches; `epoch()` is read when an epoch's iteration starts (fitDataset re-iterates
 * the dataset at each epoch begin), so the order follows the epoch being trained.
 */
export function trainingDataset(split: BatchSource, batchSize: number, seed: number, epoch: () => number): tf.data.Dataset<Batch> {
  return tf.data.generator(function* () {
    const order = epochOrder(split.rows, seed, epoch());
    for (let start = 0; start < split.rows; start += batchSize) {
      yield makeBatch(split, order.subarray(start, Math.min(start + batchSize, split.rows)));
    }
  } as () => Iterator<Batch>) as tf.data.Dataset<Batch>;
}

/** Validation batches in row order. */
export function evaluationDataset(split: BatchSource, batchSize: number): tf.data.Dataset<Batch> {
  return tf.data.generator(function* () {
    for (let start = 0; start < split.rows; start += batchSize) yield makeBatch(split, rowRange(start, Math.min(start + batchSize, split.rows)));
  } as () => Iterator<Batch>) as tf.data.Dataset<Batch>;
}
