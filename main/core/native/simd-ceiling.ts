/**
 * This machine's WebAssembly SIMD ceiling: GFLOP/s of a tight f32x4 multiply-add loop on
 * registers (native/kernels/simd-ceiling.c), on one thread and on every core at once. Kernel
 * efficiency is reported as a fraction of it.
 */
import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { instantiateKernels, kernelModule, sharedKernelMemory } from './kernel-module';

/** Floating-point operations in one round of each loop (see the C source). */
const FLOPS_PER_ROUND = { simd_madd_loop: 96, scalar_madd_loop: 24 } as const;
type Loop = keyof typeof FLOPS_PER_ROUND;

export interface SimdCeiling {
  /** One thread, f32x4 multiply-add loop. */
  simdGflops: number;
  /** One thread, the same loop on scalars. */
  scalarGflops: number;
  /** Every core running the SIMD loop at once (sum over threads). */
  allCoresGflops: number;
  threads: number;
}

/** Best GFLOP/s of `loop` over a few timed runs of about `ms` each. */
function timeLoop(run: (rounds: number) => number, loop: Loop, ms: number): number {
  run(100_000);
  let rounds = 1_000_000;
  let best = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    run(rounds);
    const seconds = (performance.now() - t) / 1000;
    best = Math.max(best, (rounds * FLOPS_PER_ROUND[loop]) / seconds / 1e9);
    rounds = Math.max(100_000, Math.round((rounds * (ms / 1000)) / Math.max(seconds, 1e-4)));
  }
  return best;
}

function localLoop(loop: Loop): (rounds: number) => number {
  const { exports } = instantiateKernels(kernelModule('simd-ceiling'), sharedKernelMemory());
  return exports[loop] as (rounds: number) => number;
}

/**
 * The SIMD loop in `threads` worker threads started together; each gets its own instance (the
 * loop touches no memory). Returns the summed GFLOP/s.
 */
async function allCores(threads: number, ms: number): Promise<number> {
  const module = kernelModule('simd-ceiling');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 32768, shared: true });
    const run = new WebAssembly.Instance(workerData.module, { env: { memory } }).exports.simd_madd_loop;
    run(100000);
    const rounds = workerData.rounds;
    const t = performance.now();
    run(rounds);
    parentPort.postMessage((rounds * ${FLOPS_PER_ROUND.simd_madd_loop}) / ((performance.now() - t) / 1000) / 1e9);`;
  const rounds = Math.round((timeLoop(localLoop('simd_madd_loop'), 'simd_madd_loop', ms / 4) * 1e9 * (ms / 1000)) / FLOPS_PER_ROUND.simd_madd_loop);
  const results = await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(source, { eval: true, workerData: { module, rounds } });
      return new Promise<number>((resolve, reject) => {
        worker.once('message', (gflops: number) => void worker.terminate().then(() => resolve(gflops)));
        worker.once('error', reject);
      });
    }),
  );
  return results.reduce((a, b) => a + b, 0);
}

export async function measureSimdCeiling(ms = 300): Promise<SimdCeiling> {
  const threads = cpus().length;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    simdGflops: round(timeLoop(localLoop('simd_madd_loop'), 'simd_madd_loop', ms)),
    scalarGflops: round(timeLoop(localLoop('scalar_madd_loop'), 'scalar_madd_loop', ms)),
    allCoresGflops: round(await allCores(threads, ms)),
    threads,
  };
}
