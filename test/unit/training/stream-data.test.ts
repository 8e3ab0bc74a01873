import { readdirSync } from 'node:fs';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrepareStage } from '../../../main/contract/training';
import { addStep, emptyRecipe } from '../../../main/core/data/recipe';
import type { BatchSource } from '../../../main/core/training/batch-source';
import { batchArrays, epochOrder } from '../../../main/core/training/batches';
import { cacheKey, openCache } from '../../../main/core/training/data-cache';
import { prepareData } from '../../../main/core/training/prepare';
import { prepareSource } from '../../../main/core/training/prepare-source';
import { loadTestRows } from '../../../main/core/training/project-data';
import { resolveSetup } from '../../../main/core/training/project-setup';
import { parseTrainingConfig } from '../../../main/core/training/run-store';
import { RecordWriter } from '../../../main/core/training/split-files';
import { fingerprintData } from '../../../main/core/training/training-data';
import { coreErrorOf, listAll, tempDir } from '../data/helpers';
import { csvOf, inMemory, projectOf } from './stream-fixtures';

const tableConfig = parseTrainingConfig({ modelId: 'tabular-mlp', task: 'tabular-classification', batchSize: 32, seed: 9 });
const regressionConfig = parseTrainingConfig({ modelId: 'tabular-linear', task: 'tabular-regression', batchSize: 16 });
const textConfig = parseTrainingConfig({ modelId: 'text-bow', task: 'text-classification', batchSize: 64 });

/** Every batch of two epochs, and the validation rows, are the same from both sources. */
function expectSameBatches(memory: BatchSource, disk: BatchSource, batchSize: number, seed: number): void {
  expect([disk.rows, disk.width, disk.yWidth, disk.xType, disk.hasClasses]).toEqual([memory.rows, memory.width, memory.yWidth, memory.xType, memory.hasClasses]);
  for (const epoch of [0, 1]) {
    const order = epochOrder(memory.rows, seed, epoch);
    for (let start = 0; start < memory.rows; start += batchSize) {
      const rows = order.subarray(start, start + batchSize);
      expect(batchArrays(disk, rows)).toEqual(batchArrays(memory, rows));
    }
  }
}

async function bothWays(ref: Awaited<ReturnType<typeof projectOf>>, config: typeof tableConfig) {
  const data = await inMemory(ref);
  const memory = prepareData(data, config);
  const disk = await prepareSource(ref, config, { cacheDir: join(ref.projectDir, 'runs', 'r1', 'cache') });
  return { data, memory, disk };
}

