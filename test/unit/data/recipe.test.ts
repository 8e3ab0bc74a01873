import { describe, expect, it } from 'vitest';
import { recipeSchema, type Recipe, type Row } from '../../../main/contract/data';
import { addStep, apply, describeRecipe, emptyRecipe, fit, parseRecipe, removeStep, undoLastStep } from '../../../main/core/data/recipe';
import { stripHtml } from '../../../main/core/data/strip-html';
import { coreErrorOf } from './helpers';

const train: Row[] = [
  { text: '  <p>Great</p> STUFF ', age: '20', income: 100, label: 'pos' },
  { text: 'bad', age: '30', income: 200, label: 'neg' },
  { text: 'bad', age: '30', income: 200, label: 'neg' },
  { text: 'ok', age: '', income: 300, label: 'pos' },
  { text: 'fine', age: '40', income: 100000, label: 'pos' },
];
const test: Row[] = [{ text: 'New', age: null, income: 250, label: 'pos' }];

function recipeOf(...steps: Parameters<typeof addStep>[1][]): Recipe {
  return steps.reduce((r, s) => addStep(r, s), emptyRecipe());
}

describe('recipe', () => {
  it('fits fill values on the training rows only and reuses them on other rows', () => {
    const fitted = fit(recipeOf({ op: 'fill_missing', column: 'age', strategy: 'median' }).steps, train);
    expect(fitted.steps[0]).toMatchObject({ fitted: { value: 30 } });
    expect(fitted.fittedOn).toEqual({ rows: 5 });
    expect(apply(fitted, test)[0].age).toBe(30); // the test row's own (missing) value taught nothing
    expect(apply(fitted, train)[3].age).toBe(30);
  });

  it('applies steps in order: clip before normalize, so the stats see clipped values', () => {
    const recipe = recipeOf(
      { op: 'clip_outliers', column: 'income', method: 'iqr', k: 1.5 },
      { op: 'normalize', column: 'income', method: 'minmax' },
    );
    const fitted = fit(recipe.steps, train);
    const [clip, norm] = fitted.steps as [Extract<Recipe['steps'][number], { op: 'clip_outliers' }>, Extract<Recipe['steps'][number], { op: 'normalize' }>];
    expect(clip.fitted!.high).toBeLessThan(100000);
    expect(norm.fitted!.center).toBe(100);
    expect(norm.fitted!.center + norm.fitted!.scale).toBeCloseTo(clip.fitted!.high);
    const out = apply(fitted, train);
    expect(Math.max(...out.map((r) => r.income as number))).toBeCloseTo(1);
    expect(Math.min(...out.map((r) => r.income as number))).toBe(0);
  });

  it('z-scores with training mean and standard deviation', () => {
    const fitted = fit(recipeOf({ op: 'normalize', column: 'age', method: 'zscore' }).steps, [{ age: 1 }, { age: 3 }]);
    expect(fitted.steps[0]).toMatchObject({ fitted: { center: 2, scale: Math.SQRT2 } });
    expect(apply(fitted, [{ age: 4 }])[0].age).toBeCloseTo(2 / Math.SQRT2);
  });

  it('cleans text: trim, lowercase, strip HTML', () => {
    const fitted = fit(recipeOf({ op: 'strip_html', columns: ['text'] }, { op: 'trim', columns: ['text'] }, { op: 'lowercase', columns: ['text'] }).steps, train);
    expect(apply(fitted, train)[0].text).toBe('great stuff');
    expect(stripHtml('a<br>b &amp; c &#20013;&#x6587; <script>x()</script>d')).toBe('a b & c 中文 d');
  });

  it('drops duplicates, missing, conflicting and rare-class rows while training, never while predicting', () => {
    const rows: Row[] = [...train, { text: 'bad', age: '30', income: 200, label: 'pos' }, { text: 'rare', age: '1', income: 1, label: 'odd' }];
    const recipe = recipeOf(
      { op: 'drop_duplicates' },
      { op: 'drop_missing', columns: ['age'] },
      { op: 'drop_conflicts', inputColumns: ['text', 'age', 'income'], labelColumn: 'label' },
      { op: 'drop_classes', column: 'label', classes: ['odd'] },
    );
    const fitted = fit(recipe.steps, rows);
    expect(apply(fitted, rows).map((r) => r.text)).toEqual(['  <p>Great</p> STUFF ', 'fine']);
    expect(apply(fitted, rows, { mode: 'predict' })).toHaveLength(rows.length);
  });

  it('drops columns', () => {
    const fitted = fit(recipeOf({ op: 'drop_columns', columns: ['age', 'income'] }).steps, train);
    expect(Object.keys(apply(fitted, test)[0])).toEqual(['text', 'label']);
  });

  it('fills categories with the most common value and constants as given', () => {
    const rows: Row[] = [{ c: 'a' }, { c: 'b' }, { c: 'b' }, { c: null }];
    const fitted = fit(recipeOf({ op: 'fill_missing', column: 'c', strategy: 'mode' }, { op: 'fill_missing', column: 'd', strategy: 'constant', value: 'unknown' }).steps, rows);
    expect(apply(fitted, [{ c: '', d: null }])).toEqual([{ c: 'b', d: 'unknown' }]);
  });

  it('never modifies its inputs', () => {
    const before = structuredClone(train);
    const fitted = fit(recipeOf({ op: 'trim', columns: ['text'] }, { op: 'fill_missing', column: 'age', strategy: 'mean' }).steps, train);
    apply(fitted, train);
    expect(train).toEqual(before);
  });

  it('refuses to apply steps that were never fitted', async () => {
    const error = await coreErrorOf(() => apply(recipeOf({ op: 'fill_missing', column: 'age', strategy: 'median' }), train));
    expect(error.code).toBe('recipe_not_fitted');
  });

  it('is a zod-valid JSON structure that round-trips and replays identically', () => {
    const fitted = fit(recipeOf({ op: 'clip_outliers', column: 'income', method: 'percentile', lower: 5, upper: 95 }, { op: 'fill_missing', column: 'age', strategy: 'median' }).steps, train);
    const reloaded = parseRecipe(JSON.parse(JSON.stringify(fitted)));
    expect(reloaded).toEqual(fitted);
    expect(apply(reloaded, test)).toEqual(apply(fitted, test));
    expect(recipeSchema.safeParse({ version: 1, steps: [{ op: 'explode' }], fittedOn: null }).success).toBe(false);
    const empty = fit(recipeOf({ op: 'clip_outliers', column: 'none', method: 'iqr' }).steps, train);
    expect(parseRecipe(JSON.parse(JSON.stringify(empty)))).toEqual(empty); // finite bounds, valid JSON
  });

  it('reads as a list the user undoes step by step', () => {
    let recipe = recipeOf({ op: 'drop_duplicates' }, { op: 'fill_missing', column: 'age', strategy: 'median' }, { op: 'lowercase', columns: ['text'] });
    expect(describeRecipe(recipe).map((l) => [l.id, l.text])).toEqual([
      ['s1', 'Remove duplicate rows'],
      ['s2', 'Fill missing "age" with the median of the training rows'],
      ['s3', 'Lowercase "text"'],
    ]);
    expect(describeRecipe(fit(recipe.steps, train))[1].text).toBe('Fill missing "age" with the median (30)');
    recipe = removeStep(recipe, 's2');
    expect(recipe.steps.map((s) => s.id)).toEqual(['s1', 's3']);
    recipe = undoLastStep(recipe);
    expect(recipe.steps.map((s) => s.op)).toEqual(['drop_duplicates']);
    expect(addStep(recipe, { op: 'trim', columns: ['text'] }).steps.map((s) => s.id)).toEqual(['s1', 's2']);
  });
});
