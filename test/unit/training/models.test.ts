import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCatalogEntrySchema, type ModelId, type TaskId } from '../../../main/contract/training';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { buildModel, getModel, listCatalog } from '../../../main/core/models/catalog';
import { compileModel } from '../../../main/core/models/compile';
import { estimateTrainingMemory } from '../../../main/core/models/memory-estimate';
import { loadModelFromDir, saveModelToDir } from '../../../main/core/training/io-handlers';
import { createRun, readMetrics } from '../../../main/core/training/run-store';
import { runTraining } from '../../../main/core/training/trainer';
import { table, textReviews } from './fixtures';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-models-'));
  // Every test here runs on the WebAssembly rung, custom kernels included.
  await switchBackend('wasm');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('model catalog', () => {
  it('lists six models, each valid for the contract and described in English and Chinese', () => {
    const entries = listCatalog();
    expect(entries.map((e) => e.id)).toEqual(['text-lstm', 'text-bow', 'text-cnn', 'text-bigru', 'tabular-mlp', 'tabular-linear']);
    for (const entry of entries) {
      expect(() => modelCatalogEntrySchema.parse(entry)).not.toThrow();
      for (const part of [entry.name, entry.description.what, entry.description.when, entry.description.tradeoff]) {
        expect(part.en.length).toBeGreaterThan(3);
        expect(part['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      }
      for (const hp of entry.hyperparameters) expect(hp.default).toBeGreaterThanOrEqual(hp.min);
    }
    expect(listCatalog('tabular-regression').map((e) => e.id)).toEqual(['tabular-mlp', 'tabular-linear']);
  });

  it('builds text-lstm exactly as Embedding(10000, 32) → LSTM(64) → Dense(1, sigmoid), with Adam and binary cross-entropy', () => {
    const model = buildModel('text-lstm', {
      input: { kind: 'sequence', vocabularySize: 10_000, sequenceLength: 200 },
      output: { kind: 'binary', classes: 2 },
      dropout: 0,
      l1: 0,
      l2: 0,
      seed: 1,
    });
    const optimizer = compileModel(model, 'binary', { optimizer: 'adam', learningRate: 0.001, momentum: 0.9 });
    try {
      expect(model.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'LSTM', 'Dense']);
      const [embedding, lstm, dense] = model.layers.map((l) => l.getConfig());
      expect([embedding.inputDim, embedding.outputDim, lstm.units, dense.units, dense.activation]).toEqual([10_000, 32, 64, 1, 'sigmoid']);
      expect(model.countParams()).toBe(10_000 * 32 + 4 * (64 * (32 + 64) + 64) + 65);
      expect(model.loss).toBe('binaryCrossentropy');
      expect(optimizer.getClassName()).toBe('Adam');
      expect(estimateTrainingMemory(model, { batchSize: 32, optimizer: 'adam', rows: 2000, valuesPerRow: 200 })).toBeGreaterThan(model.countParams() * 16);
    } finally {
      model.dispose();
      optimizer.dispose();
    }
    const multi = buildModel('text-lstm', {
      input: { kind: 'sequence', vocabularySize: 50, sequenceLength: 5 },
      output: { kind: 'multiclass', classes: 4 },
      dropout: 0,
      l1: 0,
      l2: 0,
      seed: 1,
    });
    const multiOptimizer = compileModel(multi, 'multiclass', { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9 });
    expect(multi.layers[2].getConfig()).toMatchObject({ units: 4, activation: 'softmax' });
    expect(multi.loss).toBe('categoricalCrossentropy');
    expect(multiOptimizer.getClassName()).toBe('Momentum');
    multi.dispose();
    multiOptimizer.dispose();
  });

  it('refuses hyperparameters out of range or unknown', () => {
    const spec = { input: { kind: 'features', width: 3 }, output: { kind: 'binary', classes: 2 }, dropout: 0, l1: 0, l2: 0, seed: 1 } as const;
    expect(() => buildModel('tabular-mlp', { ...spec, hyperparameters: { units: 0 } })).toThrow(/units/);
    expect(() => buildModel('tabular-mlp', { ...spec, hyperparameters: { hiddenLayers: 1.5 } })).toThrow(/whole number/);
    expect(() => buildModel('tabular-mlp', { ...spec, hyperparameters: { nope: 1 } })).toThrow(/unknown hyperparameter/);
    expect(() => getModel('text-transformer')).toThrow(/no model/);
  });
});

/** Tiny sizes so each model trains two epochs in well under a second. */
const cases: { modelId: ModelId; task: TaskId; data: () => ReturnType<typeof table>; hyperparameters: Record<string, number>; learningRate: number }[] = [
  { modelId: 'text-lstm', task: 'text-classification', data: () => textReviews(64), hyperparameters: { embeddingDim: 8, units: 8 }, learningRate: 0.02 },
  { modelId: 'text-bow', task: 'text-classification', data: () => textReviews(64, 3, 3), hyperparameters: { embeddingDim: 8 }, learningRate: 0.05 },
  { modelId: 'text-cnn', task: 'text-classification', data: () => textReviews(64), hyperparameters: { embeddingDim: 8, filters: 8, kernelSize: 3 }, learningRate: 0.02 },
  { modelId: 'text-bigru', task: 'text-classification', data: () => textReviews(64), hyperparameters: { embeddingDim: 8, units: 6 }, learningRate: 0.02 },
  { modelId: 'tabular-mlp', task: 'tabular-classification', data: () => table(128), hyperparameters: { units: 8 }, learningRate: 0.01 },
  { modelId: 'tabular-mlp', task: 'tabular-regression', data: () => table(128, 5, 'number'), hyperparameters: { units: 8, hiddenLayers: 1 }, learningRate: 0.01 },
  { modelId: 'tabular-linear', task: 'tabular-classification', data: () => table(128, 6), hyperparameters: {}, learningRate: 0.05 },
  { modelId: 'tabular-linear', task: 'tabular-regression', data: () => table(128, 7, 'number'), hyperparameters: {}, learningRate: 0.05 },
];

describe.each(cases)('$modelId ($task)', ({ modelId, task, data, hyperparameters, learningRate }) => {
  it('trains two epochs with a falling loss, saves a model that reloads with identical predictions, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const run = await createRun(dir, { modelId, task, epochs: 2, batchSize: 16, learningRate, hyperparameters, seed: 3 });
    const result = await runTraining({ runDir: run.dir, data: data() });
    expect(result.status, result.failure?.message).toBe('completed');
    expect(result.epochsCompleted).toBe(2);
    const epochs = (await readMetrics(run.dir)).filter((e) => e.kind === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(epochs[1].loss).toBeLessThan(epochs[0].loss);
    expect(tf.memory().numTensors).toBe(before);

    // Round trip: load the kept model, save it again through our handlers, load that copy.
    const loaded = await loadModelFromDir(join(run.dir, 'model'));
    await saveModelToDir(loaded, join(dir, `${run.runId}-copy`));
    const copy = await loadModelFromDir(join(dir, `${run.runId}-copy`));
    const shape = loaded.inputs[0].shape.slice(1) as number[];
    const input = tf.tidy(() =>
      shape.length === 1 && loaded.layers[0].getClassName() === 'Embedding'
        ? tf.randomUniform([5, ...shape], 0, 5, 'int32', 9)
        : tf.randomNormal([5, ...shape], 0, 1, 'float32', 9),
    );
    const [a, b] = [loaded.predict(input) as tf.Tensor, copy.predict(input) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, input]);
    loaded.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
