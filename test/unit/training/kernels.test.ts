import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { ourKernels, stockKernel } from '../../../main/core/backends/wasm-kernels';
import { expectClose, on, onStockCpu, randomSource } from '../backends/kernel-check';

/**
 * The kernels registered for training (UnsortedSegmentSum on wasm, where it is missing, and on
 * cpu; faster BatchMatMul/Unpack/Identity on wasm) against the cpu backend's stock reference
 * kernels, forward and through tf.grad, on random shapes. The convolution, reduction, lookup and
 * Adam kernels have their own tests in test/unit/backends/.
 */

const { int, floats } = randomSource(20240501);
const reference = (fn: () => tf.Tensor | tf.Tensor[]) => onStockCpu(() => on('cpu', fn));

beforeAll(async () => {
  prepareBackends();
  await switchBackend('wasm');
});

afterAll(async () => {
  await switchBackend('wasm');
});

describe('kernel registration', () => {
  it('gives wasm the kernels training needs and keeps the stock cpu kernel for reference', () => {
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeTruthy();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeTruthy();
    for (const name of ['UnsortedSegmentSum', 'Conv2DBackpropFilter', 'Conv2D', 'GatherV2']) {
      expect(ourKernels('cpu')).toContain(name);
      expect(stockKernel(name, 'cpu')).toBeTruthy();
      expect(tf.getKernel(name, 'cpu')).not.toBe(stockKernel(name, 'cpu'));
    }
  });
});

describe('UnsortedSegmentSum', () => {
  it('matches cpu reference on random shapes, out-of-range ids included (wasm and fast cpu)', async () => {
    for (let trial = 0; trial < 8; trial++) {
      const rows = int(1, 40);
      const inner = Array.from({ length: int(0, 2) }, () => int(1, 5));
      const segments = int(1, 25);
      const x = floats(rows * inner.reduce((a, b) => a * b, 1));
      const ids = Int32Array.from({ length: rows }, () => int(-1, segments));
      const op = () => tf.unsortedSegmentSum(tf.tensor(x, [rows, ...inner]), tf.tensor1d(ids, 'int32'), segments);
      const expected = await reference(op);
      expectClose(await on('wasm', op), expected);
      expectClose(await on('cpu', op), expected);
    }
  });

  it('gives the same Embedding-style gradient (gather) as cpu reference', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const vocab = int(2, 60);
      const dim = int(1, 9);
      const batch = int(1, 6);
      const steps = int(1, 12);
      const table = floats(vocab * dim);
      const ids = Int32Array.from({ length: batch * steps }, () => int(0, vocab - 1));
      const weights = floats(batch * steps * dim);
      const op = () =>
        tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor2d(ids, [batch, steps], 'int32')).mul(tf.tensor3d(weights, [batch, steps, dim])).sum())(
          tf.tensor2d(table, [vocab, dim]),
        );
      const expected = await reference(op);
      expectClose(await on('wasm', op), expected);
      expectClose(await on('cpu', op), expected);
    }
  });

  it('has the gradient of a segment sum (a gather) agree across backends', async () => {
    const x = floats(30 * 4);
    const ids = Int32Array.from({ length: 30 }, () => int(0, 6));
    const op = () => tf.grad((t: tf.Tensor) => tf.unsortedSegmentSum(t, tf.tensor1d(ids, 'int32'), 7).square().sum())(tf.tensor2d(x, [30, 4]));
    expectClose(await on('wasm', op), await reference(op));
  });
});

describe('faster wasm kernels', () => {
  it('BatchMatMul with transposes, Unpack and Identity match cpu', async () => {
    for (let trial = 0; trial < 6; trial++) {
      const [batch, m, k, n] = [int(1, 3), int(1, 17), int(1, 19), int(1, 13)];
      const [ta, tb] = [trial % 2 === 1, trial % 3 === 1];
      const a = floats(batch * m * k);
      const bv = floats(batch * k * n);
      const op = () => {
        const A = tf.tensor3d(a, ta ? [batch, k, m] : [batch, m, k]);
        const B = tf.tensor3d(bv, tb ? [batch, n, k] : [batch, k, n]);
        return [tf.matMul(A, B, ta, tb), ...tf.unstack(A, trial % 3), tf.clone(B)];
      };
      expectClose(await on('wasm', op), await on('cpu', op));
    }
  });
});
