import { describe, expect, it } from 'vitest';
import { DEFAULT_SPLIT, type ColumnRoles, type Recipe, type RecipeStep, type Row } from '../../../main/contract/data';
import { cellText, isMissing } from '../../../main/core/data/cells';
import { auditFile, readRows } from '../../../main/core/data/dataset';
import { detectSource } from '../../../main/core/data/read-table';
import { analyzeTable } from '../../../main/core/data/prepare-stream';
import { addStep, applyUnfitted, emptyRecipe, fit } from '../../../main/core/data/recipe';
import { splitRows } from '../../../main/core/data/split';
import { coreErrorOf, fixture } from './helpers';

const roles: ColumnRoles = { id: 'id', review: 'text', rating: 'numeric', price: 'numeric', country: 'categorical', source: 'ignore', label: 'label' };
const inputs = ['review', 'rating', 'price', 'country'];

async function messy() {
  const path = fixture('messy.csv');
  const { spec } = await detectSource(path);
  return { path, spec, rows: await readRows(path, spec) };
}

function recipeOf(...steps: RecipeStep[]): Recipe {
  return steps.reduce(addStep, emptyRecipe());
}

/** prepareSplits (split.ts) step by step, to compare the streaming passes with. */
function inMemory(rows: Row[], recipe: Recipe, inputColumns = inputs) {
  const cleaned = applyUnfitted(recipe, rows);
  const split = splitRows(cleaned, { ...DEFAULT_SPLIT, labelColumn: 'label', taskType: 'multiclass', inputColumns });
  return { cleaned, split, fitted: fit(recipe.steps, split.train) };
}

function classCounts(rows: Row[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) if (!isMissing(row.label)) counts[cellText(row.label).trim()] = (counts[cellText(row.label).trim()] ?? 0) + 1;
  return counts;
}

describe('analyzeTable (the recipe in streaming passes)', () => {
  it('with no fixes, gives exactly the audit of `modelpilot audit` and the split of splitDataset', async () => {
    const { path, spec } = await messy();
    const view = await analyzeTable(path, spec, roles, emptyRecipe(), DEFAULT_SPLIT);
    const cli = await auditFile(path, { label: 'label' });
    expect(cli.roles).toEqual(roles);
    expect(view.audit).toEqual(cli.audit);
    expect(view.split.counts).toEqual({ train: 32, validation: 4, test: 4 });
    expect(view.recipe.fittedOn).toEqual({ rows: 32 });
  });

  it('matches prepareSplits for filters, text steps and fitted steps together', async () => {
    const { path, spec, rows } = await messy();
    const recipe = recipeOf(
      { op: 'trim', columns: ['review'] },
      { op: 'drop_duplicates', columns: inputs.concat('label') },
      { op: 'drop_conflicts', inputColumns: inputs, labelColumn: 'label' },
      { op: 'fill_missing', column: 'price', strategy: 'median' },
      { op: 'clip_outliers', column: 'price', method: 'iqr', k: 3 },
      { op: 'fill_missing', column: 'country', strategy: 'mode' },
      { op: 'drop_classes', column: 'label', classes: ['neutral'] },
    );
    const view = await analyzeTable(path, spec, roles, recipe, DEFAULT_SPLIT);
    const reference = inMemory(rows, recipe);

    expect(view.audit.rows).toBe(reference.cleaned.length);
    expect(view.split.counts).toEqual(reference.split.summary.counts);
    expect(view.split.perClass).toEqual(reference.split.summary.perClass);
    expect(view.split.overlap).toEqual(reference.split.summary.overlap);
    expect(view.recipe.steps).toEqual(reference.fitted.steps);
    expect(view.audit.labels).toEqual(classCounts(reference.cleaned));
    expect(view.audit.taskType).toBe('binary'); // without "neutral", two groups are left
    const audited = (name: string) => view.audit.columns.find((c) => c.name === name)!;
    expect(audited('price').missing).toBe(0);
    expect(audited('country').missing).toBe(0);
    expect(view.audit.warnings.map((w) => w.code)).not.toContain('duplicates');
    expect(view.audit.warnings.map((w) => w.code)).not.toContain('conflicting_labels');
  });

  it('leaves dropped columns out of the audit and drops rows with a blank where asked', async () => {
    const { path, spec, rows } = await messy();
    const recipe = recipeOf({ op: 'drop_columns', columns: ['source'] }, { op: 'drop_missing', columns: ['review'] });
    const view = await analyzeTable(path, spec, roles, recipe, DEFAULT_SPLIT);
    expect(view.audit.columns.map((c) => c.name)).toEqual(['id', 'review', 'rating', 'price', 'country', 'label']);
    expect(view.audit.rows).toBe(inMemory(rows, recipe).cleaned.length);
    expect(view.audit.rows).toBe(39);
  });

  it('splits the same way for the same seed and differently for another', async () => {
    const { path, spec } = await messy();
    const a = await analyzeTable(path, spec, roles, emptyRecipe(), DEFAULT_SPLIT);
    const b = await analyzeTable(path, spec, roles, emptyRecipe(), DEFAULT_SPLIT);
    const c = await analyzeTable(path, spec, roles, emptyRecipe(), { ...DEFAULT_SPLIT, train: 0.6, validation: 0.2, test: 0.2, seed: 7 });
    expect(b.split).toEqual(a.split);
    expect(c.split.counts.train).toBeLessThan(a.split.counts.train);
  });

  it('fits on a uniform sample of the rows past the cap, the same sample every time', async () => {
    const { path, spec } = await messy();
    const recipe = recipeOf({ op: 'fill_missing', column: 'rating', strategy: 'mean' });
    const sampled = await analyzeTable(path, spec, roles, recipe, DEFAULT_SPLIT, {}, 0, 12);
    const again = await analyzeTable(path, spec, roles, recipe, DEFAULT_SPLIT, {}, 0, 12);
    const exact = await analyzeTable(path, spec, roles, recipe, DEFAULT_SPLIT);
    const value = (view: typeof exact) => (view.recipe.steps[0] as { fitted: { value: number } }).fitted.value;
    expect(value(again)).toBe(value(sampled));
    expect(value(sampled)).toBeGreaterThanOrEqual(1);
    expect(value(sampled)).toBeLessThanOrEqual(5);
    expect(value(sampled)).not.toBe(value(exact)); // 12 of 40 rows: close, not the same
    expect(sampled.audit.columns.find((c) => c.name === 'rating')!.missing).toBe(0);
  });

  it('stops with `cancelled` when its signal fires', async () => {
    const { path, spec } = await messy();
    const controller = new AbortController();
    controller.abort();
    expect((await coreErrorOf(() => analyzeTable(path, spec, roles, emptyRecipe(), DEFAULT_SPLIT, { signal: controller.signal }))).code).toBe('cancelled');
  });
});
