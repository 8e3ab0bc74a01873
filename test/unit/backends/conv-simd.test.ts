import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { winogradPlan } from '../../../main/core/backends/winograd';
import { expectClose, on, onStockCpu, randomSource } from './kernel-check';

/**
 * The SIMD convolution kernels (native/kernels/conv.c through conv-simd.ts) on wasm and cpu
 * against the cpu backend's stock kernels: forward and both gradients, on random shapes,
 * strides and paddings, with dense dy and with the sparse dy a ReLU + global max pool gives.
 */

const { int, floats, rng } = randomSource(20250301);

type Pad = 'same' | 'valid' | number;

interface Case {
  b: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  fh: number;
  fw: number;
  strides: [number, number];
  pad: Pad;
}

function randomCase(trial: number, maxH = 6): Case {
  const h = int(1, maxH);
  const w = int(3, 23);
  const c: Case = {
    b: int(1, 3),
    h,
    w,
    cin: int(1, 11),
    cout: int(1, 19),
    fh: int(1, Math.min(3, h)),
    fw: int(1, Math.min(5, w)),
    strides: [int(1, 2), int(1, 3)],
    pad: (['same', 'valid', 1] as const)[trial % 3],
  };
  // Explicit padding must still leave an output: keep it small against the filter.
  if (c.pad === 1 && (c.fh > h + 2 || c.fw > w + 2)) c.pad = 'same';
  return c;
}

const outInfo = (c: Case) => tf.backend_util.computeConv2DInfo([c.b, c.h, c.w, c.cin], [c.fh, c.fw, c.cin, c.cout], c.strides, 1, c.pad);

/**
 * dy with the three kinds of rows the kernels tell apart: all zero, a few nonzeros (the
 * element-by-element path) and dense (the blocked product).
 */
function mixedDy(pixels: number, channels: number, denseShare: number): Float32Array {
  const dy = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const kind = rng();
    if (kind < 0.3) continue;
    if (kind < 1 - denseShare) {
      const n = Math.max(1, Math.floor(channels / 4));
      for (let k = 0; k < int(1, n); k++) dy[p * channels + int(0, channels - 1)] = rng() * 2 - 1;
    } else {
      for (let f = 0; f < channels; f++) dy[p * channels + f] = rng() * 2 - 1;
    }
  }
  return dy;
}

const attrsOf = (c: Case) => ({ strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, dilations: [1, 1] });
const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) => tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;

async function expectOursMatchStock(op: () => tf.Tensor | tf.Tensor[], tol = 1e-4) {
  const reference = await onStockCpu(() => on('cpu', op));
  expectClose(await on('wasm', op), reference, tol);
  expectClose(await on('cpu', op), reference, tol);
}

beforeAll(async () => {
  prepareBackends();
  await switchBackend('wasm');
});

describe('Winograd transforms', () => {
  it('reproduce an r-tap correlation from α = 8 inputs for r = 2..7, and have no plan beyond', () => {
    for (let r = 2; r <= 7; r++) {
      const { m, alpha, AT, G, BT } = winogradPlan(r)!;
      expect(m + r - 1).toBe(alpha);
      const d = Array.from(floats(alpha));
      const g = Array.from(floats(r));
      const u = Array.from({ length: alpha }, (_, xi) => g.reduce((s, gk, k) => s + G[xi * r + k] * gk, 0));
      const v = Array.from({ length: alpha }, (_, xi) => d.reduce((s, dj, j) => s + BT[xi * alpha + j] * dj, 0));
      for (let i = 0; i < m; i++) {
        const winograd = u.reduce((s, ux, xi) => s + AT[i * alpha + xi] * ux * v[xi], 0);
        const direct = g.reduce((s, gk, k) => s + d[i + k] * gk, 0);
        // In double; the transforms' float32 coefficients (1/3, 4/45…) bound the difference.
        expect(Math.abs(winograd - direct)).toBeLessThan(1e-5);
      }
    }
    expect(winogradPlan(8)).toBeNull();
    expect(winogradPlan(1)).toBeNull();
  });
});

