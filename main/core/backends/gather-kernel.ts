/**
 * `GatherV2` (the Embedding lookup) for wasm and cpu, float32 and int32, as plain row copies. wasm's kernel indexes
 * element by element through strides (16 ms for text-cnn's 32 × 200 lookups of 64 floats, a
 * quarter of its step); cpu's goes through TensorBuffer.get per element. Memory-bound: the copy
 * runs where the tensors lie.
 */
import * as tf from '@tensorflow/tfjs';
import type { Attrs, KernelParams } from './kernel-types';
import { tensorIO } from './tensor-io';

export function gatherKernel(backendName: 'wasm' | 'cpu', stock: tf.KernelFunc): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const x = params.inputs.x as tf.TensorInfo;
    const indices = params.inputs.indices as tf.TensorInfo;
    const attrs = params.attrs as Attrs;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return stock(params) as tf.TensorInfo;
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as tf.Tensor,
      indices as tf.Tensor,
      axis,
      (attrs.batchDims as number | undefined) ?? 0,
    );
    const { batchSize, outerSize, dimSize, sliceSize } = info;
    const io = tensorIO(params, backendName);
    const out = io.outputOf(info.outputShape, x.dtype);
    // Both dtypes are 4-byte words: copy them as Int32 so this loop sees one array type (a
    // polymorphic typed-array access is several times slower) and copies floats bit for bit.
    const asWords = (a: tf.TypedArray) => new Int32Array(a.buffer, a.byteOffset, a.length);
    const dst = asWords(out.values());
    const src = asWords(io.read(x));
    const ids = io.read(indices);
    const perBatch = ids.length / Math.max(1, batchSize);
    // On wasm, table and output share the heap: copyWithin moves a row natively. On cpu they are
    // separate arrays: a plain loop (a subarray per row would allocate thousands of views).
    const shared = dst.buffer === src.buffer;
    const heap = new Int32Array(dst.buffer);
    const dstBase = dst.byteOffset / 4;
    const srcBase = src.byteOffset / 4;
    let at = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let o = 0; o < outerSize; o++) {
        const block = (b * outerSize + o) * dimSize;
        for (let i = 0; i < perBatch; i++) {
          const id = ids[b * perBatch + i];
          // The stock kernels' check and message: an id outside the table is an error, not a zero row.
          if (!(id >= 0 && id <= dimSize - 1)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${dimSize - 1}]`);
          const from = (block + id) * sliceSize;
          if (shared) heap.copyWithin(dstBase + at, srcBase + from, srcBase + from + sliceSize);
          else for (let s = 0; s < sliceSize; s++) dst[at + s] = src[from + s];
          at += sliceSize;
        }
      }
    }
    return out.info();
  };
}
