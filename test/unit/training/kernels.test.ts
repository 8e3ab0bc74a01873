import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { stockKernel } from '../../../main/core/backends/wasm-kernels';
import { createRng } from '../../../main/core/data/prng';

/**
 * The kernels we register (wasm: UnsortedSegmentSum, Conv2DBackpropFilter and faster
 * Conv2DBackpropInput/BatchMatMul/Unpack/Identity; cpu: fast UnsortedSegmentSum and
 * Conv2DBackpropFilter) against the cpu backend's stock reference kernels, forward and through
 * tf.grad, on random shapes.
 */

const rng = createRng(20240501);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const floats = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);

/** Runs `fn` on a backend and returns plain arrays (so nothing outlives the backend switch). */
async function on(backend: 'wasm' | 'cpu', fn: () => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  await switchBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const result = list.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) }));
  tf.dispose(list);
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  return result;
}

const REPLACED_ON_CPU = ['UnsortedSegmentSum', 'Conv2DBackpropFilter'];

/** Runs `fn` on cpu with the stock kernels put back (the reference implementations). */
async function onStockCpu(fn: () => tf.Tensor | tf.Tensor[]) {
  const ours = REPLACED_ON_CPU.map((name) => tf.getKernel(name, 'cpu'));
  for (const name of REPLACED_ON_CPU) {
    tf.unregisterKernel(name, 'cpu');
    tf.registerKernel(stockKernel(name, 'cpu')!);
  }
  try {
    return await on('cpu', fn);
  } finally {
    for (const [i, name] of REPLACED_ON_CPU.entries()) {
      tf.unregisterKernel(name, 'cpu');
      tf.registerKernel(ours[i]);
    }
  }
}

function expectClose(actual: { shape: number[]; values: Float32Array }[], expected: { shape: number[]; values: Float32Array }[], tol = 1e-4) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.shape).toEqual(expected[i].shape);
    let worst = 0;
    for (let k = 0; k < a.values.length; k++) {
      const e = expected[i].values[k];
      worst = Math.max(worst, Math.abs(a.values[k] - e) / (1 + Math.abs(e)));
    }
    expect(worst).toBeLessThan(tol);
  });
}

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
    for (const name of REPLACED_ON_CPU) {
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
      const reference = await onStockCpu(op);
      expectClose(await on('wasm', op), reference);
      expectClose(await on('cpu', op), reference);
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
      const reference = await onStockCpu(op);
      expectClose(await on('wasm', op), reference);
      expectClose(await on('cpu', op), reference);
    }
  });

  it('has the gradient of a segment sum (a gather) agree across backends', async () => {
    const x = floats(30 * 4);
    const ids = Int32Array.from({ length: 30 }, () => int(0, 6));
    const op = () => tf.grad((t: tf.Tensor) => tf.unsortedSegmentSum(t, tf.tensor1d(ids, 'int32'), 7).square().sum())(tf.tensor2d(x, [30, 4]));
    expectClose(await on('wasm', op), await onStockCpu(op));
  });
});

describe('Conv2DBackpropFilter', () => {
  it('matches cpu reference on random shapes, strides and paddings', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const [b, h, w, cin, cout] = [int(1, 3), int(1, 9), int(3, 12), int(1, 6), int(1, 7)];
      const [fh, fw] = [int(1, Math.min(3, h)), int(1, Math.min(5, w))];
      const strides: [number, number] = [int(1, 2), int(1, 3)];
      const pad = trial % 2 ? 'same' : 'valid';
      const info = tf.backend_util.computeConv2DInfo([b, h, w, cin], [fh, fw, cin, cout], strides, 1, pad);
      const x = floats(b * h * w * cin);
      const dy = floats(b * info.outHeight * info.outWidth * cout);
      const op = () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, [b, h, w, cin]), dy: tf.tensor4d(dy, [b, info.outHeight, info.outWidth, cout]) }, {
          strides,
          pad,
          dataFormat: 'NHWC',
          dimRoundingMode: undefined,
          filterShape: [fh, fw, cin, cout],
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
      const reference = await onStockCpu(op);
      expectClose(await on('wasm', op), reference);
      expectClose(await on('cpu', op), reference);
    }
  });

  it('computes the input gradient (Conv2DBackpropInput) on wasm as cpu does', async () => {
    for (let trial = 0; trial < 8; trial++) {
      const [b, h, w, cin, cout] = [int(1, 3), int(1, 8), int(3, 12), int(1, 6), int(1, 7)];
      const [fh, fw] = [int(1, Math.min(3, h)), int(1, Math.min(5, w))];
      const strides: [number, number] = [int(1, 2), int(1, 3)];
      const pad = trial % 2 ? 'same' : 'valid';
      const info = tf.backend_util.computeConv2DInfo([b, h, w, cin], [fh, fw, cin, cout], strides, 1, pad);
      const f = floats(fh * fw * cin * cout);
      const dy = floats(b * info.outHeight * info.outWidth * cout);
      const op = () =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor4d(dy, [b, info.outHeight, info.outWidth, cout]), filter: tf.tensor4d(f, [fh, fw, cin, cout]) }, {
          strides,
          pad,
          dataFormat: 'NHWC',
          dimRoundingMode: undefined,
          inputShape: [b, h, w, cin],
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
      expectClose(await on('wasm', op), await on('cpu', op));
    }
  });

  it('gives the same Conv1D gradients as cpu reference (the text-cnn path)', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const [b, len, cin, cout, k] = [int(1, 4), int(5, 30), int(1, 8), int(1, 8), int(2, 5)];
      const x = floats(b * len * cin);
      const f = floats(k * cin * cout);
      const op = () =>
        tf.grads((input: tf.Tensor, filter: tf.Tensor) => tf.conv1d(input as tf.Tensor3D, filter as tf.Tensor3D, 1, 'same').square().sum())([
          tf.tensor3d(x, [b, len, cin]),
          tf.tensor3d(f, [k, cin, cout]),
        ]);
      const reference = await onStockCpu(op);
      expectClose(await on('wasm', op), reference);
      expectClose(await on('cpu', op), reference);
    }
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