describe('Conv2D forward', () => {
  it('matches the stock kernel on random shapes, strides and paddings', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const c = randomCase(trial);
      const x = floats(c.b * c.h * c.w * c.cin);
      const f = floats(c.fh * c.fw * c.cin * c.cout);
      await expectOursMatchStock(() => run('Conv2D', { x: tf.tensor4d(x, [c.b, c.h, c.w, c.cin]), filter: tf.tensor4d(f, [c.fh, c.fw, c.cin, c.cout]) }, attrsOf(c)));
    }
  });

  it('matches for Conv1D (Winograd) at every phrase length the catalog offers, ragged tails included', async () => {
    for (let k = 2; k <= 9; k++) {
      const [b, len, e, filters] = [int(1, 3), int(k, 70), 4 * int(1, 12), int(1, 20)];
      const x = floats(b * len * e);
      const f = floats(k * e * filters);
      const pad = k % 2 ? 'same' : 'valid';
      await expectOursMatchStock(() => tf.conv1d(tf.tensor3d(x, [b, len, e]), tf.tensor3d(f, [k, e, filters]), 1, pad));
    }
  });

  it('matches at the text-cnn shape (full register tiles, 64 filters)', async () => {
    const [b, len, e, filters, k] = [2, 200, 64, 64, 5];
    const x = floats(b * len * e);
    const f = floats(k * e * filters);
    await expectOursMatchStock(() => tf.conv1d(tf.tensor3d(x, [b, len, e]), tf.tensor3d(f, [k, e, filters]), 1, 'same'));
  });
});

/**
 * Both convolution gradients, with dense dy and with zero, few-nonzero and dense rows mixed: the
 * other operand (`other`: the filter, or x) is drawn once, outside the op every backend runs.
 */
const GRADIENTS = {
  Conv2DBackpropInput: {
    other: (c: Case) => floats(c.fh * c.fw * c.cin * c.cout),
    op: (c: Case, other: Float32Array, dy: tf.Tensor4D) =>
      run('Conv2DBackpropInput', { dy, filter: tf.tensor4d(other, [c.fh, c.fw, c.cin, c.cout]) }, { ...attrsOf(c), inputShape: [c.b, c.h, c.w, c.cin] }),
  },
  Conv2DBackpropFilter: {
    other: (c: Case) => floats(c.b * c.h * c.w * c.cin),
    op: (c: Case, other: Float32Array, dy: tf.Tensor4D) =>
      run('Conv2DBackpropFilter', { x: tf.tensor4d(other, [c.b, c.h, c.w, c.cin]), dy }, { ...attrsOf(c), filterShape: [c.fh, c.fw, c.cin, c.cout] }),
  },
};

for (const [kernel, gradient] of Object.entries(GRADIENTS)) {
  describe(kernel, () => {
    for (const [label, denseShare] of [
      ['dense dy', 1],
      ['sparse dy (zero, few-nonzero and dense rows mixed)', 0.2],
    ] as const) {
      it(`matches the stock kernel with ${label}`, async () => {
        for (let trial = 0; trial < 10; trial++) {
          const c = randomCase(trial);
          const info = outInfo(c);
          const rows = c.b * info.outHeight * info.outWidth;
          const other = gradient.other(c);
          const dy = denseShare === 1 ? floats(rows * c.cout) : mixedDy(rows, c.cout, denseShare);
          await expectOursMatchStock(() => gradient.op(c, other, tf.tensor4d(dy, [c.b, info.outHeight, info.outWidth, c.cout])));
        }
      });
    }
  });
}

describe('Conv1D gradients through tf.grads', () => {
  it('match the stock kernels for conv → relu → global max pool (sparse dy) and for a dense loss', async () => {
    for (let trial = 0; trial < 6; trial++) {
      const [b, len, e, filters, k] = [int(1, 4), int(5, 60), int(1, 24), int(1, 24), int(2, 6)];
      const x = floats(b * len * e);
      const f = floats(k * e * filters);
      const pooled = trial % 2 === 0;
      const loss = (input: tf.Tensor, filter: tf.Tensor) => {
        const y = tf.conv1d(input as tf.Tensor3D, filter as tf.Tensor3D, 1, 'same');
        return pooled ? tf.relu(y).max(1).sum() : y.square().sum();
      };
      await expectOursMatchStock(() => tf.grads(loss)([tf.tensor3d(x, [b, len, e]), tf.tensor3d(f, [k, e, filters])]));
    }
  });
});

describe('layouts the kernels do not cover', () => {
  it('fall back to the stock kernel (dilated forward)', async () => {
    const x = floats(2 * 9 * 9 * 3);
    const f = floats(3 * 3 * 3 * 4);
    const op = () => tf.conv2d(tf.tensor4d(x, [2, 9, 9, 3]), tf.tensor4d(f, [3, 3, 3, 4]), 1, 'same', 'NHWC', 2);
    expectClose(await on('wasm', op), await onStockCpu(() => on('cpu', op)));
  });
});
