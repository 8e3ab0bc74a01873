import { RECIPE_VERSION, recipeSchema, type Cell, type Recipe, type RecipeLine, type RecipeStep, type Row } from '../../contract/data';
import { CoreError } from '../errors';
import { cellText, isMissing, toNumber } from './cells';
import { KEY_SEPARATOR } from './hash64';
import { quantile } from './reservoir-sample';
import { stripHtml } from './strip-html';

/**
 * The cleaning recipe: an ordered list of steps the user accepted, replayable on any rows.
 * Steps that learn from data (fill values, clip bounds, normalization) are fitted on the
 * training rows only (fit), then the same fitted recipe is applied to training, validation, test
 * and, inside the exported model, to each prediction (apply). Everything here is pure: inputs are
 * never modified, and the same recipe on the same rows gives the same rows.
 */

/** Steps that drop rows: they shape a training set and are skipped when predicting one row. */
const ROW_FILTERS = new Set<RecipeStep['op']>(['drop_duplicates', 'drop_missing', 'drop_conflicts', 'drop_classes']);
/** Steps that learn values from the training rows. */
const FITTED = new Set<RecipeStep['op']>(['fill_missing', 'clip_outliers', 'normalize']);

/** A recipe with no steps (what a fresh project starts with). */
export function emptyRecipe(): Recipe {
  return { version: RECIPE_VERSION, steps: [], fittedOn: null };
}

/** Validates a recipe read from project.json or received over the contract. */
export function parseRecipe(value: unknown): Recipe {
  const parsed = recipeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('invalid_payload', `not a valid recipe: ${issue?.path.join('.')} ${issue?.message}`, { field: issue?.path.join('.') ?? '' });
  }
  return parsed.data;
}

/** True when the step learns values from training rows. */
export function needsFitting(step: RecipeStep): boolean {
  return FITTED.has(step.op);
}

/** Appends a step (a fix the user accepted) with a fresh id; the recipe must be fitted again. */
export function addStep(recipe: Recipe, step: RecipeStep): Recipe {
  const used = new Set(recipe.steps.map((s) => s.id));
  let n = recipe.steps.length + 1;
  while (used.has(`s${n}`)) n++;
  const { fitted: _ignored, ...rest } = step as RecipeStep & { fitted?: unknown };
  return { ...recipe, steps: [...recipe.steps, { ...rest, id: step.id && !used.has(step.id) ? step.id : `s${n}` } as RecipeStep], fittedOn: null };
}

/** Removes one step by id (undo of a single accepted fix); the recipe must be fitted again. */
export function removeStep(recipe: Recipe, id: string): Recipe {
  if (!recipe.steps.some((s) => s.id === id)) throw new CoreError('not_found', `no recipe step ${id}`, { id });
  return { ...recipe, steps: recipe.steps.filter((s) => s.id !== id), fittedOn: null };
}

/** Removes the last step (undo, step by step). */
export function undoLastStep(recipe: Recipe): Recipe {
  return { ...recipe, steps: recipe.steps.slice(0, -1), fittedOn: null };
}

/**
 * Fits the steps on the training rows, in order: each step learns from the rows as the steps
 * before it left them (so normalization sees clipped values). Returns a fitted recipe.
 */
export function fit(steps: RecipeStep[], trainRows: Row[]): Recipe {
  let rows = trainRows.map((r) => ({ ...r }));
  const fitted: RecipeStep[] = [];
  for (const step of steps) {
    const done = fitStep(step, rows);
    fitted.push(done);
    rows = applyStep(done, rows, 'train');
  }
  return { version: RECIPE_VERSION, steps: fitted, fittedOn: { rows: trainRows.length } };
}

/**
 * Applies a fitted recipe. In 'train' mode (default) row filters drop rows; in 'predict' mode
 * they are skipped, since a single row to predict cannot be dropped. Throws `recipe_not_fitted`
 * when a step that learns values has not been fitted.
 */
export function apply(recipe: Recipe, rows: Row[], options: { mode?: 'train' | 'predict' } = {}): Row[] {
  const mode = options.mode ?? 'train';
  for (const step of recipe.steps) {
    if (needsFitting(step) && !(step as { fitted?: unknown }).fitted) {
      throw new CoreError('recipe_not_fitted', `step "${describeStep(step).text}" has not been fitted on training rows`, { id: step.id ?? '', op: step.op });
    }
  }
  let out = rows.map((r) => ({ ...r }));
  for (const step of recipe.steps) out = applyStep(step, out, mode);
  return out;
}

/**
 * Applies only the steps that learn nothing (filters, trims, dropped columns), e.g. to the whole
 * data set before it is split, so duplicates cannot straddle training and test.
 */
export function applyUnfitted(recipe: Recipe, rows: Row[]): Row[] {
  let out = rows.map((r) => ({ ...r }));
  for (const step of recipe.steps) if (!needsFitting(step)) out = applyStep(step, out, 'train');
  return out;
}

