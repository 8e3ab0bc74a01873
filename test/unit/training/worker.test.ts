import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent, TrainingConfigInput } from '../../../main/contract/training';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { loadModelFromDir } from '../../../main/core/training/io-handlers';
import { readMetrics, readRun } from '../../../main/core/training/run-store';
import { ComputeWorker, computeWorkerEntry, type RunHandle } from '../../../main/training/compute-worker';
import { trainRun } from '../../../main/training/train-run';
import { table, textReviews } from './fixtures';

let dir: string;
const workers: ComputeWorker[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-worker-'));
  // Lets the tests ask a worker to crash or run out of memory (ignored otherwise).
  process.env.MODELPILOT_DEBUG_HOOKS = '1';
});

afterAll(async () => {
  for (const worker of workers) await worker.terminate();
  await rm(dir, { recursive: true, force: true });
});

function newWorker(options: ConstructorParameters<typeof ComputeWorker>[0] = {}): ComputeWorker {
  const worker = new ComputeWorker({ batchEventIntervalMs: 0, ...options });
  workers.push(worker);
  return worker;
}

/** Resolves with the first event of `handle` matching `match`. */
function next(handle: RunHandle, match: (e: ProgressEvent) => boolean): Promise<ProgressEvent> {
  return new Promise((resolve) => {
    const off = handle.onProgress((event) => {
      if (match(event)) {
        off();
        resolve(event);
      }
    });
  });
}

const linear: TrainingConfigInput = { modelId: 'tabular-linear', task: 'tabular-classification', epochs: 12, batchSize: 16, learningRate: 0.05 };

describe('compute worker', () => {
  it('starts the TypeScript entry through tsx when no built worker sits beside it', () => {
    const entry = computeWorkerEntry();
    expect(entry.url.pathname).toMatch(/tsx-worker-bootstrap\.mjs$/);
    expect(entry.workerData?.entry).toMatch(/compute\.worker\.ts$/);
  });

  it('trains in the worker with progress events, pauses, resumes, and stop keeps a model', async () => {
    const worker = newWorker();
    const all: ProgressEvent[] = [];
    worker.onProgress((e) => all.push(e));
    const handle = await worker.startRun({ runsDir: dir, config: { modelId: 'text-bow', task: 'text-classification', epochs: 200, batchSize: 8, hyperparameters: { embeddingDim: 8 } }, data: textReviews(64) });
    expect(worker.activeRunIds).toEqual([handle.runId]);
    const running = await next(handle, (e) => e.kind === 'status' && e.status === 'running');
    expect(running.kind === 'status' && running.backend?.selected).toBe('wasm');
    await next(handle, (e) => e.kind === 'batch');
    expect(handle.pause()).toBe(true);
    await next(handle, (e) => e.kind === 'status' && e.status === 'paused');
    expect((await readRun(handle.dir)).status).toBe('paused');
    handle.resume();
    await next(handle, (e) => e.kind === 'status' && e.status === 'running');
    await next(handle, (e) => e.kind === 'epoch');
    handle.stop();
    const run = await handle.done;
    expect(run).toMatchObject({ status: 'stopped', stopReason: 'user_stop', hasModel: true, resumable: true });
    expect(run.epochsCompleted).toBeLessThan(200);
    expect(all.some((e) => e.kind === 'batch')).toBe(true);
    expect(worker.lastBackend?.selected).toBe('wasm');

    await switchBackend('wasm');
    const model = await loadModelFromDir(join(handle.dir, 'model'));
    expect(model.outputs[0].shape).toEqual([null, 1]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(0);

    // The same worker serves the next job: an estimate on the user's data.
    const estimates = await worker.estimate({ data: table(64), config: { task: 'tabular-classification', epochs: 5 }, calibrationBatches: 2 });
    expect(estimates.map((e) => e.modelId)).toEqual(['tabular-mlp', 'tabular-linear']);
    for (const e of estimates) {
      expect(e).toMatchObject({ error: null, backend: 'wasm', calibrationBatches: 2 });
      expect(e.paramCount).toBeGreaterThan(0);
      expect(e.totalSeconds!).toBeCloseTo(e.secondsPerEpoch! * 5, 6);
    }
  });

  it('survives a crashing worker: the run is failed with the reason, and resume continues from the checkpoint', async () => {
    const worker = newWorker();
    const data = table(64, 31);
    const handle = await worker.startRun({ runsDir: dir, config: linear, data });
    await next(handle, (e) => e.kind === 'epoch');
    handle.pause();
    await next(handle, (e) => e.kind === 'status' && e.status === 'paused');
    worker.debugCrash('crash');
    const failed = await handle.done;
    expect(failed).toMatchObject({ status: 'failed', failure: { code: 'worker_crashed' }, resumable: true });
    const checkpointEpoch = failed.checkpointEpoch!;
    expect(checkpointEpoch).toBeGreaterThanOrEqual(1);

    // A fresh worker picks the run up where the checkpoint left it.
    const resumed = await worker.resumeRun({ runDir: handle.dir, data });
    const firstEpoch = next(resumed, (e) => e.kind === 'epoch');
    const done = await resumed.done;
    expect(done).toMatchObject({ status: 'completed', epochsCompleted: 12, resumeCount: 1, failure: null });
    expect(await firstEpoch).toMatchObject({ kind: 'epoch', epoch: checkpointEpoch + 1 });
    const epochs = (await readMetrics(handle.dir)).filter((e) => e.kind === 'epoch').map((e) => e.epoch);
    expect(epochs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('reports a worker that runs out of memory as out_of_memory, and the app carries on', async () => {
    const worker = newWorker({ maxHeapMb: 192 });
    const handle = await worker.startRun({ runsDir: dir, config: linear, data: table(64, 32) });
    await next(handle, (e) => e.kind === 'epoch');
    handle.pause();
    await next(handle, (e) => e.kind === 'status' && e.status === 'paused');
    worker.debugCrash('oom');
    expect(await handle.done).toMatchObject({ status: 'failed', failure: { code: 'out_of_memory' }, resumable: true });
  });

  it('terminate marks runs interrupted; trainRun resumes them headless', async () => {
    const worker = newWorker();
    const data = table(64, 33);
    const handle = await worker.startRun({ runsDir: dir, config: linear, data });
    const queued = await worker.startRun({ runsDir: dir, config: linear, data });
    await next(handle, (e) => e.kind === 'epoch');
    handle.pause();
    await next(handle, (e) => e.kind === 'status' && e.status === 'paused');
    await worker.terminate();
    expect(await handle.done).toMatchObject({ status: 'interrupted', resumable: true });
    expect(await queued.done).toMatchObject({ status: 'interrupted', resumable: false });
    const listed = await worker.listRuns(dir);
    expect(listed.find((r) => r.runId === handle.runId)).toMatchObject({ status: 'interrupted' });

    const events: ProgressEvent[] = [];
    const run = await trainRun({ data, resume: { runDir: handle.dir }, onProgress: (e) => events.push(e) });
    expect(run).toMatchObject({ status: 'completed', epochsCompleted: 12, dir: handle.dir });
    expect(events.at(-1)).toMatchObject({ kind: 'status', status: 'completed' });
  });
});
