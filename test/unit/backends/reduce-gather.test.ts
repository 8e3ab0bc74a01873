import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { expectClose, on, onStockCpu, randomSource } from './kernel-check';

/**
 * The reductions (reduce-kernels.ts: Max, Sum, Mean, the gradient of Max) and the Embedding
 * lookup (gather-kernel.ts) on wasm and cpu against tfjs's stock cpu kernels.
 */

const { int, floats, rng } = randomSource(20250302);

async function expectOursMatchStock(op: () => tf.Tensor | tf.Tensor[], tol = 1e-5) {
  const reference = await onStockCpu(() => on('cpu', op));
  expectClose(await on('wasm', op), reference, tol);
  expectClose(await on('cpu', op), reference, tol);
}

/** A random shape of rank 2–4, big enough (≥ 16k elements) for our kernels to take the call. */
function bigShape(): number[] {
  const rank = int(2, 4);
  const shape = Array.from({ length: rank }, () => int(1, 12));
  shape[int(0, rank - 1)] = int(40, 300);
  while (tf.util.sizeFromShape(shape) < 1 << 14) shape[int(0, rank - 1)] *= 2;
  return shape;
}

/** A contiguous block of axes (what our kernels cover), or any set of axes (the stock fallback). */
function someAxes(rank: number, contiguous: boolean): number[] {
  const first = int(0, rank - 1);
  const last = int(first, rank - 1);
  if (contiguous) return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  return rank > 2 ? [0, rank - 1] : [first];
}

beforeAll(async () => {
  prepareBackends();
  await switchBackend('wasm');
});

describe('Max, Sum and Mean over a block of axes', () => {
  it('match the stock kernels, keepDims or not, contiguous axes or not', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const shape = bigShape();
      const axes = someAxes(shape.length, trial % 4 !== 3);
      const keepDims = trial % 2 === 0;
      const x = floats(tf.util.sizeFromShape(shape));
      await expectOursMatchStock(() => {
        const t = tf.tensor(x, shape);
        return [tf.max(t, axes, keepDims), tf.sum(t, axes, keepDims), tf.mean(t, axes, keepDims)];
      }, 1e-4);
    }
  });

  it('lets a NaN win the max, as the cpu kernel does', async () => {
    const x = floats(64 * 300);
    x[5 * 64 + 3] = NaN;
    const [out] = await on('wasm', () => tf.max(tf.tensor3d(x, [1, 300, 64]), 1));
    expect(Number.isNaN(out.values[3])).toBe(true);
    expect(Number.isNaN(out.values[4])).toBe(false);
  });
});

describe('gradient of Max (the global max pool)', () => {
  it('matches tfjs on random data, and gives every tie the gradient (dead ReLU channels)', async () => {
    for (let trial = 0; trial < 6; trial++) {
      // At least 16k elements, so our kernel (not the stock fallback for small inputs) takes the call.
      const [b, t, c] = [int(4, 6), int(100, 300), int(41, 70)];
      const x = floats(b * t * c);
      // Ties: a few channels all zero (a ReLU that never fires), a few with a repeated maximum.
      for (let k = 0; k < 3; k++) {
        const s = int(0, b - 1);
        const ch = int(0, c - 1);
        for (let step = 0; step < t; step++) x[(s * t + step) * c + ch] = trial % 2 ? 0 : 0.75;
      }
      const weights = floats(b * c);
      const op = () => tf.grad((input: tf.Tensor) => tf.relu(input).max(1).mul(tf.tensor2d(weights, [b, c])).sum())(tf.tensor3d(x, [b, t, c]));
      await expectOursMatchStock(op);
    }
  });
});

describe('gradient of Mean (the global average pool)', () => {
  it('matches tfjs over a block of axes, and falls back to it for other axes', async () => {
    for (let trial = 0; trial < 8; trial++) {
      const shape = bigShape();
      const axes = someAxes(shape.length, trial % 4 !== 3);
      const x = floats(tf.util.sizeFromShape(shape));
      const reduced = shape.filter((_, i) => !axes.includes(i));
      const weights = floats(tf.util.sizeFromShape(reduced));
      const op = () => tf.grad((input: tf.Tensor) => tf.mean(input, axes).mul(tf.tensor(weights, reduced)).sum())(tf.tensor(x, shape));
      await expectOursMatchStock(op, 0);
    }
  });
});

describe('GatherV2', () => {
  it('matches the stock kernel on random tables, axes and batch dims, float32 and int32', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const shape = [int(1, 40), int(1, 6), int(1, 9)];
      const axis = trial % 3;
      const batchDims = trial % 4 === 3 && axis > 0 ? 1 : 0;
      const indexShape = batchDims ? [shape[0], int(1, 7)] : [int(1, 5), int(1, 7)];
      const ids = Int32Array.from({ length: indexShape[0] * indexShape[1] }, () => int(0, shape[axis] - 1));
      const x = floats(tf.util.sizeFromShape(shape));
      const ints = Int32Array.from(x, (v) => Math.round(v * 1000));
      await expectOursMatchStock(() => [
        tf.gather(tf.tensor(x, shape), tf.tensor2d(ids, indexShape as [number, number], 'int32'), axis, batchDims),
        tf.gather(tf.tensor(ints, shape, 'int32'), tf.tensor2d(ids, indexShape as [number, number], 'int32'), axis, batchDims),
      ]);
    }
  });

  it('refuses an index outside the table, as the stock kernels do', async () => {
    for (const backend of ['wasm', 'cpu'] as const) {
      await switchBackend(backend);
      expect(() => tf.tidy(() => tf.gather(tf.zeros([5, 3]), tf.tensor1d([1, 5], 'int32')).dataSync())).toThrow(/index value 5/);
    }
  });

  it('gives the Embedding gradient tfjs gives (gather, then its gradient)', async () => {
    const [vocab, dim, batch, steps] = [500, 16, 4, 50];
    const table = floats(vocab * dim);
    const ids = Int32Array.from({ length: batch * steps }, () => Math.floor(rng() * vocab));
    const w = floats(batch * steps * dim);
    await expectOursMatchStock(() =>
      tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor2d(ids, [batch, steps], 'int32')).mul(tf.tensor3d(w, [batch, steps, dim])).sum())(tf.tensor2d(table, [vocab, dim])),
    );
  });
});
