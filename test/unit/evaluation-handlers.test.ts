/**
 * The Evaluation and Deployment channels through the real dispatch, on projects trained here:
 * evaluation (with progress), threshold, examples, try it, compare and choose; export with the
 * parity check, predictions from the exported file, the local API, an opened file scored on a
 * new labelled file; what the browser host refuses; and bad payloads.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareView, DeploymentView, EvaluationView, ExportEntry, OpenedModel, ServingView } from '../../main/contract';
import type { ParityResult, PredictResponse } from '../../main/contract/export';
import type { RunSummary } from '../../main/contract/training';
import type { TrainingView } from '../../main/contract/training-channels';
import type { TrainingProgressEvent } from '../../main/contract';
import { createDispatch, type Dispatch } from '../../main/handlers';
import { disposeComputeWorker } from '../../main/training/shared-worker';
import { stopServingModel } from '../../main/deployment/serving';
import { makeTempHome } from './helpers/temp-home';
import { failure, ok } from './helpers/dispatch-results';

let home: string;
let cleanup: () => Promise<void>;
let dispatch: Dispatch;
let web: Dispatch;
const events: { event: string; payload: unknown }[] = [];
const fixture = (name: string) => resolve('test/fixtures/training', name);

/** Imports a fixture, trains a few epochs and waits for the run to complete. */
async function trainedProject(name: string, file: string, settings: { epochs: number; learningRate?: number }, label?: string): Promise<{ id: string; dir: string; runId: string }> {
  const project = await ok<{ id: string; dir: string }>(dispatch('projects:create', { name }));
  await ok(dispatch('data:import', { projectId: project.id, jobId: `import-${project.id}`, source: { kind: 'path', path: fixture(file) } }));
  if (label) await ok(dispatch('data:setRole', { projectId: project.id, column: label, role: 'label' }));
  const view = await ok<TrainingView>(dispatch('training:get', { projectId: project.id }));
  const run = await ok<RunSummary>(dispatch('training:start', { projectId: project.id, settings: { ...view.settings, ...settings } }));
  const started = Date.now();
  while (!events.some((e) => e.event === 'training:progress' && (e.payload as TrainingProgressEvent).runId === run.runId && (e.payload as TrainingProgressEvent).event.kind === 'status' && ['completed', 'failed'].includes((e.payload as { event: { status: string } }).event.status))) {
    if (Date.now() - started > 60_000) throw new Error('training did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ...project, runId: run.runId };
}

let text: { id: string; dir: string; runId: string };
let numbers: { id: string; dir: string; runId: string };

beforeAll(async () => {
  ({ home, cleanup } = await makeTempHome());
  const emit = (event: string, payload: unknown) => events.push({ event, payload });
  dispatch = createDispatch({ host: 'electron', home, version: '1', emit });
  web = createDispatch({ host: 'web', home, version: '1', emit });
  text = await trainedProject('Reviews', 'reviews.csv', { epochs: 6, learningRate: 0.05 });
  numbers = await trainedProject('Flats', 'flats.csv', { epochs: 3 }, 'price');
}, 180_000);

afterAll(async () => {
  await stopServingModel();
  await disposeComputeWorker();
  await cleanup();
});

describe('evaluation channels', () => {
  it('evaluates the latest run on its test split, with progress', async () => {
    const view = await ok<EvaluationView>(dispatch('evaluation:get', { projectId: text.id }));
    expect(view.runId).toBe(text.runId);
    expect(view.runs).toEqual([expect.objectContaining({ runId: text.runId, modelId: 'text-bow', evaluated: true })]);
    const evaluation = view.evaluation!;
    expect(evaluation).toMatchObject({ task: 'text-classification', threshold: 0.5, focusLabel: 'positive', labelColumn: 'label' });
    // 120 rows, split 80/10/10: 12 test rows.
    expect(evaluation.report).toMatchObject({ kind: 'classification', outputKind: 'binary', labels: ['negative', 'positive'], rows: 12 });
    expect(evaluation.input).toEqual({ kind: 'text', columns: [{ name: 'review', type: 'text' }] });
    expect(evaluation.diagnosis.verdict).toMatch(/good_fit|overfitting|underfitting|not_enough_history/);
    const progress = events.filter((e) => e.event === 'evaluation:progress').map((e) => e.payload as { runId: string; done: number; total: number });
    expect(progress.at(-1)).toMatchObject({ runId: text.runId, done: 12, total: 12, waiting: false });
  });

  it('saves a threshold with the run; the page, the examples and the run answer with it', async () => {
    const view = await ok<EvaluationView>(dispatch('evaluation:setThreshold', { projectId: text.id, runId: text.runId, threshold: 0.3 }));
    expect(view.evaluation!.threshold).toBe(0.3);
    const report = view.evaluation!.report;
    if (report.kind !== 'classification') throw new Error('expected classes');
    expect(report.scores).toEqual(report.sweep[29]);
    const run = JSON.parse(await readFile(join(text.dir, 'runs', text.runId, 'run.json'), 'utf8'));
    expect(run.decisionThreshold).toBe(0.3);
    const matrix = report.scores.confusion.matrix;
    const right = await ok<{ total: number; rows: { actual: string; predicted: string; confidence: number }[] }>(
      dispatch('evaluation:examples', { projectId: text.id, runId: text.runId, filter: { kind: 'cell', actual: 'positive', predicted: 'positive' } }),
    );
    expect(right.total).toBe(matrix[1][1]);
    // At another (unsaved) threshold the slider shows, the cell is the slider's.
    const at90 = await ok<{ total: number }>(dispatch('evaluation:examples', { projectId: text.id, runId: text.runId, threshold: 0.9, filter: { kind: 'cell', actual: 'positive', predicted: 'positive' } }));
    expect(at90.total).toBe(report.sweep[89].confusion.matrix[1][1]);
  });

  it('tries a typed text and a typed row', async () => {
    const answer = await ok<{ labels: string[]; prediction: { prediction: string; confidence: number } }>(
      dispatch('evaluation:tryIt', { projectId: text.id, runId: text.runId, text: 'great, works perfectly, would buy again' }),
    );
    expect(answer.labels).toEqual(['negative', 'positive']);
    expect(answer.prediction.confidence).toBeGreaterThan(0);
    const row = await ok<{ prediction: { prediction: number } }>(
      dispatch('evaluation:tryIt', { projectId: numbers.id, runId: numbers.runId, row: { rooms: 3, area_m2: 90, district: 'centre', floor: 2 } }),
    );
    expect(typeof row.prediction.prediction).toBe('number');
  });

  it('evaluates a number model with residuals, and refuses it a threshold', async () => {
    const view = await ok<EvaluationView>(dispatch('evaluation:get', { projectId: numbers.id }));
    expect(view.evaluation!.report).toMatchObject({ kind: 'regression', rows: 15 });
    expect(view.evaluation!.threshold).toBeNull();
    const misses = await ok<{ rows: unknown[] }>(dispatch('evaluation:examples', { projectId: numbers.id, runId: numbers.runId, filter: { kind: 'misses' }, limit: 3 }));
    expect(misses.rows).toHaveLength(3);
    expect((await failure(dispatch('evaluation:setThreshold', { projectId: numbers.id, runId: numbers.runId, threshold: 0.4 }))).code).toBe('invalid_payload');
  });

  it('compares runs and saves the one to ship', async () => {
    const compare = await ok<CompareView>(dispatch('evaluation:compare', { projectId: text.id }));
    expect(compare.rows).toEqual([expect.objectContaining({ runId: text.runId, modelId: 'text-bow', backend: 'wasm', test: expect.objectContaining({ accuracy: expect.any(Number) }) })]);
    expect(compare.rows[0].trainingSeconds).toBeGreaterThan(0);
    expect(compare.rows[0].epochsCompleted).toBeGreaterThan(0);
    expect(compare.chosenRunId).toBeNull();
    const chosen = await ok<CompareView>(dispatch('evaluation:chooseRun', { projectId: text.id, runId: text.runId }));
    expect(chosen.chosenRunId).toBe(text.runId);
    expect(JSON.parse(await readFile(join(text.dir, 'project.json'), 'utf8')).evaluation).toMatchObject({ chosenRunId: text.runId });
  });
});

describe('deployment channels', () => {
  let entry: ExportEntry;

  it('exports the chosen run and proves the file gives the same answers on the test split', async () => {
    const view = await ok<DeploymentView>(dispatch('deployment:get', { projectId: text.id }));
    expect(view).toMatchObject({ runId: text.runId, exports: [], downloads: false, serving: { status: { running: false } } });
    const exported = await ok<{ entry: ExportEntry; parity: ParityResult; result: { manifest: { decisionThreshold: number; metrics: { test: Record<string, number> } } } }>(
      dispatch('deployment:export', { projectId: text.id, runId: text.runId, format: 'mpmodel', language: 'zh-CN' }),
    );
    entry = exported.entry;
    expect(entry).toMatchObject({ name: `${text.id}-${text.runId}.mpmodel`, format: 'mpmodel', downloadUrl: null });
    expect(exported.parity).toMatchObject({ rows: 12, identical: true, labelDisagreements: 0, withinTolerance: true });
    expect(exported.result.manifest.decisionThreshold).toBe(0.3);
    expect(exported.result.manifest.metrics.test).toMatchObject({ accuracy: expect.any(Number), macroF1: expect.any(Number) });
    const folder = await ok<{ entry: ExportEntry; parity: null }>(dispatch('deployment:export', { projectId: text.id, runId: text.runId, format: 'tfjs-folder' }));
    expect(folder).toMatchObject({ entry: { format: 'tfjs-folder', name: `${text.id}-${text.runId}-tfjs` }, parity: null });
    expect((await ok<DeploymentView>(dispatch('deployment:get', { projectId: text.id }))).exports.map((e) => e.format).sort()).toEqual(['mpmodel', 'tfjs-folder']);
  });

  it('predicts with the exported file as with the run', async () => {
    const texts = ['terrible, broken, want a refund', 'love it, excellent'];
    const file = await ok<PredictResponse>(dispatch('deployment:predict', { projectId: text.id, model: { kind: 'export', name: entry.name }, texts }));
    const run = await ok<PredictResponse>(dispatch('deployment:predict', { projectId: text.id, model: { kind: 'run', runId: text.runId }, texts }));
    expect(file.predictions).toEqual(run.predictions);
    expect((await failure(dispatch('deployment:predict', { projectId: text.id, model: { kind: 'export', name: `${text.id}-${text.runId}-tfjs` }, texts }))).code).toBe('invalid_payload');
  });

  it('serves the file on 127.0.0.1 with the same answers, and stops', async () => {
    const view = await ok<ServingView>(dispatch('deployment:serve', { projectId: text.id, model: { kind: 'export', name: entry.name }, port: 0 }));
    expect(view.status).toMatchObject({ running: true, host: '127.0.0.1' });
    expect(view.snippets!.curl).toContain(view.status.url!);
    const body = { texts: ['terrible, broken, want a refund', 'love it, excellent'] };
    const response = await fetch(view.status.url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await response.json()) as PredictResponse;
    const inApp = await ok<PredictResponse>(dispatch('deployment:predict', { projectId: text.id, model: { kind: 'export', name: entry.name }, texts: body.texts }));
    expect(answer.predictions).toEqual(inApp.predictions);
    expect((await ok<ServingView>(dispatch('deployment:servingStatus', undefined))).status.running).toBe(true);
    const stopped = await ok<ServingView>(dispatch('deployment:stopServing', undefined));
    expect(stopped.status.running).toBe(false);
    expect(events.some((e) => e.event === 'deployment:serving' && (e.payload as ServingView).status.running)).toBe(true);
  });

  it('saves a copy where the desktop dialog said', async () => {
    const target = join(home, 'elsewhere', 'my model.mpmodel');
    expect(await ok(dispatch('deployment:saveAs', { projectId: text.id, name: entry.name, path: target }))).toEqual({ path: target });
    expect((await stat(target)).size).toBe(entry.bytes);
  });

  it('opens a .mpmodel and scores it on a new labelled file (asking for the answer column when it differs)', async () => {
    const opened = await ok<OpenedModel>(dispatch('deployment:openModel', { projectId: numbers.id, source: { kind: 'path', path: join(text.dir, 'exports', entry.name) } }));
    expect(opened).toMatchObject({ ref: { kind: 'opened' }, fileName: entry.name, info: { task: 'text-classification', labelColumn: 'label', decisionThreshold: 0.3 }, manifest: { name: 'Reviews', language: 'zh-CN' } });
    const report = await ok<{ kind: string; rows: number; report: { kind: string; scores: { accuracy: number } } }>(
      dispatch('deployment:evaluateFile', { projectId: numbers.id, model: opened.ref, source: { kind: 'path', path: fixture('reviews.csv') } }),
    );
    expect(report).toMatchObject({ kind: 'report', rows: 120, report: { kind: 'classification' } });
    expect(report.report.scores.accuracy).toBeGreaterThan(0.5);

    const renamed = join(home, 'renamed.csv');
    await writeFile(renamed, (await readFile(fixture('reviews.csv'), 'utf8')).replace('review,label', 'review,answer'));
    const choose = await ok<{ kind: string; columns: string[]; expected: string }>(dispatch('deployment:evaluateFile', { projectId: numbers.id, model: opened.ref, source: { kind: 'path', path: renamed } }));
    expect(choose).toEqual({ kind: 'choose_label', fileName: 'renamed.csv', expected: 'label', columns: ['review', 'answer'] });
    const chosen = await ok<{ kind: string; label: string; rows: number }>(dispatch('deployment:evaluateFile', { projectId: numbers.id, model: opened.ref, source: { kind: 'path', path: renamed }, label: 'answer' }));
    expect(chosen).toMatchObject({ kind: 'report', label: 'answer', rows: 120 });
    expect((await failure(dispatch('deployment:evaluateFile', { projectId: numbers.id, model: opened.ref, source: { kind: 'path', path: renamed }, label: 'nope' }))).code).toBe('data_column_not_found');
  });

  it('refuses a damaged model file with its code, and keeps nothing of it', async () => {
    const bad = join(home, 'bad.mpmodel');
    await writeFile(bad, 'not a zip');
    expect((await failure(dispatch('deployment:openModel', { projectId: text.id, source: { kind: 'path', path: bad } }))).code).toBe('bundle_corrupt');
  });

  it('in the browser host: downloads instead of paths', async () => {
    const view = await ok<DeploymentView>(web('deployment:get', { projectId: text.id }));
    expect(view.downloads).toBe(true);
    expect(view.exports.find((e) => e.format === 'mpmodel')!.downloadUrl).toBe(`/exports/${encodeURIComponent(text.id)}/${encodeURIComponent(entry.name)}`);
    expect((await failure(web('deployment:saveAs', { projectId: text.id, name: entry.name, path: join(home, 'x.mpmodel') }))).code).toBe('unsupported_in_host');
    expect((await failure(web('deployment:openModel', { projectId: text.id, source: { kind: 'path', path: join(text.dir, 'exports', entry.name) } }))).code).toBe('unsupported_in_host');
    // An upload is taken (and removed once used).
    const upload = join(home, '.modelpilot', 'uploads', 'upload-12345678');
    await mkdir(upload, { recursive: true });
    await writeFile(join(upload, 'model.mpmodel'), await readFile(join(text.dir, 'exports', entry.name)));
    const opened = await ok<OpenedModel>(web('deployment:openModel', { projectId: text.id, source: { kind: 'upload', uploadId: 'upload-12345678' } }));
    expect(opened.fileName).toBe('model.mpmodel');
    await expect(stat(upload)).rejects.toThrow();
  });
});

describe('bad payloads', () => {
  it.each([
    ['evaluation:get', { projectId: 'p', runId: '../x' }, 'runId'],
    ['evaluation:setThreshold', { projectId: 'p', runId: 'r', threshold: 1.5 }, 'threshold'],
    ['evaluation:examples', { projectId: 'p', runId: 'r', filter: { kind: 'row', actual: 'a' } }, 'filter.kind'],
    ['evaluation:examples', { projectId: 'p', runId: 'r', filter: { kind: 'misses' }, limit: 10_000 }, 'limit'],
    ['evaluation:tryIt', { projectId: 'p', runId: 'r' }, 'text'],
    ['evaluation:tryIt', { projectId: 'p', runId: 'r', text: 'a', row: { a: 1 } }, 'text'],
    ['deployment:export', { projectId: 'p', runId: 'r', format: 'onnx' }, 'format'],
    ['deployment:saveAs', { projectId: 'p', name: '../../etc/passwd', path: '/tmp/x' }, 'name'],
    ['deployment:predict', { projectId: 'p', model: { kind: 'export', name: '.hidden' }, texts: ['a'] }, 'model.name'],
    ['deployment:predict', { projectId: 'p', model: { kind: 'opened', id: 'xyz' }, texts: ['a'] }, 'model.id'],
    ['deployment:openModel', { projectId: 'p', source: { kind: 'current' } }, 'source.kind'],
    ['deployment:serve', { projectId: 'p', model: { kind: 'run', runId: 'r' }, port: 70000 }, 'port'],
  ])('%s %j is invalid_payload naming %s', async (channel, payload, field) => {
    const error = await failure(dispatch(channel, payload));
    expect(error.code).toBe('invalid_payload');
    expect(error.params.field).toBe(field);
  });

  it('a run of another project, or none at all, is not_found', async () => {
    expect((await failure(dispatch('evaluation:get', { projectId: text.id, runId: numbers.runId }))).code).toBe('not_found');
    expect((await failure(dispatch('deployment:export', { projectId: text.id, runId: 'nope' }))).code).toBe('not_found');
  });
});
