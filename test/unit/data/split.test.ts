import { describe, expect, it } from 'vitest';
import type { Row } from '../../../main/contract/data';
import { splitDataset } from '../../../main/core/data/dataset';
import { importDataset } from '../../../main/core/data/import-dataset';
import { addStep, emptyRecipe } from '../../../main/core/data/recipe';
import { allocate, assignSplits, prepareSplits, splitRows } from '../../../main/core/data/split';
import { fixture, tempDir } from './helpers';

const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({ x: i, label: i % 10 === 0 ? 'rare' : i % 3 === 0 ? 'b' : 'a' }));

describe('split', () => {
  it('defaults to 80/10/10 and always adds up', () => {
    const { summary } = splitRows(rows);
    expect(summary.counts).toEqual({ train: 800, validation: 100, test: 100 });
    expect(allocate(7, [0.8, 0.1, 0.1])).toEqual([5, 1, 1]); // largest remainders: 5.6 / 0.7 / 0.7
    expect(allocate(3, [1 / 3, 1 / 3, 1 / 3])).toEqual([1, 1, 1]);
  });

  it('stratifies classification so every split keeps the class balance', () => {
    const { summary } = splitRows(rows, { labelColumn: 'label', taskType: 'multiclass' });
    expect(summary.stratified).toBe(true);
    expect(summary.perClass?.rare).toEqual({ train: 80, validation: 10, test: 10 });
    const b = summary.perClass!.b;
    expect(b.train / (b.train + b.validation + b.test)).toBeCloseTo(0.8, 2);
  });

  it('does not stratify regression', () => {
    expect(splitRows(rows, { labelColumn: 'x', taskType: 'regression' }).summary.stratified).toBe(false);
  });

  it('is deterministic for a seed and different for another', () => {
    const a = assignSplits(rows.map((r) => r.label as string), { seed: 7 }).assignment;
    const b = assignSplits(rows.map((r) => r.label as string), { seed: 7 }).assignment;
    const c = assignSplits(rows.map((r) => r.label as string), { seed: 8 }).assignment;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('takes custom fractions and refuses ones that do not add up to 1', () => {
    expect(splitRows(rows, { train: 0.6, validation: 0.2, test: 0.2 }).summary.counts).toEqual({ train: 600, validation: 200, test: 200 });
    expect(() => splitRows(rows, { train: 0.9, validation: 0.2, test: 0.1 })).toThrow(/must equal 1/);
  });

  it('reports rows of the test set whose input is also in training (leakage)', () => {
    const dup: Row[] = Array.from({ length: 200 }, (_, i) => ({ text: `t${i % 50}`, label: i % 2 ? 'a' : 'b' }));
    const { summary } = splitRows(dup, { labelColumn: 'label', taskType: 'binary' });
    expect(summary.overlap.test).toBeGreaterThan(0);
    expect(summary.warnings[0]).toMatchObject({ code: 'train_test_overlap', fix: { op: 'drop_duplicates', columns: ['text'] } });
    const clean = splitRows(rows, { labelColumn: 'label', taskType: 'multiclass' });
    expect(clean.summary.overlap).toEqual({ validation: 0, test: 0 });
    expect(clean.summary.warnings).toEqual([]);
  });

  it('prepares splits: dedupe before splitting (no leakage), fit on training rows only', () => {
    const data: Row[] = Array.from({ length: 300 }, (_, i) => ({ text: `t${i % 100}`, n: i % 100 === 0 ? null : i % 100, label: i % 2 ? 'a' : 'b' }));
    let recipe = addStep(emptyRecipe(), { op: 'drop_duplicates', columns: ['text'] });
    recipe = addStep(recipe, { op: 'fill_missing', column: 'n', strategy: 'mean' });
    const prepared = prepareSplits(data, recipe, { labelColumn: 'label', taskType: 'binary', inputColumns: ['text', 'n'] });
    expect(prepared.summary.overlap).toEqual({ validation: 0, test: 0 });
    expect(prepared.train.length + prepared.validation.length + prepared.test.length).toBe(100);
    const fitted = prepared.recipe.steps[1] as { fitted?: { value: number } };
    expect(prepared.recipe.fittedOn?.rows).toBe(prepared.train.length);
    const present = prepared.train.filter((r) => r.text !== 't0').map((r) => r.n as number); // t0 had no n
    expect(fitted.fitted?.value).toBeCloseTo(present.reduce((a, b) => a + b, 0) / present.length);
    expect([...prepared.train, ...prepared.validation, ...prepared.test].every((r) => typeof r.n === 'number')).toBe(true);
  });

  it('splits an imported source by streaming, with the same counts as in memory', async () => {
    const dir = await tempDir();
    const imported = await importDataset(dir, fixture('messy.csv'));
    const { assignment, summary } = await splitDataset(dir, imported.source, imported.roles);
    expect(assignment).toHaveLength(40);
    expect(summary.counts.train + summary.counts.validation + summary.counts.test).toBe(40);
    expect(Object.keys(summary.perClass ?? {}).sort()).toEqual(['negative', 'neutral', 'positive']);
  });
});
