/**
 * Kernels that make the text models train fast on the wasm and cpu rungs (a per-kernel profile
 * of a text-cnn step on wasm: max-pool gradient 26 ms, filter gradient 17, Embedding lookup 16,
 * input gradient 14, convolution 9, Adam ~8, of ~90 ms): the convolution and its gradients on
 * SIMD kernels, the global max pool and its gradient, the Embedding lookup, and Adam in one
 * kernel per variable (and the reductions of text-bow's average pool and of the bias gradients,
 * and on cpu the per-element costs of elementwise-kernels.ts). Each replaces a stock kernel only for the
 * cases it covers.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterSimd, conv2DBackpropInputSimd, conv2DSimd } from './conv-simd';
import { FUSED_ADAM, FusedAdamOptimizer, fusedAdamKernel } from './fused-adam';
import { gatherKernel } from './gather-kernel';
import { broadcastBinaryCpu, transposeKernel, unaryCpu } from './elementwise-kernels';
import { unsortedSegmentSumKernel } from './segment-sum';
import { maxKernel, meanKernel, REDUCE_MAX_GRAD, REDUCE_MEAN_GRAD, reduceMaxGradKernel, reduceMeanGradKernel, registerReduceGradients, sumKernel } from './reduce-kernels';
import type { PutKernel } from './wasm-kernels';

export function registerFastKernels(put: PutKernel): void {
  for (const backendName of ['wasm', 'cpu'] as const) {
    put('UnsortedSegmentSum', backendName, unsortedSegmentSumKernel(backendName));
    const stock = (kernelName: string) => tf.getKernel(kernelName, backendName)?.kernelFunc;
    const conv = stock('Conv2D');
    if (conv) put('Conv2D', backendName, conv2DSimd(backendName, conv));
    const backpropInput = stock('Conv2DBackpropInput');
    if (backpropInput) put('Conv2DBackpropInput', backendName, conv2DBackpropInputSimd(backendName, backpropInput));
    // wasm has no filter gradient at all: ours is the only one there.
    put('Conv2DBackpropFilter', backendName, conv2DBackpropFilterSimd(backendName, stock('Conv2DBackpropFilter')));
    for (const [kernelName, make] of [
      ['Max', maxKernel],
      ['Sum', sumKernel],
      ['Mean', meanKernel],
    ] as const) {
      const reduce = stock(kernelName);
      if (reduce) put(kernelName, backendName, make(backendName, reduce));
    }
    put(REDUCE_MAX_GRAD, backendName, reduceMaxGradKernel(backendName));
    put(REDUCE_MEAN_GRAD, backendName, reduceMeanGradKernel(backendName));
    const gather = stock('GatherV2');
    if (gather) put('GatherV2', backendName, gatherKernel(backendName, gather));
    put(FUSED_ADAM, backendName, fusedAdamKernel(backendName));
    const transpose = stock('Transpose');
    if (transpose) put('Transpose', backendName, transposeKernel(transpose));
  }
  for (const [kernelName, op] of [
    ['Add', 'add'],
    ['Sub', 'sub'],
    ['Multiply', 'mul'],
    ['RealDiv', 'div'],
  ] as const) {
    const stock = tf.getKernel(kernelName, 'cpu')?.kernelFunc;
    if (stock) put(kernelName, 'cpu', broadcastBinaryCpu(op, stock));
  }
  for (const [kernelName, kind] of [
    ['Relu', 'relu'],
    ['Step', 'step'],
  ] as const) {
    const stock = tf.getKernel(kernelName, 'cpu')?.kernelFunc;
    if (stock) put(kernelName, 'cpu', unaryCpu(kind, stock));
  }
  registerReduceGradients();
  // A checkpoint's optimizer is rebuilt by class name ('Adam'): make that the fused one too.
  tf.serialization.registerClass(FusedAdamOptimizer);
}
