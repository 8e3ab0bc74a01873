/**
 * The exported file: what is inside, that it reloads and reproduces the run's predictions
 * (parity), the TF.js folder export, and the bad files a user may hand the app: a corrupt zip,
 * a zip-slip archive, a manifest from a newer version, a missing recipe, a damaged weight file.
 * Each is a CoreError with its code, and nothing is written outside the target folder.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT_VERSION, bundleManifestSchema, exportResultSchema } from '../../../main/contract/export';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { extractBundle, readBundle } from '../../../main/core/export/bundle-reader';
import { exportRun } from '../../../main/core/export/export-bundle';
import { checkParity, comparePredictions } from '../../../main/core/export/parity';
import { isSafeEntryName, readZip } from '../../../main/core/export/zip';
import { CoreError } from '../../../main/core/errors';
import { loadBundleFolder } from '../../../main/core/inference/bundle-folder';
import { LocalModels } from '../../../main/core/inference/local';
import { loadBundleFile, loadRunModel, predictLoaded } from '../../../main/core/inference/predictor';
import { trainFixture, type TrainedFixture } from './helpers';

let dir: string;
let text: TrainedFixture;
let tabular: TrainedFixture;
let textFile: string;
let tabularFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-bundle-'));
  await switchBackend('wasm');
  text = await trainFixture(dir, 'text-binary');
  tabular = await trainFixture(dir, 'tabular-regression');
  textFile = join(dir, 'text.mpmodel');
  tabularFile = join(dir, 'tabular.mpmodel');
  await exportRun({ runDir: text.runDir, outPath: textFile, language: 'zh-CN', testMetrics: { accuracy: 0.9, macroF1: 0.88 } });
  await exportRun({ runDir: tabular.runDir, outPath: tabularFile });
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

/** Rebuilds a zip from the text bundle's entries after `change`. */
async function tampered(name: string, change: (files: Record<string, Uint8Array>) => void): Promise<string> {
  const files = readZip(await readFile(textFile));
  change(files);
  const path = join(dir, name);
  await writeFile(path, zipSync(files));
  return path;
}

async function refusal(promise: Promise<unknown>): Promise<CoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoreError);
  return error as CoreError;
}

