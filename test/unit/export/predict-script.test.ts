/**
 * The exported file's own examples/predict.mjs, run in a separate Node process from the unzipped
 * bundle with only @tensorflow/tfjs beside it, gives the app's predictions: same labels, same
 * probabilities within 1e-6 (the app runs on wasm here, the script on tfjs's plain JS backend).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prediction } from '../../../main/contract/export';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { extractBundle } from '../../../main/core/export/bundle-reader';
import { exportRun } from '../../../main/core/export/export-bundle';
import { loadRunModel, predictLoaded, type LoadedModel } from '../../../main/core/inference/predictor';
import { linkTfjs, run, trainFixture, writeCsv, type FixtureKind, type TrainedFixture } from './helpers';

let dir: string;
const kinds: FixtureKind[] = ['text-binary', 'text-multiclass', 'tabular-binary', 'tabular-regression'];
const fixtures = new Map<FixtureKind, { fixture: TrainedFixture; loaded: LoadedModel; bundleDir: string }>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-predict-script-'));
  await switchBackend('wasm');
  for (const kind of kinds) {
    const fixture = await trainFixture(dir, kind);
    const out = join(dir, `${kind}.mpmodel`);
    await exportRun({ runDir: fixture.runDir, outPath: out, language: kind === 'text-binary' ? 'zh-CN' : 'en' });
    const bundleDir = join(dir, `${kind}-unzipped`);
    await extractBundle(out, bundleDir);
    await linkTfjs(bundleDir);
    await writeCsv(join(bundleDir, 'data.csv'), fixture.rawTest);
    fixtures.set(kind, { fixture, loaded: await loadRunModel(tf, fixture.runDir), bundleDir });
  }
}, 240_000);

afterAll(async () => {
  for (const { loaded } of fixtures.values()) loaded.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

interface ScriptLine {
  prediction: string | number;
  confidence: number | null;
  probabilities: Record<string, number> | null;
}

function expectSame(app: Prediction[], script: ScriptLine[], labels: string[]): void {
  expect(script).toHaveLength(app.length);
  app.forEach((p, i) => {
    const s = script[i];
    if (typeof p.prediction === 'number') {
      expect(Math.abs((s.prediction as number) - p.prediction)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(p.prediction)));
      expect(s.confidence).toBeNull();
      return;
    }
    expect(s.prediction).toBe(p.prediction);
    labels.forEach((label, k) => expect(Math.abs(s.probabilities![label] - p.probabilities![k])).toBeLessThanOrEqual(1e-6));
    expect(Math.abs(s.confidence! - p.confidence!)).toBeLessThanOrEqual(1e-6);
  });
}

async function script(kind: FixtureKind, args: string[]) {
  const { bundleDir } = fixtures.get(kind)!;
  const result = await run(process.execPath, ['examples/predict.mjs', ...args], { cwd: bundleDir });
  expect(result.stderr).not.toMatch(/error:/);
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('examples/predict.mjs from an unzipped bundle', () => {
  it.each(kinds)('gives the app\'s predictions for a CSV (%s)', async (kind) => {
    const { fixture, loaded } = fixtures.get(kind)!;
    const app = await predictLoaded(tf, loaded, fixture.rawTest);
    const lines = (await script(kind, ['data.csv', '--json'])).trim().split('\n').map((l) => JSON.parse(l) as ScriptLine);
    expectSame(app.predictions, lines, app.labels);
    // Not a trivial model: the answers vary.
    expect(new Set(app.predictions.map((p) => (typeof p.prediction === 'number' ? Math.round(p.prediction) : p.prediction))).size).toBeGreaterThan(1);
  });

  it('answers --text for English and Chinese texts exactly as the app does', async () => {
    const texts = ['<b>GREAT</b> product, I love it', '快递太慢了，非常失望', '这个产品很好用'];
    for (const kind of ['text-binary', 'text-multiclass'] as const) {
      const { loaded } = fixtures.get(kind)!;
      const app = await predictLoaded(tf, loaded, texts.map((review) => ({ review })));
      const lines = (await script(kind, [...texts.flatMap((t) => ['--text', t]), '--json'])).trim().split('\n').map((l) => JSON.parse(l) as ScriptLine);
      expectSame(app.predictions, lines, app.labels);
    }
  });

  it('prints one "prediction,confidence" line per row, and --out writes the rows with both columns', async () => {
    const { fixture, bundleDir } = fixtures.get('tabular-binary')!;
    const plain = (await script('tabular-binary', ['data.csv'])).trim().split('\n');
    expect(plain[0]).toBe('prediction,confidence');
    expect(plain).toHaveLength(fixture.rawTest.length + 1);
    expect(plain[1]).toMatch(/^(churn|stay),0\.\d+|^(churn|stay),1$/);

    await script('tabular-binary', ['data.csv', '--out', 'predictions.csv']);
    const csv = (await readFile(join(bundleDir, 'predictions.csv'), 'utf8')).replace(/^\ufeff/, '').split('\r\n');
    expect(csv[0]).toBe('age,spend,plan,label,prediction,confidence');
    expect(csv[1].split(',').slice(-2).join(',')).toBe(plain[1]);
  });

  it('says what is wrong, in one line, when the data lacks a column the model reads', async () => {
    const { bundleDir } = fixtures.get('tabular-regression')!;
    await writeCsv(join(bundleDir, 'wrong.csv'), [{ age: 1, plan: 'pro' }]);
    const result = await run(process.execPath, ['examples/predict.mjs', 'wrong.csv'], { cwd: bundleDir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('error: the data has no column "spend"; the model reads age, spend, plan');
  });
});
