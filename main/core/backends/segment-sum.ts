/**
 * `UnsortedSegmentSum`, the gradient of the Embedding lookup, for wasm (which lacks it) and cpu
 * (whose kernel loops over every segment, ~1000x too slow for a 10,000-word vocabulary): only the
 * rows that occur are touched. float32 on the SIMD kernel (native/kernels/reduce.c); other dtypes
 * in a plain loop.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelWorkspace } from '../native/kernel-workspace';
import type { Attrs, KernelParams } from './kernel-types';
import { tensorIO } from './tensor-io';

/** out[ids[r]] += x[r] row by row; ids outside [0, segments) are skipped, as tfjs's cpu kernel does. */
function segmentSumInto(out: tf.TypedArray, x: tf.TypedArray, ids: tf.TypedArray, rows: number, inner: number, segments: number): void {
  for (let r = 0; r < rows; r++) {
    const id = ids[r];
    if (id < 0 || id >= segments) continue;
    const src = r * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
}

export function unsortedSegmentSumKernel(backendName: 'wasm' | 'cpu'): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const x = params.inputs.x as tf.TensorInfo;
    const ids = params.inputs.segmentIds as tf.TensorInfo;
    const segments = (params.attrs as Attrs).numSegments as number;
    const rows = tf.util.sizeFromShape(ids.shape);
    const inner = tf.util.sizeFromShape(x.shape) / Math.max(rows, 1);
    const outShape = [segments, ...x.shape.slice(ids.shape.length)];
    const io = tensorIO(params, backendName);
    if (x.dtype !== 'float32') {
      const out = io.outputOf(outShape, x.dtype === 'bool' ? 'int32' : (x.dtype as 'int32'));
      const values = out.values();
      values.fill(0);
      segmentSumInto(values, io.read(x), io.read(ids), rows, inner, segments);
      return out.info();
    }
    const out = io.output(outShape);
    const ws = kernelWorkspace('reduce');
    ws.reset();
    const xAt = ws.alloc(rows * inner);
    ws.f32(xAt, rows * inner).set(io.read(x).subarray(0, rows * inner));
    const idsAt = ws.alloc(rows);
    ws.i32(idsAt, rows).set(io.read(ids).subarray(0, rows));
    const outAt = ws.alloc(segments * inner);
    ws.fn('segment_sum')(xAt, idsAt, rows, inner, segments, outAt);
    out.values().set(ws.f32(outAt, segments * inner));
    return out.info();
  };
}
