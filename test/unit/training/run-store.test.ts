import { appendFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { recoverDir, replaceDirAtomic } from '../../../main/core/training/atomic-dir';
import { loadModelFromDir, saveModelToDir } from '../../../main/core/training/io-handlers';
import { appendMetrics, createRun, listRuns, markInterrupted, readMetrics, readRun, updateRun } from '../../../main/core/training/run-store';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-runs-'));
  await switchBackend('wasm');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('runs on disk', () => {
  it('creates run.json with the config snapshot and defaults, and refuses bad settings', async () => {
    const run = await createRun(join(dir, 'runs'), { modelId: 'text-lstm', task: 'text-classification' });
    expect(run).toMatchObject({ status: 'queued', metricName: 'accuracy', config: { epochs: 10, batchSize: 32, optimizer: 'adam', seed: 42 } });
    expect(await readRun(run.dir)).toMatchObject({ runId: run.runId });
    await expect(createRun(dir, { modelId: 'text-lstm', task: 'text-classification', batchSize: 0 })).rejects.toMatchObject({
      code: 'invalid_payload',
      params: { field: 'batchSize' },
    });
  });

  it('marks runs no live worker owns as interrupted, resumable only with a checkpoint', async () => {
    const runsDir = join(dir, 'listing');
    const [a, b, c] = [await createRun(runsDir, { modelId: 'text-bow', task: 'text-classification' }), await createRun(runsDir, { modelId: 'text-bow', task: 'text-classification' }), await createRun(runsDir, { modelId: 'text-bow', task: 'text-classification' })];
    await updateRun(a.dir, { status: 'running' });
    await updateRun(b.dir, { status: 'paused' });
    await mkdir(join(b.dir, 'checkpoint'));
    await writeFile(join(b.dir, 'checkpoint', 'model.json'), '{}');
    await updateRun(c.dir, { status: 'running' });
    await writeFile(join(runsDir, 'junk.txt'), 'not a run');
    const runs = await listRuns(runsDir, { activeRunIds: [c.runId] });
    const byId = new Map(runs.map((r) => [r.runId, r]));
    expect(byId.get(a.runId)).toMatchObject({ status: 'interrupted', resumable: false });
    expect(byId.get(b.runId)).toMatchObject({ status: 'interrupted', resumable: true });
    expect(byId.get(c.runId)).toMatchObject({ status: 'running' });
    expect((await readRun(a.dir)).status).toBe('interrupted');
  });

  it('appends metrics and skips a torn last line', async () => {
    const run = await createRun(join(dir, 'metrics'), { modelId: 'text-bow', task: 'text-classification' });
    const event = { kind: 'epoch', runId: run.runId, at: 'now', epoch: 1, epochs: 2, loss: 0.5, metric: 0.8, valLoss: 0.6, valMetric: 0.7, samplesPerSecond: 10, etaSeconds: 1, elapsedSeconds: 1, improved: true, bestEpoch: 1 } as const;
    await appendMetrics(run.dir, event);
    await appendFile(join(run.dir, 'metrics.jsonl'), '{"kind":"epo');
    expect(await readMetrics(run.dir)).toEqual([event]);
    await expect(readRun(join(dir, 'nope'))).rejects.toMatchObject({ code: 'not_found' });
    await writeFile(join(run.dir, 'run.json'), '{"formatVersion":1');
    await expect(readRun(run.dir)).rejects.toMatchObject({ code: 'run_corrupt' });
  });
});

describe('interrupted runs', () => {
  it('take the epoch from the checkpoint when run.json lags behind it', async () => {
    const run = await createRun(join(dir, 'lag'), { modelId: 'text-bow', task: 'text-classification' });
    await updateRun(run.dir, { status: 'running', checkpointEpoch: 2, epochsCompleted: 2 });
    // The worker went away after writing epoch 3's checkpoint, before updating run.json.
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    await saveModelToDir(model, join(run.dir, 'checkpoint'), { extra: { 'state.json': JSON.stringify({ epochsCompleted: 3 }) } });
    model.dispose();
    expect(await markInterrupted(run.dir)).toMatchObject({ status: 'interrupted', resumable: true, checkpointEpoch: 3, epochsCompleted: 3 });
  });
});

describe('atomic folders', () => {
  it('replaces a folder as a whole and recovers the old one after a crash between renames', async () => {
    const target = join(dir, 'atomic', 'model');
    await replaceDirAtomic(target, { 'a.txt': 'one', 'b.bin': new Uint8Array([1, 2]) });
    await replaceDirAtomic(target, { 'a.txt': 'two' });
    expect(await readdir(target)).toEqual(['a.txt']);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('two');
    // Simulate the crash: the folder renamed aside, the new one unfinished.
    await rename(target, join(dir, 'atomic', '.model.old-abc'));
    await mkdir(join(dir, 'atomic', '.model.next-def'));
    await recoverDir(target);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('two');
    expect((await readdir(join(dir, 'atomic'))).sort()).toEqual(['model']);
  });
});

describe('model IO handlers', () => {
  it('writes the tfjs layers layout (model.json + weights.bin) that plain tfjs loads back identically', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const [x, y] = [tf.randomNormal([8, 4], 0, 1, 'float32', 1), tf.randomNormal([8, 1], 0, 1, 'float32', 2)];
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    const target = join(dir, 'io', 'checkpoint');
    await saveModelToDir(model, target, { includeOptimizer: true, extra: { 'state.json': '{"epoch":2}' } });
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([expect.objectContaining({ paths: ['weights.bin'] })]);
    expect(json.trainingConfig.loss).toBe('mean_squared_error'); // Keras spelling, as tfjs writes it
    expect((await readdir(target)).sort()).toEqual(['model.json', 'state.json', 'weights.bin']);

    // Plain tfjs, from memory, reading the same two files.
    const bytes = await readFile(join(target, 'weights.bin'));
    const plain = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      }),
    );
    const ours = await loadModelFromDir(target);
    const [p0, p1, p2] = [model, plain, ours].map((m) => m.predict(x) as tf.Tensor);
    expect(Array.from(p1.dataSync())).toEqual(Array.from(p0.dataSync()));
    expect(Array.from(p2.dataSync())).toEqual(Array.from(p0.dataSync()));
    // The optimizer state came back with our loader (Adam: step count + two moments per weight).
    expect((await ours.optimizer.getWeights()).length).toBe(1 + 2 * model.trainableWeights.length);
    tf.dispose([x, y, p0, p1, p2]);
    for (const m of [model, plain, ours]) {
      m.optimizer?.dispose();
      m.dispose();
    }
    await expect(loadModelFromDir(join(dir, 'io', 'missing'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
