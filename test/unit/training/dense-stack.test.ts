/**
 * The dense-stack engine against tfjs's own training (the reference path): same model, same
 * starting weights, same batches → the same loss curve, metrics, weights and optimizer slots.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { getModel } from '../../../main/core/models/catalog';
import { compileModel } from '../../../main/core/models/compile';
import { resolveHyperparameters } from '../../../main/core/models/layers-util';
import type { ModelBuildSpec, OutputKind } from '../../../main/core/models/types';
import { createRng } from '../../../main/core/data/prng';
import { kernelThreads, useOneKernelThread } from '../../../main/core/native/kernel-threads';
import { kernelWorkspace } from '../../../main/core/native/kernel-workspace';
import { DenseStackEngine, denseStackShape } from '../../../main/core/training/dense-stack';

beforeAll(async () => {
  prepareBackends();
  await switchBackend('cpu');
});

interface Setup {
  model: 'tabular-mlp' | 'tabular-linear';
  kind: OutputKind;
  classes: number;
  optimizer: 'adam' | 'sgd';
  l1?: number;
  l2?: number;
  hyperparameters?: Record<string, number>;
}

const WIDTH = 7;

function build(s: Setup, dropout = 0): { model: tf.LayersModel; optimizer: tf.Optimizer } {
  const definition = getModel(s.model);
  const spec: ModelBuildSpec = {
    input: { kind: 'features', width: WIDTH },
    output: { kind: s.kind, classes: s.classes },
    hyperparameters: resolveHyperparameters(definition.entry.hyperparameters, s.hyperparameters ?? {}),
    dropout,
    l1: s.l1 ?? 0,
    l2: s.l2 ?? 0,
    seed: 5,
  };
  const model = definition.build(spec);
  const optimizer = compileModel(model, s.kind, { optimizer: s.optimizer, learningRate: 0.01, momentum: 0.9 });
  return { model, optimizer };
}

/** Rows whose label depends on the features, so the loss really moves. */
function batches(s: Setup, count: number, rows: number) {
  const rng = createRng(11);
  const outputs = s.kind === 'multiclass' ? s.classes : 1;
  return Array.from({ length: count }, () => {
    const x = new Float32Array(rows * WIDTH).map(() => rng() * 2 - 1);
    const y = new Float32Array(rows * outputs);
    for (let r = 0; r < rows; r++) {
      const score = x[r * WIDTH] + 0.5 * x[r * WIDTH + 1] - x[r * WIDTH + 2];
      if (s.kind === 'binary') y[r] = score > 0 ? 1 : 0;
      else if (s.kind === 'regression') y[r] = score * 3 + 1;
      else y[r * outputs + (score > 0.4 ? 0 : score < -0.4 ? 1 : 2)] = 1;
    }
    return { x, y, rows };
  });
}

const closeArrays = (a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThan(tolerance);
};

const setups: Setup[] = [
  { model: 'tabular-mlp', kind: 'binary', classes: 2, optimizer: 'adam' },
  { model: 'tabular-mlp', kind: 'multiclass', classes: 3, optimizer: 'adam', l2: 0.01 },
  { model: 'tabular-mlp', kind: 'regression', classes: 0, optimizer: 'sgd', l1: 0.001, hyperparameters: { hiddenLayers: 3, units: 13 } },
  { model: 'tabular-linear', kind: 'multiclass', classes: 4, optimizer: 'sgd' },
  { model: 'tabular-linear', kind: 'binary', classes: 2, optimizer: 'adam', l2: 0.001 },
];

