import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressEventSchema, runFileSchema, type ProgressEvent, type TrainingConfigInput } from '../../../main/contract/training';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { TrainingControl } from '../../../main/core/training/control';
import { makeBatch } from '../../../main/core/training/batches';
import { loadModelFromDir } from '../../../main/core/training/io-handlers';
import { classWeightsFor, prepareData } from '../../../main/core/training/prepare';
import { ProgressClock, Throttle } from '../../../main/core/training/progress-clock';
import { createRun, parseTrainingConfig, readMetrics, readRun } from '../../../main/core/training/run-store';
import { readPreprocessing } from '../../../main/core/training/run-setup';
import { runTraining } from '../../../main/core/training/trainer';
import { table, textReviews } from './fixtures';

let dir: string;
const tiny: TrainingConfigInput = {
  modelId: 'text-bow',
  task: 'text-classification',
  epochs: 3,
  batchSize: 8,
  learningRate: 0.05,
  hyperparameters: { embeddingDim: 8 },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-trainer-'));
  await switchBackend('wasm');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Collects events and lets a test wait for the first one matching a predicate. */
function recorder() {
  const events: ProgressEvent[] = [];
  const waiters: { match: (e: ProgressEvent) => boolean; resolve: (e: ProgressEvent) => void }[] = [];
  return {
    events,
    emit(event: ProgressEvent) {
      events.push(event);
      for (const w of [...waiters]) {
        if (!w.match(event)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    },
    next(match: (e: ProgressEvent) => boolean) {
      return new Promise<ProgressEvent>((resolve) => waiters.push({ match, resolve }));
    },
  };
}

describe('runTraining', () => {
  it('reports batches and epochs, pauses and resumes, and leaves a completed run with its model', async () => {
    const before = tf.memory().numTensors;
    const run = await createRun(dir, tiny);
    const control = new TrainingControl();
    const rec = recorder();
    const done = runTraining({ runDir: run.dir, data: textReviews(64) }, { emit: rec.emit, control, batchEventIntervalMs: 0 });
    await rec.next((e) => e.kind === 'batch');
    expect(control.apply('pause')).toBe(true);
    await rec.next((e) => e.kind === 'status' && e.status === 'paused');
    expect((await readRun(run.dir)).status).toBe('paused');
    const seenWhilePaused = rec.events.length;
    expect(control.apply('resume')).toBe(true);
    const result = await done;
    // The first event after the pause is the status going back to running.
    expect(rec.events[seenWhilePaused]).toMatchObject({ kind: 'status', status: 'running' });
    expect(result).toMatchObject({ status: 'completed', stopReason: 'epochs_done', epochsCompleted: 3, hasModel: true, resumable: true, checkpointEpoch: 3 });
    expect(result.backend?.selected).toBe('wasm');
    expect(result.paramCount).toBeGreaterThan(0);
    const batch = rec.events.find((e) => e.kind === 'batch')!;
    expect(batch).toMatchObject({ epoch: 1, batch: 1, epochs: 3, batchesPerEpoch: 8 });
    const lastEpoch = rec.events.filter((e) => e.kind === 'epoch').at(-1)!;
    expect(lastEpoch).toMatchObject({ epoch: 3, etaSeconds: 0 });
    expect(lastEpoch.kind === 'epoch' && lastEpoch.samplesPerSecond).toBeGreaterThan(0);
    expect(await exists(join(run.dir, 'model', 'model.json'))).toBe(true);
    expect(await exists(join(run.dir, 'model', 'weights.bin'))).toBe(true);
    expect(JSON.parse(await readFile(join(run.dir, 'preprocessing.json'), 'utf8'))).toMatchObject({ kind: 'text', labels: ['neg', 'pos'] });
    // What crosses the contract matches its schemas.
    for (const event of rec.events) expect(() => progressEventSchema.parse(event)).not.toThrow();
    expect(() => runFileSchema.parse(result)).not.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stop keeps the best model; resume continues from the checkpoint with the optimizer state', async () => {
    const run = await createRun(dir, { ...tiny, epochs: 4 });
    const data = textReviews(64, 11);
    const control = new TrainingControl();
    const rec = recorder();
    const done = runTraining({ runDir: run.dir, data }, { emit: rec.emit, control });
    await rec.next((e) => e.kind === 'epoch' && e.epoch === 1);
    control.apply('stop');
    const stopped = await done;
    expect(stopped).toMatchObject({ status: 'stopped', stopReason: 'user_stop', hasModel: true, resumable: true });
    const checkpointEpoch = stopped.checkpointEpoch!;
    expect(checkpointEpoch).toBeGreaterThanOrEqual(1);
    const checkpoint = await loadModelFromDir(join(run.dir, 'checkpoint'));
    // Adam's step count came back with the checkpoint: 8 batches per epoch.
    expect((checkpoint.optimizer as unknown as { iterations: number }).iterations).toBe(8 * checkpointEpoch);
    checkpoint.optimizer.dispose();
    checkpoint.dispose();

    // Other data is refused and the run is left as it was.
    await expect(runTraining({ runDir: run.dir, data: textReviews(64, 12), resume: {} })).rejects.toMatchObject({ code: 'training_data_mismatch' });
    expect((await readRun(run.dir)).status).toBe('stopped');

    const resumed = await runTraining({ runDir: run.dir, data, resume: {} });
    expect(resumed).toMatchObject({ status: 'completed', epochsCompleted: 4, resumeCount: 1 });
    const epochs = (await readMetrics(run.dir)).filter((e) => e.kind === 'epoch').map((e) => e.epoch);
    expect(epochs).toEqual([1, 2, 3, 4].slice(0, epochs.length));
    expect(epochs.at(-1)).toBe(4);

    // Train longer: ask for more epochs than planned.
    const extended = await runTraining({ runDir: run.dir, data, resume: { epochs: 5 } });
    expect(extended).toMatchObject({ status: 'completed', epochsCompleted: 5, resumeCount: 2 });
    await expect(runTraining({ runDir: run.dir, data, resume: {} })).rejects.toMatchObject({ code: 'run_not_resumable' });
  });

  it('cancel throws the model and checkpoint away', async () => {
    const run = await createRun(dir, { ...tiny, epochs: 5 });
    const control = new TrainingControl();
    const rec = recorder();
    const done = runTraining({ runDir: run.dir, data: textReviews(64) }, { emit: rec.emit, control });
    await rec.next((e) => e.kind === 'epoch');
    control.apply('cancel');
    expect(await done).toMatchObject({ status: 'cancelled', hasModel: false, resumable: false });
    expect(await exists(join(run.dir, 'model'))).toBe(false);
    expect(await exists(join(run.dir, 'checkpoint'))).toBe(false);
  });

  it('stops early when validation stops improving and keeps the best epoch as the model', async () => {
    // Validation labels are the opposite of training's: the better training gets, the worse validation.
    const data = textReviews(64, 21);
    data.validation = data.train.slice(0, 24).map((row) => ({ ...row, label: row.label === 'pos' ? 'neg' : 'pos' }));
    const config = { ...tiny, epochs: 10, earlyStopping: { enabled: true, patience: 2, restoreBestWeights: true } };
    const run = await createRun(dir, config);
    const result = await runTraining({ runDir: run.dir, data });
    expect(result).toMatchObject({ status: 'completed', stopReason: 'early_stopping' });
    expect(result.epochsCompleted).toBe(result.bestEpoch! + 2);
    // model/ holds the best epoch: its validation loss is the recorded best.
    const model = await loadModelFromDir(join(run.dir, 'model'));
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const prepared = prepareData(data, parseTrainingConfig(config), await readPreprocessing(run.dir));
    const { xs, ys } = makeBatch(prepared.validation, Int32Array.from({ length: prepared.validation.rows }, (_, i) => i));
    const loss = model.evaluate(xs, ys) as tf.Scalar;
    expect(loss.dataSync()[0]).toBeCloseTo(result.best!.valLoss!, 4);
    tf.dispose([xs, ys, loss]);
    model.dispose();
  });

  it('is reproducible: the same seed gives the same first epoch', async () => {
    const losses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await createRun(dir, { ...tiny, epochs: 1, seed: 99 });
      await runTraining({ runDir: run.dir, data: textReviews(48) });
      losses.push((await readRun(run.dir)).best!.loss);
    }
    expect(losses[0]).toBe(losses[1]);
  });

  it('refuses data it cannot learn from and marks the run failed with the reason', async () => {
    const data = textReviews(32);
    data.train = data.train.map((r) => ({ ...r, label: 'pos' }));
    const run = await createRun(dir, tiny);
    await expect(runTraining({ runDir: run.dir, data })).rejects.toMatchObject({ code: 'training_data_invalid', params: { reason: 'one_class' } });
    expect(await readRun(run.dir)).toMatchObject({ status: 'failed', failure: { code: 'training_data_invalid' } });
    const tabular = await createRun(dir, { ...tiny, modelId: 'tabular-mlp', task: 'tabular-classification', hyperparameters: {} });
    await expect(runTraining({ runDir: tabular.dir, data: textReviews(32) })).rejects.toMatchObject({ code: 'model_task_mismatch' });
  });

  it('reports regression error in the target’s own units and trains with balanced class weights', async () => {
    const regression = await createRun(dir, { modelId: 'tabular-linear', task: 'tabular-regression', epochs: 2, batchSize: 16, learningRate: 0.05 });
    const result = await runTraining({ runDir: regression.dir, data: table(96, 4, 'number') });
    expect(result).toMatchObject({ status: 'completed', metricName: 'mae', labels: [] });
    // The target spreads over tens of units; a standardized error would be around 1.
    expect(result.best!.valMetric!).toBeGreaterThan(2);

    const data = table(120, 8);
    const config = parseTrainingConfig({ modelId: 'tabular-mlp', task: 'tabular-classification', classWeights: 'balanced' });
    const prepared = prepareData(data, config);
    const counts = [0, 0];
    for (const c of prepared.train.classIndex!) counts[c]++;
    const weights = classWeightsFor(config, prepared)!;
    expect(weights[0] * counts[0]).toBeCloseTo(weights[1] * counts[1], 6);
    expect(classWeightsFor({ ...config, classWeights: { churn: 3 } }, prepared)).toEqual({ 0: 3, 1: 1 });
    const weighted = await createRun(dir, { modelId: 'tabular-mlp', task: 'tabular-classification', epochs: 2, classWeights: 'balanced', hyperparameters: { units: 8 } });
    expect(await runTraining({ runDir: weighted.dir, data })).toMatchObject({ status: 'completed' });
  });
});

describe('progress pacing', () => {
  it('throttles batch events to one per interval and estimates time left without pauses', () => {
    let now = 0;
    const clock = () => now;
    const throttle = new Throttle(200, clock);
    const passed = Array.from({ length: 50 }, (_, i) => ((now = i * 50), throttle.ready())).filter(Boolean).length;
    expect(passed).toBe(13); // 50 batches over 2.45 s at ≥200 ms apart

    now = 0;
    const progress = new ProgressClock(clock);
    for (let i = 1; i <= 10; i++) {
      now = i * 100;
      progress.batchDone(32);
    }
    expect(progress.samplesPerSecond).toBeCloseTo(320);
    expect(progress.eta(20, 0)).toBeCloseTo(2);
    now = 5000;
    progress.paused(4000);
    expect(progress.elapsedSeconds).toBeCloseTo(1);
  });
});
