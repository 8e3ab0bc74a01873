/**
 * A trained run scored on its test rows: the report agrees with the CLI's metrics (one metric
 * implementation), the threshold moves answers without predicting again, and a threshold saved
 * with the run travels into the export, whose own predict.mjs (a separate Node process) answers
 * with it.
 */
import { mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../main/contract/data';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { apply } from '../../../main/core/data/recipe';
import { evaluateRun, examplesOf, readEvaluation, withThreshold, type EvaluationFile } from '../../../main/core/evaluation/evaluate-run';
import { classificationMetrics, regressionMetrics } from '../../../main/core/evaluation/metrics';
import { predictWithRun } from '../../../main/core/evaluation/predict-run';
import { testMetricsOf } from '../../../main/core/evaluation/summary';
import { answersAt } from '../../../main/core/evaluation/threshold';
import { extractBundle } from '../../../main/core/export/bundle-reader';
import { exportRun } from '../../../main/core/export/export-bundle';
import { LocalModels } from '../../../main/core/inference/local';
import { updateRun } from '../../../main/core/training/run-store';
import { linkTfjs, run, trainFixture, writeCsv, type TrainedFixture } from '../export/helpers';

let dir: string;
let models: LocalModels;
let text: { fixture: TrainedFixture; rows: Row[]; file: EvaluationFile; progress: [number, number][] };
let numbers: { fixture: TrainedFixture; rows: Row[]; file: EvaluationFile };

const predict = (request: Parameters<LocalModels['predict']>[0]) => models.predict(request);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-evaluate-'));
  await switchBackend('wasm');
  models = new LocalModels();
  const binary = await trainFixture(dir, 'text-binary');
  // The test split reaches evaluation cleaned, as the Data step prepares it.
  const textRows = apply(binary.recipe, binary.rawTest);
  const progress: [number, number][] = [];
  const file = await evaluateRun({ runDir: binary.runDir, rows: textRows, predict, chunkRows: 10, onProgress: (done, total) => progress.push([done, total]) });
  text = { fixture: binary, rows: textRows, file, progress };
  const regression = await trainFixture(dir, 'tabular-regression');
  const tableRows = apply(regression.recipe, regression.rawTest);
  numbers = { fixture: regression, rows: tableRows, file: await evaluateRun({ runDir: regression.runDir, rows: tableRows, predict }) };
}, 240_000);

