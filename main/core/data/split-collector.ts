import type { Cell, ColumnRoles, SplitSettings, SplitSummary, TaskType } from '../../contract/data';
import { isUnused } from './audit';
import { cellText, isMissing } from './cells';
import type { CleanedSink } from './clean-rows';
import { ColumnProfiler } from './column-profile';
import { hash64, KEY_SEPARATOR } from './hash64';
import { HashTable64 } from './hash-table64';
import { taskTypeFor } from './infer-roles';
import { createRng } from './prng';
import { assignSplits, overlapWarnings, TEST, TRAIN, VALIDATION } from './split';

/**
 * A fitted step learns from at most this many values of its column (a uniform, seeded sample of
 * the rows beyond it), so fitting costs the same memory for a 1 GB file as for a 100 MB one. Up
 * to it, fitting is exact; past it, a median or quantile from a million values is off by a hair.
 */
export const MAX_FIT_VALUES = 1_000_000;

/**
 * A copy of a cell that does not pin the text it was cut from. Parsed cells are V8 "sliced
 * strings" pointing into the decoded chunk (about 1 MB); keeping a sample of them from all over a
 * file would keep the whole file's text alive. Concatenating flattens into a fresh string.
 */
export function detach<T extends Cell | undefined>(value: T): T {
  return (typeof value === 'string' && value.length >= 13 ? (' ' + value).slice(1) : value) as T;
}

/** A growable array of uint32 (two per row for input hashes: 8 bytes a row, not a JS number's 8 + boxing). */
class U32List {
  data = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/**
 * The values one column holds, row by row, for a fitted step to learn from: every row up to
 * `capacity`, then a uniform sample (algorithm R) of the rows, each value with its row number so
 * the training rows can be picked out once the split is known.
 */
class ColumnSample {
  readonly values: (Cell | undefined)[] = [];
  readonly rows: number[] = [];
  private seen = 0;
  private readonly rng = createRng(0x5eed);

  constructor(private readonly capacity: number) {}

  add(row: number, value: Cell | undefined): void {
    const n = this.seen++;
    if (n < this.capacity) {
      this.values.push(detach(value));
      this.rows.push(row);
      return;
    }
    const j = Math.floor(this.rng() * this.seen);
    if (j < this.capacity) {
      this.values[j] = detach(value);
      this.rows[j] = row;
    }
  }
}

export interface SplitCollectorOptions {
  /** Keep a 64-bit hash of each row's input for the overlap check (8 bytes a row; default true). */
  overlap?: boolean;
  /** The task the Data step set: stratify unless 'regression'. Default: read from the label's profile. */
  taskType?: TaskType | null;
}

/**
 * Collects, per cleaned row, what the split needs (the class as a 4-byte code, and a 64-bit hash
 * of the input for the overlap check) and a sample of the values of the columns fitted steps
 * learn from.
 */
export class SplitCollector implements CleanedSink {
  /** Class code + 1 per row (0: no label). */
  private readonly labels = new U32List();
  private readonly classes = new Map<string, number>();
  private readonly hashes = new U32List();
  private count = 0;
  private readonly samples = new Map<string, ColumnSample>();
  private labelProfile: ColumnProfiler | null = null;
  private labelIdx = -1;
  private inputIdx: number[] = [];
  private valueIdx: [ColumnSample, number][] = [];
  private names: readonly string[] = [];
  private result: ReturnType<typeof assignSplits> | null = null;

  constructor(
    private readonly roles: ColumnRoles,
    private readonly fittedColumns: string[],
    fitValues = MAX_FIT_VALUES,
    private readonly options: SplitCollectorOptions = {},
  ) {
    for (const c of fittedColumns) this.samples.set(c, new ColumnSample(fitValues));
  }

  onColumns(names: readonly string[]): void {
    this.names = names;
    this.labelIdx = names.findIndex((n) => this.roles[n] === 'label');
    this.inputIdx = names.map((n, i) => (isUnused(this.roles[n]) || this.roles[n] === 'label' ? -1 : i)).filter((i) => i >= 0);
    this.valueIdx = this.fittedColumns.map((c) => [this.samples.get(c)!, names.indexOf(c)]);
    // The label's profile tells classes from numbers, unless the caller knows the task.
    if (this.labelIdx >= 0 && this.options.taskType === undefined) this.labelProfile ??= new ColumnProfiler(names[this.labelIdx], this.labelIdx);
  }

  onRow(row: (Cell | undefined)[]): void {
    const index = this.rows;
    // A number to predict is never stratified: its values would only fill the class table.
    if (this.labelIdx >= 0 && this.options.taskType !== 'regression') {
      const v = row[this.labelIdx];
      this.labelProfile?.add(v as Cell);
      if (isMissing(v)) this.labels.push(0);
      else {
        const text = cellText(v).trim();
        let code = this.classes.get(text);
        if (code === undefined) this.classes.set(detach(text), (code = this.classes.size));
        this.labels.push(code + 1);
      }
    }
    if (this.options.overlap !== false) {
      let key = '';
      for (let k = 0; k < this.inputIdx.length; k++) key += (k ? KEY_SEPARATOR : '') + cellText(row[this.inputIdx[k]]);
      const [lo, hi] = hash64(key, 2);
      this.hashes.push(lo);
      this.hashes.push(hi);
    }
    for (const [sample, i] of this.valueIdx) sample.add(index, i < 0 ? undefined : row[i]);
    this.count++;
  }

  get rows(): number {
    return this.count;
  }

  /** Stratified by the class for classification, as splitDataset does. */
  assign(split: SplitSettings): ReturnType<typeof assignSplits> {
    if (this.result) return this.result;
    const taskType = this.options.taskType !== undefined ? this.options.taskType : this.labelProfile ? taskTypeFor(this.labelProfile.finish()) : null;
    const stratify = this.labelIdx >= 0 && taskType !== 'regression';
    const labels = () => {
      const codes = new Int32Array(this.labels.length);
      for (let i = 0; i < codes.length; i++) codes[i] = this.labels.data[i] - 1;
      return { codes, classes: [...this.classes.keys()] };
    };
    this.result = assignSplits(stratify ? labels() : this.rows, { ...split, stratify });
    return this.result;
  }

  /** The sampled values of the training rows, per fitted column. */
  trainValues(assignment: Uint8Array): Map<string, (Cell | undefined)[]> {
    const out = new Map<string, (Cell | undefined)[]>();
    for (const [c, sample] of this.samples) out.set(c, sample.values.filter((_, k) => assignment[sample.rows[k]] === TRAIN));
    return out;
  }

  /** Needs the overlap hashes (the default). */
  summary(split: SplitSettings): SplitSummary {
    const { assignment, counts, perClass, seed, stratified } = this.assign(split);
    const h = this.hashes.data;
    const train = new HashTable64(false, counts.train * 2);
    for (let i = 0; i < assignment.length; i++) if (assignment[i] === TRAIN) train.add(h[2 * i], h[2 * i + 1]);
    const overlap = { validation: 0, test: 0 };
    for (let i = 0; i < assignment.length; i++) {
      if (assignment[i] === TRAIN || !train.has(h[2 * i], h[2 * i + 1])) continue;
      if (assignment[i] === VALIDATION) overlap.validation++;
      else if (assignment[i] === TEST) overlap.test++;
    }
    const inputColumns = this.inputIdx.map((i) => this.names[i]);
    return { seed, stratified, counts, perClass, overlap, warnings: overlapWarnings(overlap, inputColumns) };
  }
}
