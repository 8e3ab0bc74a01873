import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels, type ModelsView, type TrainingProgressEvent, type TrainingView } from '../../main/contract';
import type { RunSummary } from '../../main/contract/training';
import { createDispatch, type Dispatch } from '../../main/handlers';
import { disposeComputeWorker, sharedComputeWorker } from '../../main/training/shared-worker';
import { makeTempHome } from './helpers/temp-home';
import { failure, ok } from './helpers/dispatch-results';

let home: string;
let cleanup: () => Promise<void>;
let dispatch: Dispatch;
let progress: TrainingProgressEvent[];

const fixture = (name: string) => resolve('test/fixtures/training', name);

beforeEach(async () => {
  ({ home, cleanup } = await makeTempHome());
  progress = [];
  dispatch = createDispatch({
    host: 'electron',
    home,
    version: '1',
    emit: (event, payload) => {
      if (event === 'training:progress') progress.push(payload as TrainingProgressEvent);
    },
  });
});
afterEach(async () => {
  await disposeComputeWorker();
  await cleanup();
});
afterAll(() => disposeComputeWorker());

async function projectWith(file?: string): Promise<{ id: string; dir: string }> {
  const project = await ok<{ id: string; dir: string }>(dispatch('projects:create', { name: 'Training' }));
  if (file) await ok(dispatch('data:import', { projectId: project.id, jobId: 'import-1', source: { kind: 'path', path: fixture(file) } }));
  return project;
}

