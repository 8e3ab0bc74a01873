/**
 * Faster versions of wasm kernels that LSTM and CNN backprop call thousands of times per batch
 * (measured on the text-lstm seed model: 28k kernel calls per batch of 32 × 200 tokens).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Attrs, KernelParams } from './kernel-types';

/** Copies each matrix of a [..., rows, cols] tensor transposed into a new heap tensor. */
function transposeLastTwo(backend: BackendWasm, t: tf.TensorInfo): tf.TensorInfo {
  const shape = t.shape;
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  const batch = tf.util.sizeFromShape(shape.slice(0, -2));
  const out = backend.makeOutput([...shape.slice(0, -2), cols, rows], t.dtype);
  const src = backend.typedArrayFromHeap(t);
  const dst = backend.typedArrayFromHeap(out);
  for (let b = 0, o = 0; b < batch; b++, o += rows * cols) {
    for (let i = 0; i < rows; i++) {
      const row = o + i * cols;
      for (let j = 0; j < cols; j++) dst[o + j * rows + i] = src[row + j];
    }
  }
  return out;
}

/**
 * Wraps wasm's `BatchMatMul`: its transposed paths are ~3x slower than transposing first and
 * multiplying plainly (measured: 32×64ᵀ·32×256 takes 320 µs vs 110 µs), and backprop through
 * every Dense/LSTM step is made of exactly those transposed products.
 */
export function fastBatchMatMulWasm(stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const attrs = params.attrs as Attrs;
    if (!attrs.transposeA && !attrs.transposeB) return stock(params) as tf.TensorInfo;
    const backend = params.backend as BackendWasm;
    let a = params.inputs.a as tf.TensorInfo;
    let b = params.inputs.b as tf.TensorInfo;
    const temps: tf.TensorInfo[] = [];
    if (attrs.transposeA) temps.push((a = transposeLastTwo(backend, a)));
    if (attrs.transposeB) temps.push((b = transposeLastTwo(backend, b)));
    const out = stock({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  };
}

/** wasm's `Unpack` slices once per output (50 ms for an LSTM's 200 steps); one copy pass instead. */
export function unpackWasm(params: KernelParams): tf.TensorInfo[] {
  const backend = params.backend as BackendWasm;
  const value = params.inputs.value as tf.TensorInfo;
  let axis = (params.attrs as Attrs).axis as number;
  if (axis < 0) axis += value.shape.length;
  const count = value.shape[axis];
  const outer = tf.util.sizeFromShape(value.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(value.shape.slice(axis + 1));
  const outShape = value.shape.filter((_, i) => i !== axis);
  const outs = Array.from({ length: count }, () => backend.makeOutput(outShape, value.dtype));
  const src = backend.typedArrayFromHeap(value);
  for (let k = 0; k < count; k++) {
    const dst = backend.typedArrayFromHeap(outs[k]);
    for (let o = 0; o < outer; o++) {
      const from = (o * count + k) * inner;
      dst.set(src.subarray(from, from + inner), o * inner);
    }
  }
  return outs;
}

/** wasm's `Identity` copies the buffer; sharing it (as cpu and wasm's own Reshape do) is enough. */
export function fastIdentityWasm(stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const backend = params.backend as BackendWasm;
    const x = params.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return stock(params) as tf.TensorInfo;
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
