/**
 * The fused recurrent kernels (native/kernels/rnn.c) against this machine's WebAssembly SIMD
 * ceiling: GFLOP/s of the matrix-product micro-kernel at the shapes the LSTM uses, and of whole
 * LSTM/GRU layer calls (the seed shapes: batch 32, 200 steps, width 32; LSTM 64 units, GRU 32) on
 * one thread and on two, with and without tfjs around them (copies in and out of the kernel
 * memory). Best of several runs, so other load on the machine shows as little as possible.
 * FLOPs count the matrix products only (2·m·n·k): the gates' exp/tanh are extra work on top.
 * Run: npm run bench -- fused-rnn
 */
import * as tf from '@tensorflow/tfjs';
import { fusedRnn, fusedRnnTimings } from '../../main/core/backends/fused-rnn-kernels';
import { registerFusedRnn } from '../../main/core/backends/fused-rnn-layers';
import { prepareBackends, switchBackend } from '../../main/core/backends/tf-setup';
import { closeKernelThreads, kernelThreads, useOneKernelThread } from '../../main/core/native/kernel-threads';
import { kernelWorkspace } from '../../main/core/native/kernel-workspace';
import { measureSimdCeiling } from '../../main/core/native/simd-ceiling';

const ceiling = await measureSimdCeiling(300);
const perCore = ceiling.simdGflops;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const print = (line: object) => process.stdout.write(JSON.stringify({ bench: 'fused-rnn', ...line }) + '\n');

/** Best milliseconds of `fn` over `runs` runs (after one warm-up). */
function best(fn: () => void, runs: number): number {
  fn();
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

// The micro-kernel: C = A·B (or Aᵀ·B) at the LSTM's shapes, one thread.
const ws = kernelWorkspace('rnn');
const gemms = [
  { what: 'recurrent step h·U (half batch)', fn: 'gemm_nn_bench', m: 16, n: 256, k: 64, reps: 200 },
  { what: 'input projection x·W (half batch, all steps)', fn: 'gemm_nn_bench', m: 3200, n: 256, k: 32, reps: 2 },
  { what: 'dX = dZ·Wᵀ (half batch, all steps)', fn: 'gemm_nn_bench', m: 3200, n: 32, k: 256, reps: 2 },
  { what: 'dW,dU = [x|h]ᵀ·dZ (half batch)', fn: 'gemm_tn_bench', m: 96, n: 256, k: 3200, reps: 2 },
];
for (const g of gemms) {
  ws.reset();
  const a = ws.alloc(g.m * g.k);
  const b = ws.alloc(g.k * g.n);
  const c = ws.alloc(g.m * g.n);
  ws.f32(a, g.m * g.k).fill(0.5);
  ws.f32(b, g.k * g.n).fill(0.25);
  const ms = best(() => ws.fn(g.fn)(g.m, g.n, g.k, a, b, c, g.reps), 20);
  const gflops = (2 * g.m * g.n * g.k * g.reps) / ms / 1e6;
  print({ kernel: 'gemm 4x8', shape: `${g.m}x${g.n}x${g.k}`, what: g.what, gflops: round(gflops), ofCeiling: round(gflops / perCore, 2) });
}

// Whole layers through tfjs, on wasm.
prepareBackends();
registerFusedRnn();
await switchBackend('wasm');
const threads = kernelThreads(ws);
for (const cell of ['lstm', 'gru'] as const) {
  const [batch, steps, width, units] = [32, 200, 32, cell === 'lstm' ? 64 : 32];
  const gates = (cell === 'lstm' ? 4 : 3) * units;
  const x = tf.randomNormal([batch, steps, width]);
  const w = tf.randomNormal([width, gates], 0, 0.2);
  const u = tf.randomNormal([units, gates], 0, 0.2);
  const b = tf.zeros([gates]);
  const forwardFlops = 2 * batch * steps * gates * (width + units);
  const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor) => fusedRnn(cell, xx, ww, uu, bb, { goBackwards: false, returnSequences: false }).sum());
  for (const count of [1, 2]) {
    useOneKernelThread(count === 1);
    const forward = best(() => tf.tidy(() => fusedRnn(cell, x, w, u, b, { goBackwards: false, returnSequences: false })).dispose(), 10);
    // Kernel time alone (no copies) from the wrapper's timings: best forward and backward run.
    let runForward = Infinity;
    let runBackward = Infinity;
    const both = best(() => {
      fusedRnnTimings(true);
      tf.dispose(grads([x, w, u, b]));
      const t = fusedRnnTimings(true);
      runForward = Math.min(runForward, t[cell].forward.runMs);
      runBackward = Math.min(runBackward, t[cell].backward.runMs);
    }, 10);
    const capacity = perCore * count;
    print({
      kernel: `${cell} layer`,
      shape: `batch ${batch}, ${steps} steps, width ${width}, ${units} units`,
      threads: count,
      helperRuns: threads.helperRuns,
      forwardMs: round(forward, 2),
      forwardAndBackwardMs: round(both, 2),
      forwardKernelGflops: round(forwardFlops / runForward / 1e6),
      forwardOfCeiling: round(forwardFlops / runForward / 1e6 / capacity, 2),
      backwardKernelGflops: round((2 * forwardFlops) / runBackward / 1e6),
      backwardOfCeiling: round((2 * forwardFlops) / runBackward / 1e6 / capacity, 2),
      layerGflops: round((3 * forwardFlops) / both / 1e6),
      layerOfCeiling: round((3 * forwardFlops) / both / 1e6 / capacity, 2),
    });
  }
  tf.dispose([x, w, u, b]);
}
print({ kernel: 'simd ceiling', gflopsPerCore: round(perCore), allCoresGflops: round(ceiling.allCoresGflops) });
await closeKernelThreads();
