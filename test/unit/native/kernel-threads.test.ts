import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { closeKernelThreads, kernelThreads, type KernelThreads } from '../../../main/core/native/kernel-threads';
import { kernelWorkspace } from '../../../main/core/native/kernel-workspace';

/**
 * The two-thread runner on the rnn module's matrix product (gemm_nn_bench: C = A·B, row-major):
 * both halves compute, errors on either thread come back as exceptions (never a hang), and the
 * helper ends with the thread that started it.
 */

const ws = kernelWorkspace('rnn');

/** Allocates A [m×k], B [k×n] and two C's; returns byte offsets and the expected product. */
function problem(m: number, n: number, k: number) {
  ws.reset();
  const a = ws.alloc(m * k);
  const b = ws.alloc(k * n);
  const c0 = ws.alloc(m * n);
  const c1 = ws.alloc(m * n);
  const av = ws.f32(a, m * k);
  const bv = ws.f32(b, k * n);
  av.forEach((_, i) => (av[i] = Math.sin(i)));
  bv.forEach((_, i) => (bv[i] = Math.cos(i)));
  const expected = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) expected[i * n + j] += av[i * k + p] * bv[p * n + j];
  return { a, b, c0, c1, expected };
}

/**
 * Runs until the helper (not the calling thread) has run a half, so that path is what is tested:
 * a half the helper has not picked up by the time the caller is done with its own is taken back,
 * which is what happens while the helper thread is still starting.
 */
async function onHelper(threads: KernelThreads, run: () => void): Promise<unknown> {
  const before = threads.helperRuns;
  let failure: unknown = null;
  for (let i = 0; i < 200 && threads.helperRuns === before; i++) {
    try {
      run();
    } catch (error) {
      failure = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(threads.helperRuns).toBeGreaterThan(before);
  return failure;
}

/** Repetitions that keep each half busy for about a millisecond, time for the helper to wake. */
const REPS = 400;

function closeTo(actual: Float32Array, expected: Float32Array): void {
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-4 * (1 + Math.abs(expected[i])));
}

afterAll(async () => {
  await closeKernelThreads();
});

describe('kernel threads', () => {
  it('runs one half here and one on the helper, both correct', async () => {
    const threads = kernelThreads(ws);
    expect(threads.threads).toBe(2);
    const { a, b, c0, c1, expected } = problem(12, 24, 40);
    await onHelper(threads, () => threads.run('gemm_nn_bench', [[12, 24, 40, a, b, c0, REPS], [12, 24, 40, a, b, c1, REPS]]));
    closeTo(ws.f32(c0, 12 * 24), expected);
    closeTo(ws.f32(c1, 12 * 24), expected);
  });

  it('rethrows a trap in a part, from either thread, and keeps working', async () => {
    const threads = kernelThreads(ws);
    const { a, b, c0, c1, expected } = problem(16, 16, 16);
    const outOfBounds = 0x7fff0000;
    // The caller takes the first part; the helper, woken meanwhile, the second (the trap).
    let fromHelper = '';
    for (let i = 0; i < 200 && !fromHelper; i++) {
      expect(() => threads.run('gemm_nn_bench', [[16, 16, 16, a, b, c0, REPS], [16, 16, 16, a, b, outOfBounds, 1]])).toThrow(/out of bounds/);
      try {
        threads.run('gemm_nn_bench', [[16, 16, 16, a, b, c0, REPS], [16, 16, 16, a, b, outOfBounds, 1]]);
      } catch (error) {
        if (/helper thread/.test(String(error))) fromHelper = String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(fromHelper).toMatch(/helper thread.*out of bounds/s);
    // A trap in the caller's part: the same, once the helper is out of the call.
    expect(() => threads.run('gemm_nn_bench', [[16, 16, 16, a, b, outOfBounds, 1], [16, 16, 16, a, b, c1, REPS]])).toThrow(/out of bounds/);
    // Both threads still work afterwards.
    await onHelper(threads, () => threads.run('gemm_nn_bench', [[16, 16, 16, a, b, c0, REPS], [16, 16, 16, a, b, c1, REPS]]));
    closeTo(ws.f32(c0, 256), expected);
    closeTo(ws.f32(c1, 256), expected);
    expect(threads.threads).toBe(2);
  });

  it('refuses a float argument instead of truncating it on the way to the helper', () => {
    const threads = kernelThreads(ws);
    const { a, b, c0, c1 } = problem(4, 4, 4);
    expect(() => threads.run('gemm_nn_bench', [[4, 4, 4, a, b, c0, 1.5], [4, 4, 4, a, b, c1, 1]])).toThrow(/32-bit integers/);
  });

  it('shares many parts between the threads, each run once', async () => {
    const threads = kernelThreads(ws);
    const { a, b, expected } = problem(8, 8, 8);
    ws.alloc(0);
    const outs = Array.from({ length: 12 }, () => ws.alloc(64));
    await onHelper(threads, () => {
      for (const c of outs) ws.f32(c, 64).fill(0);
      threads.run('gemm_nn_bench', outs.map((c) => [8, 8, 8, a, b, c, REPS / 4]));
    });
    for (const c of outs) closeTo(ws.f32(c, 64), expected);
  });

  // Threads of this process, from /proc (Linux): the helper is an OS thread while it lives.
  const threadCount = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

  it.skipIf(!existsSync('/proc/self/status'))('ends the helper when the thread that started it exits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kernel-threads-'));
    try {
      // A stand-in for the compute worker: runs one two-thread call, then exits.
      const entry = join(dir, 'entry.mts');
      const threadsUrl = pathToFileURL(join(process.cwd(), 'main/core/native/kernel-threads.ts')).href;
      const workspaceUrl = pathToFileURL(join(process.cwd(), 'main/core/native/kernel-workspace.ts')).href;
      await writeFile(
        entry,
        `import { parentPort } from 'node:worker_threads';
         import { kernelThreads } from '${threadsUrl}';
         import { kernelWorkspace } from '${workspaceUrl}';
         const ws = kernelWorkspace('rnn');
         const threads = kernelThreads(ws);
         const a = ws.alloc(64), b = ws.alloc(64), c = ws.alloc(128);
         let i = 0;
         while (threads.helperRuns === 0 && i++ < 2000) {
           threads.run('gemm_nn_bench', [[8, 8, 8, a, b, c, ${REPS}], [8, 8, 8, a, b, c + 256, ${REPS}]]);
           await new Promise((r) => setTimeout(r, 5));
         }
         parentPort.postMessage(threads.helperRuns);
         await new Promise((r) => setTimeout(r, 100000));`,
      );
      const before = threadCount();
      const worker = new Worker(new URL('../../../main/workers/tsx-worker-bootstrap.mjs', import.meta.url), { workerData: { entry: pathToFileURL(entry).href } });
      const helperRuns = await new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(helperRuns).toBeGreaterThan(0);
      const during = threadCount();
      expect(during).toBeGreaterThanOrEqual(before + 2); // the stand-in and its helper
      await worker.terminate();
      let after = threadCount();
      for (let i = 0; i < 50 && after > before; i++) {
        await new Promise((r) => setTimeout(r, 20));
        after = threadCount();
      }
      expect(after).toBeLessThanOrEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