afterAll(async () => {
  models?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('evaluating a run on its test rows', () => {
  it('scores every test row in chunks, with progress', () => {
    const { file, rows, progress } = text;
    expect(file.report.kind).toBe('classification');
    expect(file.report.rows).toBe(rows.length);
    expect(file.predictions).toHaveLength(rows.length);
    expect(progress[0]).toEqual([0, rows.length]);
    expect(progress.at(-1)).toEqual([rows.length, rows.length]);
    expect(progress.length).toBe(Math.ceil(rows.length / 10) + 1);
    expect(file.threshold).toBe(0.5);
    expect(file.latencyMs).toBeGreaterThan(0);
    expect(file.modelBytes).toBeGreaterThan(0);
    expect(file.predictions[0].text.length).toBeGreaterThan(0);
  });

  it('agrees with the metrics the CLI computes (one implementation)', async () => {
    const cli = await predictWithRun(text.fixture.runDir, text.rows);
    if (cli.kind !== 'classification' || text.file.report.kind !== 'classification') throw new Error('expected classes');
    const expected = classificationMetrics(cli.actual, cli.predicted);
    expect(text.file.report.scores.accuracy).toBeCloseTo(expected.accuracy, 12);
    expect(text.file.report.scores.macro.f1).toBeCloseTo(expected.macroF1, 12);
    expect(testMetricsOf(text.file.report)).toMatchObject({ accuracy: expected.accuracy });
    // The slider's point at 0.5 is the report at 0.5.
    expect(text.file.report.sweep).toHaveLength(99);
    expect(text.file.report.sweep[49]).toEqual(text.file.report.scores);
    expect(text.file.report.curves).toHaveLength(1);
    expect(text.file.report.curves[0].auc).toBeGreaterThan(0.5);

    const numeric = await predictWithRun(numbers.fixture.runDir, numbers.rows);
    if (numeric.kind !== 'regression' || numbers.file.report.kind !== 'regression') throw new Error('expected numbers');
    const m = regressionMetrics(numeric.actual, numeric.predicted);
    expect(numbers.file.report.mae).toBeCloseTo(m.mae, 9);
    expect(numbers.file.report.r2).toBeCloseTo(m.r2, 9);
    expect(numbers.file.report.points.length).toBe(numbers.rows.length);
  });

  it('is saved, read back, and stale once the run keeps another model', async () => {
    expect(await readEvaluation(text.fixture.runDir)).toEqual(text.file);
    const weights = join(numbers.fixture.runDir, 'model', 'weights.bin');
    const later = new Date(Date.now() + 5000);
    await utimes(weights, later, later);
    expect(await readEvaluation(numbers.fixture.runDir)).toBeNull();
  });

  it('moves answers with the threshold from the saved probabilities, and lists the rows of a cell', () => {
    const { file } = text;
    const positive = file.predictions.map((p) => p.probabilities![1]);
    const moved = withThreshold(file, 0.2);
    expect(moved.predictions.map((p) => p.predicted)).toEqual(answersAt(positive, file.labels, 0.2));
    if (moved.report.kind !== 'classification') throw new Error('expected classes');
    expect(moved.report.scores.threshold).toBe(0.2);
    expect(moved.report.scores).toEqual(moved.report.sweep[19]);
    const [neg, pos] = file.labels;
    const matrix = moved.report.scores.confusion.matrix;
    const cell = examplesOf(moved, { kind: 'cell', actual: neg, predicted: pos }, 500);
    expect(cell.total).toBe(matrix[0][1]);
    expect(cell.rows.every((r) => r.actual === neg && r.predicted === pos)).toBe(true);
    // Mistakes come most confident first.
    const confidences = cell.rows.map((r) => r.confidence!);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(examplesOf(moved, { kind: 'cell', actual: pos, predicted: pos }, 3).rows.length).toBeLessThanOrEqual(3);
  });

  it('lists the largest misses of a number model first', () => {
    const misses = examplesOf(numbers.file, { kind: 'misses' }, 5).rows;
    const sizes = misses.map((r) => Math.abs(Number(r.predicted) - Number(r.actual)));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('refuses a test split without answers', async () => {
    await expect(evaluateRun({ runDir: text.fixture.runDir, rows: [], predict })).rejects.toMatchObject({ code: 'evaluation_no_test_rows' });
  });
});

describe('a threshold saved with the run', () => {
  it('is how the run answers, and travels into the export and its predict.mjs', async () => {
    const { fixture, file } = text;
    const positive = file.predictions.map((p) => p.probabilities![1]);
    // A threshold that flips some answers: between the two middle probabilities.
    const sorted = [...positive].sort((a, b) => a - b);
    const threshold = Math.round(((sorted[Math.floor(sorted.length / 4)] + sorted[Math.floor(sorted.length / 4) + 1]) / 2) * 100) / 100;
    const flipped = answersAt(positive, file.labels, threshold);
    expect(flipped).not.toEqual(answersAt(positive, file.labels, 0.5));
    await updateRun(fixture.runDir, { decisionThreshold: threshold });

    // The app's predictions (the run) use it…
    const app = await models.predict({ source: { kind: 'run', runDir: fixture.runDir }, rows: text.rows, cleaned: true });
    expect(app.predictions.map((p) => p.prediction)).toEqual(flipped);

    // …and so does the exported file, in the app and in a separate Node process.
    const out = join(dir, 'thresholded.mpmodel');
    const result = await exportRun({ runDir: fixture.runDir, outPath: out, testMetrics: testMetricsOf(file.report) });
    expect(result.manifest.decisionThreshold).toBe(threshold);
    expect(result.manifest.metrics.test).toMatchObject({ accuracy: expect.any(Number), macroF1: expect.any(Number) });
    const unzipped = join(dir, 'thresholded');
    await extractBundle(out, unzipped);
    expect(JSON.parse(await readFile(join(unzipped, 'recipe.json'), 'utf8')).decisionThreshold).toBe(threshold);
    expect(await readFile(join(unzipped, 'model-card.md'), 'utf8')).toContain('Decision threshold');
    const fromFile = await models.predict({ source: { kind: 'bundle', path: out }, rows: fixture.rawTest });
    const fromRun = await models.predict({ source: { kind: 'run', runDir: fixture.runDir }, rows: fixture.rawTest, fresh: true });
    expect(fromFile.predictions).toEqual(fromRun.predictions);

    await linkTfjs(unzipped);
    await writeCsv(join(unzipped, 'data.csv'), fixture.rawTest);
    const script = await run(process.execPath, ['examples/predict.mjs', 'data.csv', '--json'], { cwd: unzipped });
    expect(script.stderr).toBe('');
    const lines = script.stdout.trim().split('\n').map((l) => JSON.parse(l) as { prediction: string; confidence: number });
    expect(lines.map((l) => l.prediction)).toEqual(fromRun.predictions.map((p) => p.prediction));
    lines.forEach((l, i) => expect(Math.abs(l.confidence - fromRun.predictions[i].confidence!)).toBeLessThan(1e-6));
  }, 60_000);
});
