/**
 * Kernels that training needs and the stock backends lack or run too slowly (STACK-NOTES):
 * - wasm has no `UnsortedSegmentSum` (the gradient of Embedding) and no `Conv2DBackpropFilter`
 *   (the filter gradient of Conv1D/Conv2D), so text models and CNNs cannot train on it;
 * - cpu's `UnsortedSegmentSum` loops over every segment (every vocabulary row) and is ~1000x
 *   too slow for a 10,000-word Embedding; its `Conv2DBackpropFilter` takes ~18 s per text-cnn batch;
 * - wasm's transposed `BatchMatMul`, `Unpack` and `Identity` are slow paths that LSTM backprop
 *   hits thousands of times per batch; faster versions here;
 * - the text models' convolution, pools, Embedding lookup and gradient, and Adam take most of a
 *   step on the stock kernels: SIMD kernels in fast-kernels.ts.
 * Register them once per process with `registerTrainingKernels()` before the first fit.
 * Every one is checked against the cpu backend's stock kernel in test/unit/training/kernels.test.ts
 * and test/unit/backends/.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFastKernels } from './fast-kernels';
import { registerFusedRnn } from './fused-rnn-layers';
import type { KernelParams } from './kernel-types';
import { fastBatchMatMulWasm, fastIdentityWasm, unpackWasm } from './wasm-speed-kernels';

let registered = false;
const stockKernels = new Map<string, tf.KernelConfig>();
const ours = new Set<string>();

/**
 * The kernel a backend shipped with, before `registerTrainingKernels()` replaced it (tests compare
 * against cpu's reference implementation). Undefined when the backend had none.
 */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return stockKernels.get(`${backendName}/${kernelName}`) ?? (registered ? undefined : tf.getKernel(kernelName, backendName));
}

/**
 * The kernels `registerTrainingKernels()` registered on a backend, replacements and new ones
 * (tests take them all out, putting stock ones back, to run tfjs's reference path).
 */
export function ourKernels(backendName: string): string[] {
  const prefix = `${backendName}/`;
  return [...ours].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}

/** Registers `kernelFunc` as `kernelName` on a backend, keeping the stock kernel it replaces. */
export type PutKernel = (kernelName: string, backendName: string, kernelFunc: (p: KernelParams) => tf.TensorInfo | tf.TensorInfo[]) => void;

/**
 * Registers the kernels above (replacing stock ones, which `stockKernel` keeps). Idempotent. Call
 * it after importing `@tensorflow/tfjs-backend-wasm` (which registers the wasm backend's kernels).
 */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const put: PutKernel = (kernelName, backendName, kernelFunc) => {
    ours.add(`${backendName}/${kernelName}`);
    // Replacing a stock kernel: unregister first, or tfjs warns and keeps a stale setup.
    const stock = tf.getKernel(kernelName, backendName);
    if (stock) {
      stockKernels.set(`${backendName}/${kernelName}`, stock);
      tf.unregisterKernel(kernelName, backendName);
    }
    // Keep the stock setup: it binds the wasm function our wrapper may still call.
    tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc as tf.KernelFunc, setupFunc: stock?.setupFunc });
  };
  // The Embedding gradient, convolutions, pools, the Embedding lookup and Adam (fast-kernels.ts).
  registerFastKernels(put);
  const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
  if (stockMatMul) put('BatchMatMul', 'wasm', fastBatchMatMulWasm(stockMatMul.kernelFunc));
  put('Unpack', 'wasm', unpackWasm);
  const stockIdentity = tf.getKernel('Identity', 'wasm');
  if (stockIdentity) put('Identity', 'wasm', fastIdentityWasm(stockIdentity.kernelFunc));
  // Whole LSTM/GRU layers in one kernel each way, and the layers that use them (fused-rnn-*.ts).
  registerFusedRnn();
}