function fitStep(step: RecipeStep, rows: Row[]): RecipeStep {
  const column = (step as { column?: string }).column;
  return column === undefined || !needsFitting(step) ? step : fitOnValues(step, rows.map((r) => r[column]));
}

/**
 * Fits one step on the values its column holds in the training rows (in any order). The streaming
 * preparation of a large source uses this directly; fit() uses it row set by row set.
 */
export function fitOnValues(step: RecipeStep, values: readonly (Cell | undefined)[]): RecipeStep {
  switch (step.op) {
    case 'fill_missing': {
      const present = values.filter((v) => !isMissing(v));
      let value: string | number;
      if (step.strategy === 'constant') value = step.value ?? '';
      else if (step.strategy === 'mode') value = modeOf(present);
      else {
        const numbers = sortedNumbers(present);
        value = numbers.length === 0 ? 0 : step.strategy === 'mean' ? numbers.reduce((a, b) => a + b, 0) / numbers.length : quantile(numbers, 0.5);
      }
      return { ...step, fitted: { value } };
    }
    case 'clip_outliers': {
      const numbers = sortedNumbers(values);
      // No numbers to learn from: bounds that clip nothing (finite, so the recipe stays valid JSON).
      if (numbers.length === 0) return { ...step, fitted: { low: -Number.MAX_VALUE, high: Number.MAX_VALUE } };
      if (step.method === 'percentile') {
        return { ...step, fitted: { low: quantile(numbers, (step.lower ?? 1) / 100), high: quantile(numbers, (step.upper ?? 99) / 100) } };
      }
      const q1 = quantile(numbers, 0.25);
      const q3 = quantile(numbers, 0.75);
      const k = step.k ?? 1.5;
      return { ...step, fitted: { low: q1 - k * (q3 - q1), high: q3 + k * (q3 - q1) } };
    }
    case 'normalize': {
      const numbers = sortedNumbers(values);
      if (numbers.length === 0) return { ...step, fitted: { center: 0, scale: 1 } };
      if (step.method === 'minmax') {
        const span = numbers[numbers.length - 1] - numbers[0];
        return { ...step, fitted: { center: numbers[0], scale: span > 0 ? span : 1 } };
      }
      const mean = numbers.reduce((a, b) => a + b, 0) / numbers.length;
      const variance = numbers.length > 1 ? numbers.reduce((a, b) => a + (b - mean) ** 2, 0) / (numbers.length - 1) : 0;
      const std = Math.sqrt(variance);
      return { ...step, fitted: { center: mean, scale: std > 0 ? std : 1 } };
    }
    default:
      return step;
  }
}

/**
 * What a step that changes values (not rows) does to one cell: trims, lowercases, strips HTML, or,
 * once fitted, fills, clips or normalizes. Other steps leave the cell as it is.
 */
export function transformCell(step: RecipeStep, value: Cell | undefined): Cell | undefined {
  switch (step.op) {
    case 'trim':
      return typeof value === 'string' ? value.trim() : value;
    case 'lowercase':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'strip_html':
      return typeof value === 'string' ? stripHtml(value) : value;
    case 'fill_missing':
      return isMissing(value) ? step.fitted!.value : value;
    case 'clip_outliers': {
      const n = toNumber(value);
      return Number.isNaN(n) ? value : Math.min(step.fitted!.high, Math.max(step.fitted!.low, n));
    }
    case 'normalize': {
      const n = toNumber(value);
      return Number.isNaN(n) ? value : (n - step.fitted!.center) / step.fitted!.scale;
    }
    default:
      return value;
  }
}

