/**
 * Kernels that training needs and the stock backends lack or run too slowly (STACK-NOTES):
 * - wasm has no `UnsortedSegmentSum` (the gradient of Embedding) and no `Conv2DBackpropFilter`
 *   (the filter gradient of Conv1D/Conv2D), so text models and CNNs cannot train on it;
 * - cpu's `UnsortedSegmentSum` loops over every segment (every vocabulary row) and is ~1000x
 *   too slow for a 10,000-word Embedding; its `Conv2DBackpropFilter` takes ~18 s per text-cnn batch;
 * - wasm's transposed `BatchMatMul`, `Conv2DBackpropInput`, `Unpack` and `Identity` are slow
 *   paths that LSTM and CNN backprop hit thousands of times per batch; faster versions here.
 * Register them once per process with `registerTrainingKernels()` before the first fit.
 * Every one is checked against the cpu backend's stock kernel in test/unit/training/kernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterCpu, conv2DBackpropFilterWasm, fastConv2DBackpropInputWasm } from './conv-kernels';
import type { Attrs, CpuBackendLike, KernelParams } from './kernel-types';
import { fastBatchMatMulWasm, fastIdentityWasm, unpackWasm } from './wasm-speed-kernels';

/**
 * Adds `x[i]` into row `segmentIds[i]` of `out`. Only the rows that occur are touched; ids
 * outside [0, numSegments) are skipped, as the cpu reference kernel does.
 */
function segmentSumInto(
  out: tf.TypedArray,
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  rows: number,
  inner: number,
  numSegments: number,
): void {
  for (let i = 0; i < rows; i++) {
    const id = ids[i];
    if (id < 0 || id >= numSegments) continue;
    const src = i * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
}

function segmentArgs({ inputs, attrs }: KernelParams): { x: tf.TensorInfo; ids: tf.TensorInfo; numSegments: number; rows: number; inner: number } {
  const x = inputs.x as tf.TensorInfo;
  const ids = inputs.segmentIds as tf.TensorInfo;
  const numSegments = (attrs as Attrs).numSegments as number;
  const rows = ids.shape.reduce((a, b) => a * b, 1);
  const inner = tf.util.sizeFromShape(x.shape) / Math.max(rows, 1);
  return { x, ids, numSegments, rows, inner };
}

/** `UnsortedSegmentSum` for the wasm backend: reads and writes the wasm heap directly. */
export function unsortedSegmentSumWasm(params: KernelParams): tf.TensorInfo {
  const backend = params.backend as BackendWasm;
  const { x, ids, numSegments, rows, inner } = segmentArgs(params);
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Views are taken after the allocation: growing the wasm memory detaches older views.
  const outVals = backend.typedArrayFromHeap(out);
  outVals.fill(0);
  segmentSumInto(outVals, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(ids), rows, inner, numSegments);
  return out;
}

/** `UnsortedSegmentSum` for the cpu backend, O(rows × width) instead of O(segments × rows × width). */
export function unsortedSegmentSumCpu(params: KernelParams): tf.TensorInfo {
  const backend = params.backend as CpuBackendLike;
  const { x, ids, numSegments, rows, inner } = segmentArgs(params);
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  segmentSumInto(out, backend.readSync(x.dataId) as tf.TypedArray, backend.readSync(ids.dataId) as tf.TypedArray, rows, inner, numSegments);
  return backend.makeTensorInfo(outShape, x.dtype, out);
}

let registered = false;
const stockKernels = new Map<string, tf.KernelConfig>();

/**
 * The kernel a backend shipped with, before `registerTrainingKernels()` replaced it (tests compare
 * against cpu's reference implementation). Undefined when the backend had none.
 */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stockKernels.get(`${backendName}/${kernelName}`) ?? (registered ? undefined : tf.getKernel(kernelName, backendName));
}

/**
 * Registers the kernels above (replacing stock ones, which `stockKernel` keeps). Idempotent. Call
 * it after importing `@tensorflow/tfjs-backend-wasm` (which registers the wasm backend's kernels).
 */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const put = (kernelName: string, backendName: string, kernelFunc: (p: KernelParams) => tf.TensorInfo | tf.TensorInfo[]) => {
    // Replacing a stock kernel: unregister first, or tfjs warns and keeps a stale setup.
    const stock = tf.getKernel(kernelName, backendName);
    if (stock) {
      stockKernels.set(`${backendName}/${kernelName}`, stock);
      tf.unregisterKernel(kernelName, backendName);
    }
    // Keep the stock setup: it binds the wasm function our wrapper may still call.
    tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as tf.KernelFunc, setupFunc: stock?.setupFunc });
  };
  put('UnsortedSegmentSum', 'wasm', unsortedSegmentSumWasm);
  put('Conv2DBackpropFilter', 'wasm', conv2DBackpropFilterWasm);
  put('UnsortedSegmentSum', 'cpu', unsortedSegmentSumCpu);
  put('Conv2DBackpropFilter', 'cpu', conv2DBackpropFilterCpu);
  const stockBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (stockBackpropInput) put('Conv2DBackpropInput', 'wasm', fastConv2DBackpropInputWasm(stockBackpropInput.kernelFunc));
  const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
  if (stockMatMul) put('BatchMatMul', 'wasm', fastBatchMatMulWasm(stockMatMul.kernelFunc));
  put('Unpack', 'wasm', unpackWasm);
  const stockIdentity = tf.getKernel('Identity', 'wasm');
  if (stockIdentity) put('Identity', 'wasm', fastIdentityWasm(stockIdentity.kernelFunc));
}
