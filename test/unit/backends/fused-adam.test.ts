import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer } from '../../../main/core/backends/fused-adam';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { makeOptimizer } from '../../../main/core/models/compile';
import { loadModelFromDir, saveModelToDir } from '../../../main/core/training/io-handlers';
import { onStockCpu, randomSource } from './kernel-check';

/**
 * FusedAdamOptimizer (one FusedAdam kernel per variable) against tfjs's AdamOptimizer: same
 * values, moments and step count after several steps, on wasm and cpu; its state saves, loads
 * and continues like tfjs's.
 */

const { floats } = randomSource(20250303);

/** Sizes: tiny, not a multiple of 4, and one that spans two of the kernel's blocks. */
const SHAPES = [[3], [7, 5], [64, 33], [1100, 64]];

interface Trace {
  values: Float32Array[];
  slots: Float32Array[];
  iterations: number;
}

/** Fresh variables holding `values` (the initial tensors are not kept). */
function variables(values: Float32Array[]): tf.Variable[] {
  return SHAPES.map((shape, i) => tf.tidy(() => tf.variable(tf.tensor(values[i], shape))));
}

/** Largest |a − b| over two lists of arrays of the same lengths. */
function largestDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    expect(x.length).toBe(b[i].length);
    for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k] - b[i][k]));
  });
  return worst;
}

/** Runs `steps` updates of `optimizer` on fresh variables with fixed gradients; returns where they end. */
async function train(optimizer: tf.Optimizer, steps: number, seedData: Float32Array[][]): Promise<Trace> {
  const [initial, ...gradients] = seedData;
  const vars = variables(initial);
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(gradients[s][i], SHAPES[i]) }))));
  }
  const slots = await optimizer.getWeights();
  const trace = {
    values: vars.map((v) => Float32Array.from(v.dataSync())),
    slots: slots.slice(1).map((w) => Float32Array.from(w.tensor.dataSync())),
    iterations: slots[0].tensor.dataSync()[0],
  };
  tf.dispose(slots[0].tensor);
  vars.forEach((v) => v.dispose());
  return trace;
}

function data(steps: number): Float32Array[][] {
  return Array.from({ length: steps + 1 }, () => SHAPES.map((shape) => floats(tf.util.sizeFromShape(shape))));
}

function expectSameTrace(a: Trace, b: Trace, tol: number) {
  expect(a.iterations).toBe(b.iterations);
  expect(a.slots.length).toBe(b.slots.length);
  expect(largestDifference([...a.values, ...a.slots], [...b.values, ...b.slots])).toBeLessThanOrEqual(tol);
}

beforeAll(async () => {
  prepareBackends();
  await switchBackend('wasm');
});

afterAll(async () => {
  await switchBackend('wasm');
});

describe('FusedAdamOptimizer', () => {
  it('is what the catalog compiles models with', () => {
    const optimizer = makeOptimizer({ optimizer: 'adam', learningRate: 0.01, momentum: 0.9 });
    expect(optimizer).toBeInstanceOf(FusedAdamOptimizer);
    expect(optimizer.getClassName()).toBe('Adam');
    optimizer.dispose();
  });

  it('ends where tf.train.adam ends after several steps, bit for bit, on wasm and cpu', async () => {
    const steps = 6;
    const seed = data(steps);
    const reference = await onStockCpu(() => train(tf.train.adam(0.01), steps, seed));
    for (const backend of ['wasm', 'cpu'] as const) {
      await switchBackend(backend);
      const before = tf.memory().numTensors;
      const fused = new FusedAdamOptimizer(0.01, 0.9, 0.999);
      const trace = await train(fused, steps, seed);
      fused.dispose();
      expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
      expectSameTrace(trace, reference, 0);
    }
  });

  it('follows other hyperparameters and skips a variable without a gradient, as tfjs does', async () => {
    const seed = data(3);
    const run = async (optimizer: tf.Optimizer) => {
      const vars = variables(seed[0]);
      for (let s = 1; s <= 3; s++) {
        // The first variable gets no gradient in step 2 (its moments stay, its value too).
        const grads = vars.map((v, i) => ({ name: v.name, tensor: s === 2 && i === 0 ? null : tf.tensor(seed[s][i], v.shape) }));
        tf.tidy(() => optimizer.applyGradients(grads as Parameters<tf.Optimizer['applyGradients']>[0]));
        tf.dispose(grads.map((g) => g.tensor).filter((t): t is tf.Tensor => t !== null));
      }
      const out = vars.map((v) => Float32Array.from(v.dataSync()));
      vars.forEach((v) => v.dispose());
      optimizer.dispose();
      return out;
    };
    const reference = await onStockCpu(() => run(tf.train.adam(0.003, 0.8, 0.99, 1e-4)));
    await switchBackend('wasm');
    expect(largestDifference(await run(new FusedAdamOptimizer(0.003, 0.8, 0.99, 1e-4)), reference)).toBe(0);
  });

  it("saves and restores its state like tfjs's Adam, across the two classes", async () => {
    const seed = data(4);
    await switchBackend('wasm');
    // Two steps, save the state, restore it into a fresh optimizer of the other class, two more.
    const continued = async (first: tf.Optimizer, second: tf.Optimizer) => {
      const vars = variables(seed[0]);
      const step = (opt: tf.Optimizer, s: number) => tf.tidy(() => opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(seed[s][i], SHAPES[i]) }))));
      step(first, 1);
      step(first, 2);
      const saved = await first.getWeights();
      await second.setWeights(saved.map((w) => ({ name: w.name, tensor: w.tensor.clone() })));
      tf.dispose(saved[0].tensor);
      step(second, 3);
      step(second, 4);
      const out = vars.map((v) => Float32Array.from(v.dataSync()));
      vars.forEach((v) => v.dispose());
      first.dispose();
      second.dispose();
      return out;
    };
    const a = await continued(new FusedAdamOptimizer(0.01, 0.9, 0.999), tf.train.adam(0.01));
    const b = await continued(tf.train.adam(0.01), new FusedAdamOptimizer(0.01, 0.9, 0.999));
    expect(largestDifference(a, b)).toBe(0);
  });

  it('comes back from a checkpoint as the fused optimizer, with its state', async () => {
    await switchBackend('wasm');
    const dir = await mkdtemp(join(tmpdir(), 'fused-adam-'));
    try {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: 'ones' })] });
      const optimizer = makeOptimizer({ optimizer: 'adam', learningRate: 0.01, momentum: 0.9 });
      model.compile({ optimizer, loss: 'meanSquaredError' });
      const x = tf.tensor2d(floats(8 * 4), [8, 4]);
      const y = tf.tensor2d(floats(8 * 3), [8, 3]);
      await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
      await saveModelToDir(model, dir, { includeOptimizer: true });
      const loaded = await loadModelFromDir(dir);
      expect(loaded.optimizer).toBeInstanceOf(FusedAdamOptimizer);
      expect(loaded.optimizer.iterations).toBe(4);
      // Both continue one more epoch identically.
      await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      await loaded.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      expect(largestDifference([Float32Array.from(loaded.getWeights()[0].dataSync())], [Float32Array.from(model.getWeights()[0].dataSync())])).toBe(0);
      tf.dispose([x, y]);
      model.dispose();
      loaded.dispose();
      optimizer.dispose();
      loaded.optimizer.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
