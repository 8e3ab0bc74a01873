/**
 * modelpilot export / predict / evaluate: the files they write, their --json shapes, and one
 * `error:` line with exit code 2 for a mistake the user can fix.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/index';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { cellText } from '../../../main/core/data/cells';
import { classificationMetrics, regressionMetrics } from '../../../main/core/evaluation/metrics';
import { loadRunModel, predictLoaded } from '../../../main/core/inference/predictor';
import { trainFixture, writeCsv, type TrainedFixture } from './helpers';

let dir: string;
let text: TrainedFixture;
let regression: TrainedFixture;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-export-cli-'));
  await switchBackend('wasm');
  text = await trainFixture(dir, 'text-multiclass');
  regression = await trainFixture(dir, 'tabular-regression');
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('modelpilot export', () => {
  it('writes the .mpmodel and says what it holds', async () => {
    const file = join(dir, 'reviews.mpmodel');
    const result = await cli('export', text.runDir, '--out', file, '--lang', 'zh-CN', '--name', 'Reviews');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('exported reviews.mpmodel');
    expect(result.out).toContain('labels: neg, neutral, pos');
    expect((await stat(file)).size).toBeGreaterThan(1000);
    const json = JSON.parse((await cli('export', text.runDir, '--out', file, '--json')).out);
    // Without a project.json around the run, the run id names the model.
    expect(json).toMatchObject({ path: file, format: 'mpmodel', manifest: { task: 'text-classification' }, cleaningRecipeSource: 'run', parity: null });
    expect(json.manifest.name).toBe(json.manifest.training.runId);
  });

  it('exports a TF.js folder with --format tfjs', async () => {
    const folder = join(dir, 'tfjs');
    const result = await cli('export', regression.runDir, '--out', folder, '--format', 'tfjs');
    expect(result.code).toBe(0);
    expect(JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')).modelTopology).toBeTruthy();
  });

  it('refuses mistakes with one error line and exit code 2', async () => {
    expect(await cli('export', text.runDir)).toMatchObject({ code: 2, err: 'error: --out is required (usage: modelpilot export <runDir> --out FILE.mpmodel [--lang en|zh-CN] [--format mpmodel|tfjs] [--name NAME] [--check] [--json])' });
    expect(await cli('export', text.runDir, '--out', join(dir, 'x.mpmodel'), '--lang', 'fr')).toMatchObject({ code: 2, err: 'error: --lang must be en or zh-CN, not "fr"' });
    const missing = await cli('export', join(dir, 'nope'), '--out', join(dir, 'x.mpmodel'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^error: no run\.json in /);
    expect(missing.err.split('\n')).toHaveLength(1);
  });
});

describe('modelpilot predict and evaluate', () => {
  let textFile: string;
  let regressionFile: string;
  beforeAll(async () => {
    textFile = join(dir, 'text.mpmodel');
    regressionFile = join(dir, 'regression.mpmodel');
    expect((await cli('export', text.runDir, '--out', textFile)).code).toBe(0);
    expect((await cli('export', regression.runDir, '--out', regressionFile)).code).toBe(0);
  });

  it('writes the input rows with a prediction and a confidence column, as the app predicts them', async () => {
    const input = join(dir, 'reviews.csv');
    await writeCsv(input, text.rawTest);
    const out = join(dir, 'predictions.csv');
    const result = await cli('predict', textFile, '--input', input, '--out', out);
    expect(result.code).toBe(0);
    expect(result.err).toBe(`${text.rawTest.length} prediction(s) written to ${out}`);
    const lines = (await readFile(out, 'utf8')).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('review,label,prediction,confidence');
    expect(lines).toHaveLength(text.rawTest.length + 1);

    const loaded = await loadRunModel(tf, text.runDir);
    const app = await predictLoaded(tf, loaded, text.rawTest);
    loaded.model.dispose();
    const json = JSON.parse((await cli('predict', textFile, '--input', input, '--json')).out);
    expect(json.labels).toEqual(['neg', 'neutral', 'pos']);
    expect(json.rows).toHaveLength(text.rawTest.length);
    json.rows.forEach((row: { review: string; prediction: string; confidence: number; probabilities: Record<string, number> }, i: number) => {
      expect(row.review).toBe(text.rawTest[i].review);
      expect(row.prediction).toBe(app.predictions[i].prediction);
      expect(row.confidence).toBe(app.predictions[i].confidence);
      expect(Object.values(row.probabilities)).toEqual(app.predictions[i].probabilities);
    });
  });

  it('answers --text and prints CSV without --out', async () => {
    const result = await cli('predict', textFile, '--text', 'great product, love it', '--text', '快递太慢，很失望');
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toBe('review,prediction,confidence');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^快递太慢，很失望,(neg|neutral|pos),[01](\.\d+)?$/);
  });

  it('refuses --text for a table model and input without the model\'s columns', async () => {
    expect(await cli('predict', regressionFile, '--text', 'hello')).toMatchObject({ code: 2, err: 'error: this model reads table columns, not a text: give rows' });
    const wrong = join(dir, 'wrong.csv');
    await writeFile(wrong, 'age,plan\n1,pro\n');
    const result = await cli('predict', regressionFile, '--input', wrong);
    expect(result.code).toBe(2);
    expect(result.err).toBe('error: the rows have no column "spend" (the model reads "age", "spend", "plan")');
    expect(await cli('predict', regressionFile)).toMatchObject({ code: 2 });
    expect((await cli('predict', join(dir, 'missing.mpmodel'), '--text', 'x')).err).toMatch(/^error: no model file at /);
  });

  it('evaluates a classification file with accuracy and macro F1, as the metrics module scores it', async () => {
    const input = join(dir, 'labeled.csv');
    await writeCsv(input, [...text.rawTest, { review: 'no answer here', label: '' }]);
    const result = await cli('evaluate', textFile, '--input', input, '--label', 'label', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    const loaded = await loadRunModel(tf, text.runDir);
    const app = await predictLoaded(tf, loaded, text.rawTest);
    loaded.model.dispose();
    const expected = classificationMetrics(
      text.rawTest.map((r) => cellText(r.label)),
      app.predictions.map((p) => String(p.prediction)),
    );
    expect(report).toEqual({ file: 'text.mpmodel', task: 'text-classification', rows: text.rawTest.length, skipped: 1, unknownLabels: 0, metrics: expected });
    const plain = await cli('evaluate', textFile, '--input', input, '--label', 'label');
    expect(plain.out).toMatch(/accuracy \d\.\d{4}, macro F1 \d\.\d{4}/);
  });

  it('evaluates a regression file with MAE, RMSE and R²', async () => {
    const input = join(dir, 'numbers.csv');
    await writeCsv(input, regression.rawTest);
    const report = JSON.parse((await cli('evaluate', regressionFile, '--input', input, '--label', 'label', '--json')).out);
    const loaded = await loadRunModel(tf, regression.runDir);
    const app = await predictLoaded(tf, loaded, regression.rawTest);
    loaded.model.dispose();
    const expected = regressionMetrics(
      regression.rawTest.map((r) => Number(r.label)),
      app.predictions.map((p) => p.prediction as number),
    );
    expect(report.metrics.mae).toBeCloseTo(expected.mae, 9);
    expect(report.metrics.rmse).toBeCloseTo(expected.rmse, 9);
    expect(report.metrics.r2).toBeCloseTo(expected.r2, 9);
    expect(await cli('evaluate', regressionFile, '--input', input, '--label', 'nope')).toMatchObject({ code: 2 });
    expect(await cli('evaluate', regressionFile, '--input', input)).toMatchObject({ code: 2 });
  });
});
