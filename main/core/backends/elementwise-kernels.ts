/**
 * Costs of the text models that are layout and per-element overhead, not arithmetic:
 * - `Transpose` with a permutation that moves no data (tfjs's Embedding gradient transposes by
 *   the identity twice per step): the stock kernels copy, 40 ms per text-cnn step on cpu; here
 *   the output shares the input's data, as Reshape does.
 * - cpu's broadcasting `Add`/`Sub`/`Multiply`/`RealDiv` compute an index array per element (a
 *   bias add over [32, 200, 64] takes 60 ms); here one strided pass. wasm's are native already.
 * - cpu's `Relu` and `Step` call a function per element (~20 ns): here plain loops.
 */
import * as tf from '@tensorflow/tfjs';
import type { Attrs, CpuBackendLike, KernelParams } from './kernel-types';
import { tensorIO } from './tensor-io';

/** True when `perm`, ignoring axes of size 1, keeps every axis in place. */
function movesNoData(shape: number[], perm: number[]): boolean {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  return kept.every((axis, i) => i === 0 || axis > kept[i - 1]);
}

interface RefCounting {
  incRef(dataId: object): void;
}

export function transposeKernel(stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const x = params.inputs.x as tf.TensorInfo;
    const perm = (params.attrs as Attrs).perm as number[];
    if (x.dtype === 'string' || x.dtype === 'complex64' || !movesNoData(x.shape, perm)) return stock(params) as tf.TensorInfo;
    (params.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: perm.map((axis) => x.shape[axis]), dtype: x.dtype };
  };
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/** out[i] = a[ai] op b[bi] for n elements, ai and bi stepping by 0 or 1 (a broadcast operand stays put). */
function binaryRun(op: BinaryOp, out: Float32Array, at: number, a: tf.TypedArray, ai: number, sa: number, b: tf.TypedArray, bi: number, sb: number, n: number): void {
  switch (op) {
    case 'add':
      for (let k = 0; k < n; k++, ai += sa, bi += sb) out[at + k] = a[ai] + b[bi];
      break;
    case 'sub':
      for (let k = 0; k < n; k++, ai += sa, bi += sb) out[at + k] = a[ai] - b[bi];
      break;
    case 'mul':
      for (let k = 0; k < n; k++, ai += sa, bi += sb) out[at + k] = a[ai] * b[bi];
      break;
    case 'div':
      for (let k = 0; k < n; k++, ai += sa, bi += sb) out[at + k] = a[ai] / b[bi];
      break;
  }
}

/** Strides of `shape` padded on the left to `rank`, 0 along broadcast axes. */
function broadcastStrides(shape: number[], rank: number): number[] {
  const padded = [...Array<number>(rank - shape.length).fill(1), ...shape];
  const strides = tf.util.computeStrides(padded);
  strides.push(1);
  return padded.map((d, i) => (d === 1 ? 0 : strides[i]));
}

/**
 * A float32 binary op with broadcasting on cpu: the output walked row by row over its last axis,
 * each operand stepping through it or staying put. Same float arithmetic as the stock kernel
 * (a double op rounded to float32 on store); other dtypes go to `stock`.
 */
export function broadcastBinaryCpu(op: BinaryOp, stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const a = params.inputs.a as tf.TensorInfo;
    const b = params.inputs.b as tf.TensorInfo;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(params) as tf.TensorInfo;
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const io = tensorIO(params, 'cpu');
    const out = io.output(shape);
    const dst = out.values();
    const av = (params.backend as CpuBackendLike).readSync(a.dataId) as tf.TypedArray;
    const bv = (params.backend as CpuBackendLike).readSync(b.dataId) as tf.TypedArray;
    const rank = shape.length;
    if (rank === 0 || tf.util.arraysEqual(a.shape, b.shape)) {
      binaryRun(op, dst, 0, av, 0, 1, bv, 0, 1, dst.length);
      return out.info();
    }
    const sa = broadcastStrides(a.shape, rank);
    const sb = broadcastStrides(b.shape, rank);
    const inner = shape[rank - 1];
    const rows = dst.length / Math.max(1, inner);
    const index = new Array<number>(rank - 1).fill(0);
    let ai = 0;
    let bi = 0;
    for (let row = 0; row < rows; row++) {
      binaryRun(op, dst, row * inner, av, ai, sa[rank - 1], bv, bi, sb[rank - 1], inner);
      // Next row: advance the outer index like an odometer.
      for (let d = rank - 2; d >= 0; d--) {
        index[d]++;
        ai += sa[d];
        bi += sb[d];
        if (index[d] < shape[d]) break;
        ai -= sa[d] * shape[d];
        bi -= sb[d] * shape[d];
        index[d] = 0;
      }
    }
    return out.info();
  };
}

/**
 * cpu's float32 `Relu` (x < 0 ? 0 : x; NaN stays NaN) and `Step` (x > 0 ? 1 : alpha; NaN stays)
 * as plain loops without branches: on a ReLU's input the sign is a coin toss, and a mispredicted
 * branch per element costs more than the arithmetic (2.3 ms against 0.7 ms for 409,600 values).
 */
export function unaryCpu(kind: 'relu' | 'step', stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const x = params.inputs.x as tf.TensorInfo;
    if (x.dtype !== 'float32') return stock(params) as tf.TensorInfo;
    const io = tensorIO(params, 'cpu');
    const out = io.output(x.shape);
    const dst = out.values();
    const src = (params.backend as CpuBackendLike).readSync(x.dataId) as Float32Array;
    const n = dst.length;
    if (kind === 'relu') {
      // v · [v > 0] + 0: negatives become +0, NaN stays NaN (NaN · 0).
      for (let i = 0; i < n; i++) dst[i] = src[i] * +(src[i] > 0) + 0;
    } else {
      const alpha = ((params.attrs as Attrs).alpha as number | undefined) ?? 0;
      const rise = 1 - alpha;
      for (let i = 0; i < n; i++) {
        const v = src[i];
        dst[i] = v !== v ? NaN : alpha + rise * +(v > 0);
      }
    }
    return out.info();
  };
}