/** Waits for a pushed progress event of the run (events, not sleeps). */
async function eventOf(runId: string, match: (e: TrainingProgressEvent['event']) => boolean, timeoutMs = 30_000): Promise<TrainingProgressEvent['event']> {
  const started = Date.now();
  for (;;) {
    const found = progress.find((p) => p.runId === runId && match(p.event));
    if (found) return found.event;
    if (Date.now() - started > timeoutMs) throw new Error(`no matching event for ${runId}; saw ${progress.map((p) => p.event.kind).join(',')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const status = (s: string) => (e: TrainingProgressEvent['event']) => e.kind === 'status' && e.status === s;

describe('invalid payloads', () => {
  it.each([
    ['models:catalog', { projectId: '../elsewhere' }, 'projectId'],
    ['models:catalog', { projectId: 'p', extra: 1 }, '(payload)'],
    ['models:estimate', { projectId: 'p', modelIds: ['gpt-5'] }, 'modelIds.0'],
    ['models:estimate', { projectId: 'p', modelIds: [] }, 'modelIds'],
    ['models:choose', { projectId: 'p', modelId: 'text-bow', hyperparameters: { embeddingDim: 'big' } }, 'hyperparameters.embeddingDim'],
    ['training:start', { projectId: 'p', settings: { epochs: 0 } }, 'settings.epochs'],
    ['training:start', { projectId: 'p', settings: { optimizer: 'rmsprop' } }, 'settings.optimizer'],
    ['training:saveSettings', { projectId: 'p' }, 'settings'],
    ['training:pause', { projectId: 'p', runId: '../../etc' }, 'runId'],
    ['training:stop', { projectId: 'p' }, 'runId'],
    ['training:resumeInterrupted', { projectId: 'p', runId: 'r', epochs: 5000 }, 'epochs'],
    ['training:metrics', { projectId: 'p', runId: 'a/b' }, 'runId'],
  ])('%s %j is invalid_payload naming %s', async (channel, payload, field) => {
    const error = await failure(dispatch(channel, payload));
    expect(error.code).toBe('invalid_payload');
    expect(error.params.field).toBe(field);
  });

  it('refuses a knob outside its range and a model for another task, with the field named', async () => {
    const { id } = await projectWith('reviews.csv');
    expect(await failure(dispatch('models:choose', { projectId: id, modelId: 'text-bow', hyperparameters: { embeddingDim: 100_000 } }))).toMatchObject({
      code: 'invalid_payload',
      params: { field: 'hyperparameters.embeddingDim' },
    });
    expect(await failure(dispatch('models:choose', { projectId: id, modelId: 'text-bow', hyperparameters: { layers: 2 } }))).toMatchObject({ code: 'invalid_payload' });
    expect((await failure(dispatch('models:choose', { projectId: id, modelId: 'tabular-mlp' }))).code).toBe('model_task_mismatch');
  });

  it('a run of another project, or none, is not_found', async () => {
    const { id } = await projectWith();
    expect((await failure(dispatch('training:pause', { projectId: id, runId: '20250101-000000-abcdef' }))).code).toBe('not_found');
    expect((await failure(dispatch('training:metrics', { projectId: id, runId: 'nope' }))).code).toBe('not_found');
  });
});

describe('a project without data', () => {
  it('shows no models and says why; training refuses to start', async () => {
    const { id } = await projectWith();
    const view = await ok<ModelsView>(dispatch('models:catalog', { projectId: id }));
    expect(channels['models:catalog'].result.parse(view)).toBeTruthy();
    expect(view).toMatchObject({ setup: { problem: 'no_data', task: null }, entries: [], recommendation: null, choice: null });
    const training = await ok<TrainingView>(dispatch('training:get', { projectId: id }));
    expect(training).toMatchObject({ model: null, runs: [] });
    expect((await failure(dispatch('training:start', { projectId: id }))).code).toBe('data_not_imported');
    expect((await failure(dispatch('models:estimate', { projectId: id }))).code).toBe('data_not_imported');
  });
});

describe('Model step', () => {
  it('lists the text models with the recommended one, measures them on the data, and saves the choice', async () => {
    const { id, dir } = await projectWith('reviews.csv');
    const view = await ok<ModelsView>(dispatch('models:catalog', { projectId: id }));
    expect(view.setup).toMatchObject({ problem: null, task: 'text-classification', inputKind: 'text', labelColumn: 'label', inputColumns: ['review'], trainRows: 96 });
    expect(view.entries.map((e) => e.id).sort()).toEqual(['text-bigru', 'text-bow', 'text-cnn', 'text-lstm']);
    expect(view.entries.filter((e) => e.recommended).map((e) => e.id)).toEqual(['text-bow']);
    expect(view.recommendation).toMatchObject({ modelId: 'text-bow', reason: 'text_few_rows', rows: 96 });
    expect(view.choice).toEqual({ modelId: 'text-bow', hyperparameters: {}, chosen: false });

    const chosen = await ok<ModelsView>(dispatch('models:choose', { projectId: id, modelId: 'text-bow', hyperparameters: { embeddingDim: 8 } }));
    expect(chosen.choice).toEqual({ modelId: 'text-bow', hyperparameters: { embeddingDim: 8 }, chosen: true });
    expect(JSON.parse(await readFile(join(dir, 'project.json'), 'utf8')).model).toMatchObject({ modelId: 'text-bow', hyperparameters: { embeddingDim: 8 } });

    const { estimates } = await ok<{ estimates: { modelId: string; paramCount: number; memoryBytes: number; secondsPerEpoch: number | null; error: string | null }[] }>(
      dispatch('models:estimate', { projectId: id, modelIds: ['text-bow'] }),
    );
    expect(estimates).toHaveLength(1);
    expect(estimates[0]).toMatchObject({ modelId: 'text-bow', error: null });
    expect(estimates[0].paramCount).toBeGreaterThan(0);
    expect(estimates[0].memoryBytes).toBeGreaterThan(0);
    expect(estimates[0].secondsPerEpoch).toBeGreaterThan(0);
    // Reopening the step shows the measured estimate without measuring again.
    expect((await ok<ModelsView>(dispatch('models:catalog', { projectId: id }))).estimates).toEqual(estimates);
    // app:info now reports the rung the worker uses and why the others were skipped.
    const info = await ok<{ computeBackend?: { selected: string; rungs: { id: string; reason: string }[] } }>(dispatch('app:info', undefined));
    expect(info.computeBackend?.selected).toBe('wasm');
    expect(info.computeBackend?.rungs.map((r) => r.id)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it('recommends the linear baseline for a small table', async () => {
    const { id } = await projectWith('churn.csv');
    const view = await ok<ModelsView>(dispatch('models:catalog', { projectId: id }));
    expect(view.setup).toMatchObject({ task: 'tabular-classification', inputColumns: ['age', 'monthly_spend', 'plan', 'support_calls'] });
    expect(view.recommendation).toMatchObject({ modelId: 'tabular-linear', reason: 'table_few_rows' });
    expect(view.entries.map((e) => e.id).sort()).toEqual(['tabular-linear', 'tabular-mlp']);
  });
});

describe('Training step', () => {
  it('trains on the training and validation splits, pauses, resumes, stops with a model, and replays the history', async () => {
    const { id, dir } = await projectWith('reviews.csv');
    await ok(dispatch('models:choose', { projectId: id, modelId: 'text-bow', hyperparameters: { embeddingDim: 8 } }));
    const view = await ok<TrainingView>(dispatch('training:get', { projectId: id }));
    expect(view.model).toMatchObject({ modelId: 'text-bow', chosen: true, metricName: 'accuracy' });
    expect(view.settings).toMatchObject({ epochs: 15, batchSize: 64, learningRate: 0.005 }); // the model's defaults
    const settings = { ...view.settings, epochs: 1000, batchSize: 8, earlyStopping: { enabled: false, patience: 3, restoreBestWeights: true } };
    const saved = await ok<TrainingView>(dispatch('training:saveSettings', { projectId: id, settings }));
    expect(saved.settings.epochs).toBe(1000);

    const run = await ok<RunSummary>(dispatch('training:start', { projectId: id }));
    expect(run).toMatchObject({ config: { modelId: 'text-bow', epochs: 1000, batchSize: 8, hyperparameters: { embeddingDim: 8 } } });
    await eventOf(run.runId, (e) => e.kind === 'epoch');
    expect(await ok(dispatch('training:pause', { projectId: id, runId: run.runId }))).toEqual({ accepted: true });
    await eventOf(run.runId, status('paused'));
    expect((await ok<RunSummary[]>(dispatch('training:runs', { projectId: id })))[0].status).toBe('paused');
    await ok(dispatch('training:resume', { projectId: id, runId: run.runId }));
    await eventOf(run.runId, (e) => e.kind === 'status' && e.status === 'running' && progress.some((p) => p.event.kind === 'status' && p.event.status === 'paused'));
    await ok(dispatch('training:stop', { projectId: id, runId: run.runId }));
    await eventOf(run.runId, status('stopped'));

    const [listed] = await ok<RunSummary[]>(dispatch('training:runs', { projectId: id }));
    expect(listed).toMatchObject({ runId: run.runId, status: 'stopped', hasModel: true, stopReason: 'user_stop' });
    // 120 rows: 96 train + 12 validation trained on; the 12 test rows never reach training.
    expect(listed.data).toMatchObject({ trainRows: 96, validationRows: 12 });
    await access(join(dir, 'runs', run.runId, 'data.json'));
    expect(progress.every((p) => p.projectId === id)).toBe(true);

    const history = await ok<{ run: RunSummary; events: { kind: string }[] }>(dispatch('training:metrics', { projectId: id, runId: run.runId }));
    expect(history.run.status).toBe('stopped');
    expect(history.events.filter((e) => e.kind === 'epoch').length).toBe(listed.epochsCompleted);
    expect(history.events.filter((e) => e.kind === 'batch').length).toBeLessThanOrEqual(1);
  });

  it('cancel throws the run away: no model, not resumable', async () => {
    const { id } = await projectWith('churn.csv');
    const view = await ok<TrainingView>(dispatch('training:get', { projectId: id }));
    const settings = { ...view.settings, epochs: 1000, batchSize: 4, earlyStopping: { enabled: false, patience: 3, restoreBestWeights: true } };
    const run = await ok<RunSummary>(dispatch('training:start', { projectId: id, settings }));
    await eventOf(run.runId, (e) => e.kind === 'epoch');
    expect(await ok(dispatch('training:cancel', { projectId: id, runId: run.runId }))).toEqual({ accepted: true });
    await eventOf(run.runId, status('cancelled'));
    const [listed] = await ok<RunSummary[]>(dispatch('training:runs', { projectId: id }));
    expect(listed).toMatchObject({ status: 'cancelled', hasModel: false, resumable: false });
    // A finished run no longer takes orders.
    expect(await ok(dispatch('training:pause', { projectId: id, runId: run.runId }))).toEqual({ accepted: false });
  });

  it('a worker that crashes leaves the app running and the run failed with the reason; the next run gets a fresh worker', async () => {
    process.env.MODELPILOT_DEBUG_HOOKS = '1';
    try {
      const { id } = await projectWith('churn.csv');
      const view = await ok<TrainingView>(dispatch('training:get', { projectId: id }));
      const settings = { ...view.settings, epochs: 1000, batchSize: 4, earlyStopping: { enabled: false, patience: 3, restoreBestWeights: true } };
      const run = await ok<RunSummary>(dispatch('training:start', { projectId: id, settings }));
      await eventOf(run.runId, (e) => e.kind === 'epoch' && e.epoch >= 2);
      sharedComputeWorker().debugCrash('crash');
      const failed = await eventOf(run.runId, status('failed'));
      expect(failed.kind === 'status' && failed.failure?.code).toBe('worker_crashed');
      const [listed] = await ok<RunSummary[]>(dispatch('training:runs', { projectId: id }));
      expect(listed).toMatchObject({ status: 'failed', failure: { code: 'worker_crashed' }, resumable: true });
      const again = await ok<RunSummary>(dispatch('training:start', { projectId: id, settings: { ...settings, epochs: 2 } }));
      await eventOf(again.runId, status('completed'));
    } finally {
      delete process.env.MODELPILOT_DEBUG_HOOKS;
    }
  });

  it('a run whose worker went away is listed as interrupted and resumes from its checkpoint', async () => {
    const { id } = await projectWith('churn.csv');
    const view = await ok<TrainingView>(dispatch('training:get', { projectId: id }));
    const settings = { ...view.settings, epochs: 1000, batchSize: 4, earlyStopping: { enabled: false, patience: 3, restoreBestWeights: true } };
    const run = await ok<RunSummary>(dispatch('training:start', { projectId: id, settings }));
    await eventOf(run.runId, (e) => e.kind === 'epoch' && e.epoch >= 2);
    await disposeComputeWorker(); // what quitting the app does
    const [interrupted] = await ok<RunSummary[]>(dispatch('training:runs', { projectId: id }));
    expect(interrupted).toMatchObject({ status: 'interrupted', resumable: true });
    const from = interrupted.checkpointEpoch!;
    expect(from).toBeGreaterThanOrEqual(2);

    progress.length = 0;
    const resumed = await ok<RunSummary>(dispatch('training:resumeInterrupted', { projectId: id, runId: run.runId }));
    expect(resumed.runId).toBe(run.runId);
    const next = await eventOf(run.runId, (e) => e.kind === 'epoch');
    expect(next.kind === 'epoch' && next.epoch).toBe(from + 1);
    await ok(dispatch('training:stop', { projectId: id, runId: run.runId }));
    await eventOf(run.runId, status('stopped'));
    const [done] = await ok<RunSummary[]>(dispatch('training:runs', { projectId: id }));
    expect(done).toMatchObject({ status: 'stopped', hasModel: true, resumeCount: 1 });
  });
});
