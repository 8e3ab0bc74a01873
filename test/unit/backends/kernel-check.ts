/**
 * Checking hand-written kernels against tfjs's stock cpu kernels: run the same tensor program on
 * a backend, or on cpu with every replaced kernel swapped back for its stock version, and compare.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { ourKernels, stockKernel } from '../../../main/core/backends/wasm-kernels';
import { createRng } from '../../../main/core/data/prng';

export interface Values {
  shape: number[];
  values: Float32Array;
}

/** Seeded random integers in [lo, hi] and floats in [-1, 1). */
export function randomSource(seed: number) {
  const rng = createRng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const floats = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);
  return { rng, int, floats };
}

/** Runs `fn` on a backend and returns plain arrays (so nothing outlives the backend switch). */
export async function on(backend: 'wasm' | 'cpu', fn: () => tf.Tensor | tf.Tensor[]): Promise<Values[]> {
  await switchBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const result = list.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) }));
  tf.dispose(list);
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  return result;
}

/**
 * Runs `fn` with tfjs's own cpu path: every kernel we registered on cpu taken out and the stock
 * one put back (gradients and the optimizer fall back to tfjs's math when our kernels are absent).
 */
export async function onStockCpu<T>(fn: () => T | Promise<T>): Promise<T> {
  await switchBackend('cpu');
  const names = ourKernels('cpu');
  const ours = names.map((name) => tf.getKernel(name, 'cpu'));
  for (const name of names) {
    tf.unregisterKernel(name, 'cpu');
    const stock = stockKernel(name, 'cpu');
    if (stock) tf.registerKernel(stock);
  }
  try {
    return await fn();
  } finally {
    for (const [i, name] of names.entries()) {
      if (tf.getKernel(name, 'cpu')) tf.unregisterKernel(name, 'cpu');
      tf.registerKernel(ours[i]);
    }
  }
}

/** Largest |a − e| / (1 + |e|) over all values (NaN where both are NaN counts as equal, else as infinitely off). */
export function worstError(actual: Values[], expected: Values[]): number {
  let worst = 0;
  actual.forEach((a, i) => {
    for (let k = 0; k < a.values.length; k++) {
      const [v, e] = [a.values[k], expected[i].values[k]];
      if (Number.isNaN(v) || Number.isNaN(e)) worst = Number.isNaN(v) && Number.isNaN(e) ? worst : Infinity;
      else worst = Math.max(worst, Math.abs(v - e) / (1 + Math.abs(e)));
    }
  });
  return worst;
}

export function expectClose(actual: Values[], expected: Values[], tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a.shape).toEqual(expected[i].shape));
  expect(worstError(actual, expected)).toBeLessThanOrEqual(tol);
}
