import {
  splitOptionsSchema,
  type AuditWarning,
  type Recipe,
  type Row,
  type SplitOptions,
  type SplitSummary,
  type TaskType,
} from '../../contract/data';
import { CoreError } from '../errors';
import { cellText, isMissing } from './cells';
import { KEY_SEPARATOR } from './hash64';
import { createRng, shuffleInPlace } from './prng';
import { apply, applyUnfitted, fit } from './recipe';

export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;

type Counts = { train: number; validation: number; test: number };

/** Parses split options with their defaults (80/10/10, seed 42, stratified). */
export function splitOptions(options: SplitOptions = {}): ReturnType<typeof splitOptionsSchema.parse> {
  const parsed = splitOptionsSchema.safeParse(options);
  if (!parsed.success) throw new CoreError('invalid_payload', `split: ${parsed.error.issues[0]?.message}`, { field: 'split' });
  return parsed.data;
}

/**
 * How many of n rows go to each split: floors of the exact shares, then the leftover rows to
 * the largest remainders (train first on ties), so totals always add up and never depend on
 * floating-point luck.
 */
export function allocate(n: number, fractions: [number, number, number]): [number, number, number] {
  const exact = fractions.map((f) => f * n);
  const sizes = exact.map(Math.floor) as [number, number, number];
  let left = n - sizes[0] - sizes[1] - sizes[2];
  const order = [0, 1, 2].sort((a, b) => exact[b] - sizes[b] - (exact[a] - sizes[a]) || a - b);
  for (let k = 0; left > 0; k = (k + 1) % 3, left--) sizes[order[k]]++;
  return sizes;
}

/**
 * Class labels as small integers: one code per row (-1 when the label is missing) and each
 * code's class text. Four bytes a row instead of a string reference, for splitting large files.
 */
export interface CodedLabels {
  codes: Int32Array;
  classes: readonly string[];
}

/**
 * Assigns each row to train (0), validation (1) or test (2). Stratified by `labels` when given:
 * each class is shuffled and cut on its own, so every split keeps the class balance. Seeded
 * (mulberry32): the same rows and seed give the same split on every machine.
 */
export function assignSplits(
  labels: readonly (string | null)[] | CodedLabels | number,
  options: SplitOptions = {},
): { assignment: Uint8Array; counts: Counts; perClass: Record<string, Counts> | null; seed: number; stratified: boolean } {
  const o = splitOptions(options);
  const coded = typeof labels === 'number' ? null : Array.isArray(labels) ? codeLabels(labels as readonly (string | null)[]) : (labels as CodedLabels);
  const n = coded ? coded.codes.length : (labels as number);
  const stratified = o.stratify && coded !== null;
  const groups = stratified ? groupRows(coded!) : new Map([['', Int32Array.from({ length: n }, (_, i) => i)]]);
  const rng = createRng(o.seed);
  const assignment = new Uint8Array(n);
  const counts: Counts = { train: 0, validation: 0, test: 0 };
  const perClass: Record<string, Counts> = {};
  // Sorted class order keeps the random stream, and so the split, independent of row order of classes.
  for (const key of [...groups.keys()].sort()) {
    const indices = groups.get(key)!;
    shuffleInPlace(indices, rng);
    const [nTrain, nVal] = allocate(indices.length, [o.train, o.validation, o.test]);
    const c: Counts = { train: nTrain, validation: nVal, test: indices.length - nTrain - nVal };
    for (let k = 0; k < indices.length; k++) assignment[indices[k]] = k < nTrain ? TRAIN : k < nTrain + nVal ? VALIDATION : TEST;
    counts.train += c.train;
    counts.validation += c.validation;
    counts.test += c.test;
    perClass[key] = c;
  }
  return { assignment, counts, perClass: stratified ? perClass : null, seed: o.seed, stratified };
}

/** Labels as codes; a missing label and an empty one share the class ''. */
function codeLabels(labels: readonly (string | null)[]): CodedLabels {
  const index = new Map<string, number>();
  const codes = new Int32Array(labels.length);
  labels.forEach((label, i) => {
    const key = label ?? '';
    let code = index.get(key);
    if (code === undefined) index.set(key, (code = index.size));
    codes[i] = code;
  });
  return { codes, classes: [...index.keys()] };
}

