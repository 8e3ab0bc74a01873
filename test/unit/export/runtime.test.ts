/**
 * One preprocessing implementation: the inference module encodes rows exactly as training
 * encoded them, and the standalone runtime shipped in every export is that same module bundled
 * (prebuilt at build time, rebuilt from sources when they are newer).
 */
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfigInput } from '../../../main/contract/training';
import { emptyRecipe } from '../../../main/core/data/recipe';
import { appRoot, buildPredictRuntime, PREBUILT_INPUTS_FILE, predictRuntimeCode, writePrebuiltRuntime } from '../../../main/core/export/predict-runtime';
import { parseCsvText } from '../../../main/core/inference/csv';
import { decodeOutputs, encodeRows, MODEL_RECIPE_FORMAT_VERSION, type ModelRecipe } from '../../../main/core/inference/preprocess';
import { parseTrainingConfig } from '../../../main/core/training/run-store';
import { prepareData } from '../../../main/core/training/prepare';
import { table, textReviews } from '../training/fixtures';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-runtime-'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('preprocessing for predictions', () => {
  const cases: [string, ReturnType<typeof textReviews>, TrainingConfigInput][] = [
    ['text', textReviews(40, 3, 3), { modelId: 'text-lstm', task: 'text-classification' }],
    ['table', table(40, 4), { modelId: 'tabular-mlp', task: 'tabular-classification' }],
    ['regression', table(40, 5, 'number'), { modelId: 'tabular-linear', task: 'tabular-regression' }],
  ];

  it.each(cases)('encodes rows exactly as training encodes them (%s)', (_name, data, config) => {
    const prepared = prepareData(data, parseTrainingConfig(config));
    const recipe: ModelRecipe = { formatVersion: MODEL_RECIPE_FORMAT_VERSION, cleaning: emptyRecipe(), preprocessing: prepared.preprocessing };
    const encoded = encodeRows(recipe, data.validation!);
    expect(encoded.width).toBe(prepared.validation.width);
    expect(Array.from(encoded.data)).toEqual(Array.from(prepared.validation.x));
  });

  it('maps outputs to labels and values as training defined them', () => {
    const binary = prepareData(textReviews(20, 1), parseTrainingConfig({ modelId: 'text-bow', task: 'text-classification' })).preprocessing;
    expect(decodeOutputs(binary, new Float32Array([0.25, 0.75]), 2)).toEqual([
      { prediction: 'neg', confidence: 0.75, probabilities: [0.75, 0.25] },
      { prediction: 'pos', confidence: 0.75, probabilities: [0.25, 0.75] },
    ]);
    const multi = prepareData(textReviews(21, 1, 3), parseTrainingConfig({ modelId: 'text-bow', task: 'text-classification' })).preprocessing;
    expect(decodeOutputs(multi, [0.2, 0.5, 0.3], 1)[0]).toEqual({ prediction: 'neutral', confidence: 0.5, probabilities: [0.2, 0.5, 0.3] });
    const regression = prepareData(table(20, 1, 'number'), parseTrainingConfig({ modelId: 'tabular-linear', task: 'tabular-regression' })).preprocessing;
    const { mean, std } = regression.target!;
    expect(decodeOutputs(regression, [1], 1)[0]).toEqual({ prediction: mean + std, confidence: null, probabilities: null });
  });

  it('reads CSV as the importer does: quotes, BOM, CRLF, blank lines, semicolons', () => {
    expect(parseCsvText('\ufeffreview,label\r\n"a, ""quoted"" text",pos\r\n\r\n中文,neg\r\n')).toEqual({
      columns: ['review', 'label'],
      rows: [
        { review: 'a, "quoted" text', label: 'pos' },
        { review: '中文', label: 'neg' },
      ],
    });
    expect(parseCsvText('a;b\n1;2\n3;4\n').rows).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
    expect(() => parseCsvText('a,b\n1,2,3\n')).toThrow(/row 2 has 3 field/);
  });
});

describe('the standalone runtime', () => {
  it('bundles the inference module without tfjs, and loads in plain Node', async () => {
    const { code, inputs } = await buildPredictRuntime();
    expect(inputs).toContain('main/core/inference/preprocess.ts');
    expect(inputs).toContain('main/core/data/recipe.ts');
    expect(inputs).toContain('main/core/text/tokenizer.ts');
    expect(code).not.toMatch(/from ["']@tensorflow/);
    const path = join(dir, 'runtime.mjs');
    await writeFile(path, code);
    const runtime = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    for (const name of ['loadBundleFolder', 'predictRows', 'parseTableText', 'predictionsToCsv', 'inputSchemaOf', 'missingInputColumns']) expect(typeof runtime[name], name).toBe('function');
  });

  it('uses the prebuilt file while it is current, and rebuilds from sources newer than it', async () => {
    const prebuilt = join(dir, 'prebuilt', 'modelpilot-runtime.mjs');
    await writePrebuiltRuntime(appRoot(), prebuilt);
    const inputs = JSON.parse(await readFile(join(dir, 'prebuilt', PREBUILT_INPUTS_FILE), 'utf8')).inputs as string[];
    expect(inputs.length).toBeGreaterThan(10);
    // A marker instead of the real code shows which one was used.
    await writeFile(prebuilt, '// prebuilt marker\n');
    const future = new Date(Date.now() + 3600_000);
    await utimes(prebuilt, future, future);
    expect(await predictRuntimeCode({ prebuilt })).toBe('// prebuilt marker\n');
    await utimes(prebuilt, new Date(0), new Date(0));
    expect(await predictRuntimeCode({ prebuilt })).toContain('ModelPilot prediction runtime');
  });
});