describe('training data streamed into the run folder', () => {
  it('gives the batches, preprocessing and fingerprint of the rows held in memory (a table, fitted recipe steps)', async () => {
    let recipe = addStep(emptyRecipe(), { op: 'drop_duplicates' });
    recipe = addStep(recipe, { op: 'fill_missing', column: 'age', strategy: 'median' });
    recipe = addStep(recipe, { op: 'normalize', column: 'spend', method: 'zscore' });
    const ref = await projectOf(csvOf('classes', 1500), { recipe });
    const { data, memory, disk } = await bothWays(ref, tableConfig);
    try {
      expect(disk.preprocessing).toEqual(memory.preprocessing);
      expect(disk.fingerprint).toBe(fingerprintData(data));
      expect(disk.classCounts).toEqual(memory.classCounts);
      expect([disk.train.rows, disk.validation.rows]).toEqual([data.train.length, data.validation!.length]);
      expectSameBatches(memory.train, disk.train, tableConfig.batchSize, tableConfig.seed);
      expectSameBatches(memory.validation, disk.validation, 256, 0);
      // data.json's recipe: fitted on the same training rows as in memory.
      expect(disk.snapshot?.recipe.steps[1]).toMatchObject({ op: 'fill_missing', fitted: expect.any(Object) });
    } finally {
      disk.close();
    }
  });

  it('also for a number to predict, for texts, and for a split without validation rows (the seeded hold-out)', async () => {
    const cases = [
      { ref: await projectOf(csvOf('number', 600)), config: regressionConfig },
      { ref: await projectOf(csvOf('text', 700), { roles: { review: 'text', label: 'label' } }), config: textConfig },
      { ref: await projectOf(csvOf('classes', 500), { split: { train: 0.85, validation: 0, test: 0.15, seed: 5 } }), config: tableConfig },
    ];
    for (const { ref, config } of cases) {
      const { data, memory, disk } = await bothWays(ref, config);
      try {
        expect(disk.preprocessing).toEqual(memory.preprocessing);
        expect(disk.fingerprint).toBe(fingerprintData(data));
        expect(disk.validation.rows).toBeGreaterThan(0);
        expectSameBatches(memory.train, disk.train, config.batchSize, config.seed);
        expectSameBatches(memory.validation, disk.validation, 256, 0);
      } finally {
        disk.close();
      }
    }
  });

  it('never lets a test row into the cache: training, validation and test add up to the cleaned rows', async () => {
    const ref = await projectOf(csvOf('classes', 400));
    const disk = await prepareSource(ref, tableConfig, { cacheDir: join(ref.projectDir, 'cache') });
    disk.close();
    const test = await loadTestRows(ref.projectDir, ref.section);
    const data = await inMemory(ref);
    expect(test.length).toBe(40);
    expect(disk.train.rows + disk.validation.rows + test.length).toBe(400);
    // The test rows are the ones left out of training, row for row.
    const key = (r: Record<string, unknown>) => JSON.stringify([r.age, r.spend, r.plan, r.label]);
    const trained = new Set([...data.train, ...data.validation!].map(key));
    expect(test.filter((r) => trained.has(key(r)))).toEqual([]);
  });

  it('reuses a whole cache, and throws away one that is damaged, truncated, or built for other settings', async () => {
    const ref = await projectOf(csvOf('classes', 800));
    const cacheDir = join(ref.projectDir, 'runs', 'r1', 'cache');
    const first = await prepareSource(ref, tableConfig, { cacheDir });
    first.close();
    const fitted = first.preprocessing;
    const original = await readFile(join(cacheDir, 'train.bin'));
    const key = cacheKey(ref.section, resolveSetup(ref.section).inputs, tableConfig, fitted);
    const reopen = async () => {
      const log: string[] = [];
      const again = await prepareSource(ref, tableConfig, { cacheDir, fitted, log: (m) => log.push(m) });
      again.close();
      expect(again.fingerprint).toBe(first.fingerprint);
      expect(await readFile(join(cacheDir, 'train.bin'))).toEqual(original);
      return log;
    };
    expect(await reopen()).toEqual([]);

    const flipped = Buffer.from(original);
    flipped[flipped.length >> 1] ^= 0xff;
    await writeFile(join(cacheDir, 'train.bin'), flipped);
    expect((await openCache(cacheDir, key)).reason).toBe('train: contents changed');
    expect(await reopen()).toEqual(['data cache rebuilt: train: contents changed']);

    await truncate(join(cacheDir, 'validation.bin'), 10);
    expect((await openCache(cacheDir, key)).reason).toMatch(/^validation: 10 bytes/);
    expect(await reopen()).toHaveLength(1);

    await writeFile(join(cacheDir, 'manifest.json'), '{"formatVersion":1,');
    expect((await openCache(cacheDir, key)).reason).toMatch(/^damaged manifest/);
    expect(await reopen()).toHaveLength(1);

    const otherSeed = cacheKey(ref.section, resolveSetup(ref.section).inputs, { ...tableConfig, seed: 10 }, fitted);
    expect((await openCache(cacheDir, otherSeed)).reason).toBe('built for other data or settings');
  });

  it('cancelled mid-way, leaves no file a later run could take for a cache', async () => {
    // About 3 MB: the encoding pass reads several chunks, so the cancel lands while it writes.
    const ref = await projectOf(csvOf('classes', 60_000));
    const cacheDir = join(ref.projectDir, 'runs', 'r1', 'cache');
    const abort = new AbortController();
    let writing: string[] = [];
    const onStage = (stage: PrepareStage) => {
      if (stage === 'encode' && !abort.signal.aborted) {
        // Split and fit are done; the encoding pass has its files open.
        writing = readdirSync(cacheDir);
        abort.abort();
      }
    };
    const error = await coreErrorOf(() => prepareSource(ref, tableConfig, { cacheDir, signal: abort.signal, onStage }));
    expect(error.code).toBe('cancelled');
    expect(writing.filter((f) => f.endsWith('.tmp'))).toHaveLength(2);
    expect(await listAll(cacheDir)).toEqual([]);
    const key = cacheKey(ref.section, resolveSetup(ref.section).inputs, tableConfig, prepareData(await inMemory(ref), tableConfig).preprocessing);
    expect((await openCache(cacheDir, key)).cache).toBeNull();
  });

  it('writes a split file only when finished: an aborted writer leaves nothing behind', async () => {
    const dir = await tempDir();
    const layout = { width: 3, xType: 'float32' as const, outputKind: 'binary' as const, classes: 2 };
    const kept = new RecordWriter(join(dir, 'kept.bin'), layout);
    const dropped = new RecordWriter(join(dir, 'dropped.bin'), layout);
    for (let i = 0; i < 100_000; i++) {
      kept.x.set([i, i + 1, i + 2]);
      kept.append(i % 2);
      dropped.x.set([i, 0, 0]);
      dropped.append(0);
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toHaveLength(2);
    dropped.abort();
    expect(kept.finish()).toMatchObject({ rows: 100_000, bytes: 100_000 * 16 });
    expect(await readdir(dir)).toEqual(['kept.bin']);
  });
});