describe('exportRun', () => {
  it('writes a .mpmodel with manifest, model, recipe, model card and examples', async () => {
    const result = await exportRun({ runDir: text.runDir, outPath: join(dir, 'again.mpmodel') });
    expect(exportResultSchema.parse(result)).toBeTruthy();
    expect(result.cleaningRecipeSource).toBe('run');
    expect(result.files).toEqual([
      'README.md',
      'examples/curl.txt',
      'examples/modelpilot-runtime.mjs',
      'examples/predict.mjs',
      'examples/sample-input.csv',
      'manifest.json',
      'model-card.html',
      'model-card.md',
      'model/model.json',
      'model/weights.bin',
      'package.json',
      'recipe.json',
    ]);
    const { manifest, recipe } = await readBundle(textFile);
    expect(bundleManifestSchema.parse(manifest)).toMatchObject({
      format: 'modelpilot-model',
      formatVersion: BUNDLE_FORMAT_VERSION,
      task: 'text-classification',
      outputKind: 'binary',
      modelId: 'text-bow',
      labelColumn: 'label',
      labels: ['neg', 'pos'],
      input: { kind: 'text', columns: [{ name: 'review', type: 'text' }] },
      language: 'zh-CN',
      metrics: { test: { accuracy: 0.9, macroF1: 0.88 } },
    });
    expect(manifest.metrics.validation.accuracy).toBeGreaterThanOrEqual(0);
    expect(manifest.training.trainRows).toBeGreaterThan(0);
    // The cleaning recipe travels fitted, exactly as the data step fitted it.
    expect(recipe.cleaning).toEqual(text.recipe);
    expect(recipe.preprocessing.kind).toBe('text');
  });

  it('words the model card in the chosen language, as Markdown and as a self-contained page', async () => {
    const files = readZip(await readFile(textFile));
    const md = strFromU8(files['model-card.md']);
    const html = strFromU8(files['model-card.html']);
    expect(md).toContain('# 模型说明卡');
    expect(md).toContain('## 局限');
    expect(md).toContain('去掉“review”里的 HTML 标签');
    expect(md).toMatch(/\| 准确率 \| .+ \| 90% \|/);
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(html).not.toMatch(/<script|https?:\/\//);
    const en = readZip(await readFile(tabularFile));
    expect(strFromU8(en['model-card.md'])).toMatch(/## Limits[\s\S]*## How to use it/);
    expect(strFromU8(en['model-card.md'])).toContain('Standardize "spend"');
    // The most frequent category of the training rows, 0 for numbers.
    expect(strFromU8(en['examples/sample-input.csv'])).toBe('age,spend,plan\r\n0,0,pro\r\n');
    expect(strFromU8(en['examples/curl.txt'])).toContain("curl -s http://127.0.0.1:8731/v1/predict");
  });

  it('refuses a run without a saved model, and writes nothing', async () => {
    const out = join(dir, 'none.mpmodel');
    const error = await refusal(exportRun({ runDir: join(dir, 'no-such-run'), outPath: out }));
    expect(error.code).toBe('not_found');
    expect(await readdir(dir)).not.toContain('none.mpmodel');
  });

  it('exports a TF.js folder that the standalone loader and plain tfjs read', async () => {
    const folder = join(dir, 'tfjs-folder');
    const result = await exportRun({ runDir: tabular.runDir, outPath: folder, format: 'tfjs-folder' });
    expect(result.files).toEqual(['manifest.json', 'model-card.html', 'model-card.md', 'model.json', 'recipe.json', 'weights.bin']);
    const opened = await loadBundleFolder(tf, folder);
    const rows = tabular.rawTest.slice(0, 5);
    const fromFolder = await predictLoaded(tf, { ...opened, source: { kind: 'bundle', path: folder }, name: 'x', task: opened.manifest.task, modelId: 'x', input: opened.manifest.input }, rows);
    const loaded = await loadRunModel(tf, tabular.runDir);
    expect(fromFolder.predictions).toEqual((await predictLoaded(tf, loaded, rows)).predictions);
    opened.model.dispose();
    loaded.model.dispose();
  });
});

describe('parity', () => {
  it('reports that the exported file reproduces the in-app predictions exactly', async () => {
    const models = new LocalModels();
    for (const [fixture, file] of [
      [text, textFile],
      [tabular, tabularFile],
    ] as const) {
      const result = await checkParity((request) => models.predict(request), { runDir: fixture.runDir, bundlePath: file, rows: fixture.rawTest });
      expect(result).toMatchObject({ rows: fixture.rawTest.length, identical: true, maxAbsDiff: 0, labelDisagreements: 0, withinTolerance: true, examples: [] });
    }
    models.dispose();
  });

  it('frees every tensor a prediction makes, and every model it loaded', async () => {
    const baseline = tf.memory().numTensors;
    const models = new LocalModels();
    await models.predict({ source: { kind: 'bundle', path: textFile }, rows: text.rawTest });
    const loaded = tf.memory().numTensors;
    await models.predict({ source: { kind: 'bundle', path: textFile }, rows: text.rawTest });
    await models.predict({ source: { kind: 'bundle', path: textFile }, rows: text.rawTest, fresh: true });
    expect(tf.memory().numTensors).toBe(loaded);
    models.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('reports the difference when answers differ', () => {
    const a = [
      { prediction: 'pos', confidence: 0.8, probabilities: [0.2, 0.8] },
      { prediction: 'neg', confidence: 0.6, probabilities: [0.6, 0.4] },
    ];
    const b = [
      { prediction: 'pos', confidence: 0.8000001, probabilities: [0.1999999, 0.8000001] },
      { prediction: 'pos', confidence: 0.55, probabilities: [0.45, 0.55] },
    ];
    const result = comparePredictions(a, b);
    expect(result).toMatchObject({ identical: false, labelDisagreements: 1, withinTolerance: false });
    expect(result.maxAbsDiff).toBeCloseTo(0.15, 10);
    expect(result.examples.map((e) => e.row)).toEqual([1]);
    const close = comparePredictions([a[0]], [b[0]]);
    expect(close).toMatchObject({ identical: false, labelDisagreements: 0, withinTolerance: true });
  });
});

describe('bad model files', () => {
  it('refuses a file that is not a zip, or a zip cut short', async () => {
    const garbage = join(dir, 'garbage.mpmodel');
    await writeFile(garbage, 'this is not a zip at all');
    expect((await refusal(readBundle(garbage))).code).toBe('bundle_corrupt');
    const bytes = await readFile(textFile);
    const cut = join(dir, 'cut.mpmodel');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await refusal(readBundle(cut))).code).toBe('bundle_corrupt');
  });

  it('refuses a zip whose entries point outside the target folder, writing nothing anywhere', async () => {
    for (const name of ['../evil.txt', '/tmp/evil.txt', 'model/../../evil.txt', 'C:/evil.txt', 'a\\..\\..\\evil.txt']) {
      const path = join(dir, 'slip.mpmodel');
      const files = readZip(await readFile(textFile));
      await writeFile(path, zipSync({ ...files, [name]: strToU8('pwned') }));
      const target = join(dir, 'slip-target', 'inside');
      const error = await refusal(extractBundle(path, target));
      expect(error.code).toBe('bundle_unsafe_path');
      expect(await readdir(dir)).not.toContain('slip-target');
      expect(await readdir(dir)).not.toContain('evil.txt');
    }
  });

  it('refuses a manifest from a newer format version with the versions in its params', async () => {
    const path = await tampered('newer.mpmodel', (files) => {
      const manifest = JSON.parse(strFromU8(files['manifest.json']));
      files['manifest.json'] = strToU8(JSON.stringify({ ...manifest, formatVersion: BUNDLE_FORMAT_VERSION + 1 }));
    });
    const error = await refusal(loadBundleFile(tf, path));
    expect(error.code).toBe('bundle_too_new');
    expect(error.params).toEqual({ version: BUNDLE_FORMAT_VERSION + 1, supported: BUNDLE_FORMAT_VERSION });
  });

  it('refuses a file without its recipe', async () => {
    const path = await tampered('no-recipe.mpmodel', (files) => delete files['recipe.json']);
    expect((await refusal(readBundle(path))).code).toBe('bundle_missing_recipe');
    const target = join(dir, 'no-recipe-target');
    expect((await refusal(extractBundle(path, target))).code).toBe('bundle_missing_recipe');
    expect(await readdir(dir)).not.toContain('no-recipe-target');
  });

  it('refuses damaged weights, a missing manifest and a foreign manifest', async () => {
    const damaged = await tampered('damaged.mpmodel', (files) => {
      files['model/weights.bin'] = files['model/weights.bin'].map((b, i) => (i === 10 ? b ^ 0xff : b));
    });
    expect(await refusal(readBundle(damaged))).toMatchObject({ code: 'bundle_corrupt', params: { reason: 'checksum', path: 'model/weights.bin' } });
    const noManifest = await tampered('no-manifest.mpmodel', (files) => delete files['manifest.json']);
    expect((await refusal(readBundle(noManifest))).code).toBe('bundle_corrupt');
    const foreign = await tampered('foreign.mpmodel', (files) => (files['manifest.json'] = strToU8('{"format":"something-else"}')));
    expect((await refusal(readBundle(foreign))).code).toBe('bundle_corrupt');
  });

  it('unzips a sound file into a new folder', async () => {
    const target = join(dir, 'sound');
    const { files } = await extractBundle(textFile, target);
    expect(files).toContain('examples/predict.mjs');
    expect(JSON.parse(await readFile(join(target, 'manifest.json'), 'utf8')).format).toBe('modelpilot-model');
    // Never over a folder with something in it.
    expect((await refusal(extractBundle(textFile, target))).code).toBe('already_exists');
  });

  it('knows safe entry names from unsafe ones', () => {
    for (const ok of ['manifest.json', 'model/model.json', 'examples/', 'a/b/c.txt', '模型/说明.md']) expect(isSafeEntryName(ok), ok).toBe(true);
    for (const bad of ['', '../x', 'a/../../x', '/etc/passwd', 'C:/x', 'c:x', 'a\\b', './x', 'a//b', 'a/./b', 'x\u0000y']) expect(isSafeEntryName(bad), bad).toBe(false);
  });
});