/** Rows are fresh copies owned by apply/fit, so transforms may write into them. */
function applyStep(step: RecipeStep, rows: Row[], mode: 'train' | 'predict'): Row[] {
  if (mode === 'predict' && ROW_FILTERS.has(step.op)) return rows;
  switch (step.op) {
    case 'drop_duplicates': {
      const seen = new Set<string>();
      return rows.filter((row) => {
        const key = keyOf(row, step.columns ?? Object.keys(row).sort());
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    case 'drop_missing':
      return rows.filter((row) => step.columns.every((c) => !isMissing(row[c])));
    case 'drop_conflicts': {
      const labels = new Map<string, Set<string>>();
      for (const row of rows) {
        if (isMissing(row[step.labelColumn])) continue;
        const key = keyOf(row, step.inputColumns);
        const set = labels.get(key) ?? new Set<string>();
        set.add(cellText(row[step.labelColumn]).trim());
        labels.set(key, set);
      }
      return rows.filter((row) => (labels.get(keyOf(row, step.inputColumns))?.size ?? 1) <= 1);
    }
    case 'drop_classes': {
      const drop = new Set(step.classes);
      return rows.filter((row) => isMissing(row[step.column]) || !drop.has(cellText(row[step.column]).trim()));
    }
    case 'drop_columns':
      for (const row of rows) for (const c of step.columns) delete row[c];
      return rows;
    case 'trim':
    case 'lowercase':
    case 'strip_html':
      for (const row of rows) for (const c of step.columns) if (typeof row[c] === 'string') row[c] = transformCell(step, row[c]) as Cell;
      return rows;
    case 'fill_missing':
    case 'clip_outliers':
    case 'normalize':
      for (const row of rows) {
        const before = row[step.column];
        const after = transformCell(step, before);
        if (after !== before) row[step.column] = after as Cell;
      }
      return rows;
  }
}

function keyOf(row: Row, columns: string[]): string {
  return columns.map((c) => (isMissing(row[c]) ? '' : cellText(row[c]))).join(KEY_SEPARATOR);
}

function sortedNumbers(values: readonly (Cell | undefined)[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    const n = toNumber(v);
    if (!Number.isNaN(n) && Number.isFinite(n)) out.push(n);
  }
  return out.sort((a, b) => a - b);
}

/** Most frequent value as it appeared (ties: the first in sort order, so fitting is deterministic). */
function modeOf(values: readonly (Cell | undefined)[]): string | number {
  const counts = new Map<string, { count: number; value: string | number }>();
  for (const v of values) {
    const key = cellText(v);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { count: 1, value: typeof v === 'number' ? v : key });
  }
  let best: { key: string; count: number; value: string | number } | null = null;
  for (const [key, { count, value }] of counts) {
    if (!best || count > best.count || (count === best.count && key < best.key)) best = { key, count, value };
  }
  return best?.value ?? '';
}

const list = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');
const num = (x: number): string => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());

/** One readable line per step (English for logs and the CLI; the UI words `op` + `params`). */
export function describeStep(step: RecipeStep): RecipeLine {
  const id = step.id ?? '';
  const line = (text: string, params: RecipeLine['params']): RecipeLine => ({ id, op: step.op, params, text });
  switch (step.op) {
    case 'drop_duplicates':
      return line(step.columns ? `Remove duplicate rows (comparing ${list(step.columns)})` : 'Remove duplicate rows', { columns: (step.columns ?? []).join(', ') });
    case 'drop_missing':
      return line(`Remove rows with a missing ${list(step.columns)}`, { columns: step.columns.join(', ') });
    case 'drop_conflicts':
      return line(`Remove rows whose input has more than one "${step.labelColumn}"`, { column: step.labelColumn });
    case 'drop_classes':
      return line(`Remove rows labeled ${list(step.classes)} in "${step.column}"`, { column: step.column, classes: step.classes.join(', ') });
    case 'drop_columns':
      return line(`Remove column${step.columns.length > 1 ? 's' : ''} ${list(step.columns)}`, { columns: step.columns.join(', ') });
    case 'trim':
      return line(`Trim spaces in ${list(step.columns)}`, { columns: step.columns.join(', ') });
    case 'lowercase':
      return line(`Lowercase ${list(step.columns)}`, { columns: step.columns.join(', ') });
    case 'strip_html':
      return line(`Remove HTML tags from ${list(step.columns)}`, { columns: step.columns.join(', ') });
    case 'fill_missing': {
      const what = step.strategy === 'constant' ? `"${step.value ?? ''}"` : `the ${step.strategy === 'mode' ? 'most common value' : step.strategy}`;
      const fitted = step.fitted ? ` (${typeof step.fitted.value === 'number' ? num(step.fitted.value) : `"${step.fitted.value}"`})` : ' of the training rows';
      return line(`Fill missing "${step.column}" with ${what}${step.strategy === 'constant' ? '' : fitted}`, {
        column: step.column,
        strategy: step.strategy,
        value: step.fitted?.value ?? step.value ?? '',
      });
    }
    case 'clip_outliers':
      return step.fitted
        ? line(`Clip "${step.column}" to ${num(step.fitted.low)} … ${num(step.fitted.high)}`, { column: step.column, low: step.fitted.low, high: step.fitted.high })
        : line(
            step.method === 'iqr'
              ? `Clip outliers in "${step.column}" (beyond ${step.k ?? 1.5}× the interquartile range of the training rows)`
              : `Clip "${step.column}" to its ${step.lower ?? 1}th–${step.upper ?? 99}th percentiles in the training rows`,
            { column: step.column, method: step.method },
          );
    case 'normalize': {
      const how = step.method === 'zscore' ? 'Standardize' : 'Scale to 0–1';
      const fitted = step.fitted ? ` (${step.method === 'zscore' ? 'mean' : 'min'} ${num(step.fitted.center)}, ${step.method === 'zscore' ? 'std' : 'range'} ${num(step.fitted.scale)})` : '';
      return line(`${how} "${step.column}"${fitted}`, { column: step.column, method: step.method, ...(step.fitted ?? {}) });
    }
  }
}

/** The recipe as the list the user reads and undoes step by step. */
export function describeRecipe(recipe: Recipe): RecipeLine[] {
  return recipe.steps.map(describeStep);
}