/** Row numbers per class (missing counts as ''), each group in row order. */
function groupRows({ codes, classes }: CodedLabels): Map<string, Int32Array> {
  const keyOf = (code: number) => (code < 0 ? '' : classes[code]);
  const sizes = new Map<string, number>();
  for (let i = 0; i < codes.length; i++) {
    const key = keyOf(codes[i]);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const groups = new Map<string, Int32Array>();
  const filled = new Map<string, number>();
  for (const [key, size] of sizes) {
    groups.set(key, new Int32Array(size));
    filled.set(key, 0);
  }
  for (let i = 0; i < codes.length; i++) {
    const key = keyOf(codes[i]);
    const at = filled.get(key)!;
    groups.get(key)![at] = i;
    filled.set(key, at + 1);
  }
  return groups;
}

function inputKey(row: Row, inputColumns: string[]): string {
  return inputColumns.map((c) => (isMissing(row[c]) ? '' : cellText(row[c]))).join(KEY_SEPARATOR);
}

/** Validation and test rows whose input also appears in training: the model has seen them. */
export function countOverlap(train: Row[], others: { validation: Row[]; test: Row[] }, inputColumns: string[]): { validation: number; test: number } {
  const seen = new Set(train.map((r) => inputKey(r, inputColumns)));
  const count = (rows: Row[]) => rows.reduce((n, r) => n + (seen.has(inputKey(r, inputColumns)) ? 1 : 0), 0);
  return { validation: count(others.validation), test: count(others.test) };
}

/** The leakage warning for an overlap, with the fix (drop duplicates by input before splitting). */
export function overlapWarnings(overlap: { validation: number; test: number }, inputColumns: string[]): AuditWarning[] {
  if (overlap.validation + overlap.test === 0) return [];
  return [
    {
      code: 'train_test_overlap',
      severity: 'warning',
      message: `${overlap.test} test and ${overlap.validation} validation row(s) also appear in training; scores on them will look better than the model is`,
      params: { validation: overlap.validation, test: overlap.test },
      fix: { op: 'drop_duplicates', columns: inputColumns },
    },
  ];
}

export interface SplitRowsOptions extends SplitOptions {
  labelColumn?: string | null;
  taskType?: TaskType | null;
  /** Columns that make up a row's input, for the overlap check (default: all but the label). */
  inputColumns?: string[];
}

/** Splits rows in memory (stratified for classification) and checks train/test overlap. */
export function splitRows(rows: Row[], options: SplitRowsOptions = {}): { train: Row[]; validation: Row[]; test: Row[]; summary: SplitSummary } {
  const { labelColumn = null, taskType = null, inputColumns, ...rest } = options;
  const stratify = (rest.stratify ?? true) && labelColumn !== null && taskType !== 'regression';
  const labels = stratify ? rows.map((r) => (isMissing(r[labelColumn!]) ? null : cellText(r[labelColumn!]).trim())) : rows.length;
  const { assignment, counts, perClass, seed, stratified } = assignSplits(labels, { ...rest, stratify });
  const parts: [Row[], Row[], Row[]] = [[], [], []];
  rows.forEach((row, i) => parts[assignment[i]].push(row));
  const inputs = inputColumns ?? Object.keys(rows[0] ?? {}).filter((c) => c !== labelColumn);
  const overlap = countOverlap(parts[0], { validation: parts[1], test: parts[2] }, inputs);
  return {
    train: parts[0],
    validation: parts[1],
    test: parts[2],
    summary: { seed, stratified, counts, perClass, overlap, warnings: overlapWarnings(overlap, inputs) },
  };
}

/**
 * The whole preparation, in the order that keeps the test set honest: steps that learn nothing
 * (filters, trims) on all rows, then the split, then fitting on the training split only, then the
 * fitted recipe applied to each split. The fitted recipe is what the exported model carries.
 */
export function prepareSplits(
  rows: Row[],
  recipe: Recipe,
  options: SplitRowsOptions = {},
): { recipe: Recipe; train: Row[]; validation: Row[]; test: Row[]; summary: SplitSummary } {
  const cleaned = applyUnfitted(recipe, rows);
  const split = splitRows(cleaned, options);
  const fitted = fit(recipe.steps, split.train);
  return {
    recipe: fitted,
    train: apply(fitted, split.train),
    validation: apply(fitted, split.validation),
    test: apply(fitted, split.test),
    summary: split.summary,
  };
}