describe('dense-stack engine', () => {
  it.each(setups)('matches tfjs training step by step: $model $kind $optimizer', (s) => matchesTfjs(s, 19));

  // 200 rows: each step in four parts on both kernel threads, gradients summed in part order.
  // Adam divides by the gradient's root mean square, so a weight whose gradient is nearly zero
  // moves by a full step either way: over a sum of 200 rows, rounding (tfjs's as much as ours)
  // then shows in single weights (2e-3, the same without the split) while the loss matches.
  it.each([
    { s: setups[1], tolerance: 5e-3 },
    { s: { ...setups[2], hyperparameters: { hiddenLayers: 3, units: 64 } }, tolerance: 2e-4 },
    { s: { ...setups[0], optimizer: 'sgd', l2: 0.01 } as Setup, tolerance: 2e-4 },
  ])('matches tfjs with batches shared by both threads: $s.model $s.kind $s.optimizer', ({ s, tolerance }) => matchesTfjs(s, 200, tolerance, 4));

  it('gives the same bits on one kernel thread and two', async () => {
    const s: Setup = { model: 'tabular-mlp', kind: 'multiclass', classes: 3, optimizer: 'adam' };
    const data = batches(s, 8, 200);
    const train = async (steps: number | null) => {
      const { model, optimizer } = build(s, 0.2);
      const engine = (await DenseStackEngine.create(model, optimizer, 200, 4))!;
      expect(engine.partsFor(200)).toBe(4);
      const threads = kernelThreads(kernelWorkspace('dense'));
      const before = threads.helperRuns;
      // Two threads: step until the helper thread (which starts on first use) has run parts.
      let done = 0;
      while (steps === null ? done < 8 || (threads.helperRuns === before && done < 400) : done < steps) {
        const batch = data[done++ % data.length];
        engine.trainStep(batch.x, batch.y, batch.rows);
        if (steps === null) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (steps === null) expect(threads.helperRuns).toBeGreaterThan(before);
      await engine.writeBack(model, optimizer);
      return { steps: done, weights: model.getWeights().map((w) => w.dataSync() as Float32Array) };
    };
    const two = await train(null);
    useOneKernelThread(true);
    try {
      const one = await train(two.steps);
      one.weights.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(two.weights[i].buffer))).toBe(true));
    } finally {
      useOneKernelThread(false);
    }
  });

  it('refuses to step once a newer engine took the thread’s kernel memory', async () => {
    const s: Setup = { model: 'tabular-linear', kind: 'binary', classes: 2, optimizer: 'adam' };
    const [first, second] = [build(s), build(s)];
    const older = (await DenseStackEngine.create(first.model, first.optimizer, 8, 1))!;
    await DenseStackEngine.create(second.model, second.optimizer, 8, 1);
    const [batch] = batches(s, 1, 8);
    expect(() => older.trainStep(batch.x, batch.y, 8)).toThrow(/newer dense-stack engine/);
  });

  async function matchesTfjs(s: Setup, rows: number, tolerance = 2e-4, parts = 1): Promise<void> {
    const reference = build(s);
    const fast = build(s);
    fast.model.setWeights(reference.model.getWeights());
    const data = batches(s, 12, rows);
    const engine = await DenseStackEngine.create(fast.model, fast.optimizer, rows, 1);
    expect(engine).not.toBeNull();
    expect(engine!.partsFor(rows)).toBe(parts);
    const outputs = s.kind === 'multiclass' ? s.classes : 1;
    for (const batch of data) {
      const xs = tf.tensor2d(batch.x, [batch.rows, WIDTH]);
      const ys = tf.tensor2d(batch.y, [batch.rows, outputs]);
      const [loss, metric] = (await reference.model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      const stats = engine!.trainStep(batch.x, batch.y, batch.rows);
      expect(stats.lossSum / batch.rows + stats.penalty).toBeCloseTo(loss, 4);
      expect(stats.metricSum / batch.rows).toBeCloseTo(metric, 5);
    }
    await engine!.writeBack(fast.model, fast.optimizer);
    const [want, got] = [reference.model.getWeights(), fast.model.getWeights()];
    want.forEach((w, i) => closeArrays(got[i].dataSync(), w.dataSync(), tolerance));
    const [wantSlots, gotSlots] = [await reference.optimizer.getWeights(), await fast.optimizer.getWeights()];
    // Same slots in the same order (variable names differ only by tfjs's uniquifying suffix).
    const plain = (name: string) => name.replace(/(kernel|bias)(_\d+)?\//, '$1/');
    expect(gotSlots.map((s) => plain(s.name))).toEqual(wantSlots.map((s) => plain(s.name)));
    wantSlots.forEach((w, i) => closeArrays(gotSlots[i].tensor.dataSync(), w.tensor.dataSync(), tolerance));
  }

  it('weights rows as tfjs class weights do, and evaluates as the model does', async () => {
    const s: Setup = { model: 'tabular-mlp', kind: 'binary', classes: 2, optimizer: 'adam' };
    const reference = build(s);
    const fast = build(s);
    fast.model.setWeights(reference.model.getWeights());
    const engine = (await DenseStackEngine.create(fast.model, fast.optimizer, 16, 1))!;
    const classWeight = { 0: 0.3, 1: 2.5 };
    for (const batch of batches(s, 6, 16)) {
      const xs = tf.tensor2d(batch.x, [16, WIDTH]);
      const ys = tf.tensor2d(batch.y, [16, 1]);
      const fitted = await reference.model.fit(xs, ys, { classWeight, batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
      const loss = fitted.history.loss[0] as number;
      const history = await reference.model.evaluate(xs, ys) as tf.Scalar[];
      const weights = batch.y.map((y) => classWeight[y as 0 | 1]);
      const stats = engine.trainStep(batch.x, batch.y, 16, weights);
      expect(stats.lossSum / 16 + stats.penalty).toBeCloseTo(loss, 4);
      const evaluated = engine.evaluate(batch.x, batch.y, 16);
      expect(evaluated.lossSum / 16).toBeCloseTo(history[0].dataSync()[0], 4);
      tf.dispose([xs, ys, ...history]);
    }
  });

  it('resumes from an optimizer that has already stepped', async () => {
    const s: Setup = { model: 'tabular-mlp', kind: 'multiclass', classes: 3, optimizer: 'adam' };
    const reference = build(s);
    const fast = build(s);
    fast.model.setWeights(reference.model.getWeights());
    const data = batches(s, 8, 10);
    // Both take four tfjs steps; then the engine takes over from the fast model's state.
    for (const model of [reference.model, fast.model]) {
      for (const batch of data.slice(0, 4)) {
        const [xs, ys] = [tf.tensor2d(batch.x, [10, WIDTH]), tf.tensor2d(batch.y, [10, 3])];
        await model.trainOnBatch(xs, ys);
        tf.dispose([xs, ys]);
      }
    }
    const engine = (await DenseStackEngine.create(fast.model, fast.optimizer, 10, 1))!;
    for (const batch of data.slice(4)) {
      const [xs, ys] = [tf.tensor2d(batch.x, [10, WIDTH]), tf.tensor2d(batch.y, [10, 3])];
      const [loss] = (await reference.model.trainOnBatch(xs, ys)) as number[];
      tf.dispose([xs, ys]);
      expect(engine.trainStep(batch.x, batch.y, 10).lossSum / 10).toBeCloseTo(loss, 4);
    }
  });

  it('trains with dropout (its own masks) and keeps unit scale', async () => {
    const s: Setup = { model: 'tabular-mlp', kind: 'binary', classes: 2, optimizer: 'adam' };
    const { model, optimizer } = build(s, 0.5);
    const shape = denseStackShape(model)!;
    expect(shape.dropoutBefore).toEqual([false, true, true]);
    const engine = (await DenseStackEngine.create(model, optimizer, 32, 3))!;
    const data = batches(s, 60, 32);
    const first = engine.evaluate(data[0].x, data[0].y, 32).lossSum;
    for (const batch of data) engine.trainStep(batch.x, batch.y, 32);
    expect(engine.evaluate(data[0].x, data[0].y, 32).lossSum).toBeLessThan(first);
  });

  it('declines models it does not cover', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    expect(denseStackShape(model)).toBeNull();
    const text = getModel('text-bow');
    const bow = text.build({
      input: { kind: 'sequence', vocabularySize: 50, sequenceLength: 6 },
      output: { kind: 'binary', classes: 2 },
      hyperparameters: resolveHyperparameters(text.entry.hyperparameters, {}),
      dropout: 0,
      l1: 0,
      l2: 0,
      seed: 1,
    });
    bow.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    expect(denseStackShape(bow)).toBeNull();
  });
});
