import type { Cell, ColumnProfile, TableProfile } from '../../contract/data';
import { cellText, isMissing, looksLikeDate, toNumber } from './cells';
import { hash64 } from './hash64';
import { histogramOf } from './histogram';
import { HyperLogLog } from './hyperloglog';
import { quantile, ReservoirSample } from './reservoir-sample';
import type { RowSink } from './row-sink';

/** Exact distinct counting stops here; past it a 4 KB HyperLogLog estimates. */
const EXACT_DISTINCT = 1000;
const WORDY = /[\s\u3400-\u9fff]/;

/**
 * Everything one pass learns about one column in bounded memory: exact counts, min / max /
 * mean / variance (Welford), 10,000-value reservoirs for quantiles and histograms, exact
 * distinct values up to 1,000 then an estimate. At most ~170 KB per column whatever the row count.
 */
export class ColumnProfiler {
  count = 0;
  missing = 0;
  private numericCount = 0;
  private integer = true;
  private increasing = true;
  private lastNumber = -Infinity;
  private dates = 0;
  private wordy = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private lenMin = Infinity;
  private lenMax = 0;
  private lenSum = 0;
  private readonly numbers: ReservoirSample;
  private readonly lengths: ReservoirSample;
  private values: Map<string, number> | null = new Map();
  private overflowValues: Map<string, number> | null = null;
  private hll: HyperLogLog | null = null;

  constructor(
    readonly name: string,
    seed: number,
  ) {
    this.numbers = new ReservoirSample(10_000, seed * 2 + 1);
    this.lengths = new ReservoirSample(10_000, seed * 2 + 2);
  }

  add(value: Cell | undefined): void {
    if (isMissing(value)) {
      this.missing++;
      return;
    }
    this.count++;
    const text = cellText(value);
    const n = toNumber(value!);
    if (!Number.isNaN(n) && Number.isFinite(n)) {
      this.numericCount++;
      if (this.integer && !Number.isInteger(n)) this.integer = false;
      if (this.increasing) {
        if (n <= this.lastNumber) this.increasing = false;
        this.lastNumber = n;
      }
      const delta = n - this.mean;
      this.mean += delta / this.numericCount;
      this.m2 += delta * (n - this.mean);
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
      this.numbers.add(n);
    } else {
      this.increasing = false;
      if (looksLikeDate(value!)) this.dates++;
      else if (WORDY.test(text)) this.wordy++;
    }
    const len = text.length;
    if (len < this.lenMin) this.lenMin = len;
    if (len > this.lenMax) this.lenMax = len;
    this.lenSum += len;
    this.lengths.add(len);
    this.countDistinct(text);
  }

  private countDistinct(text: string): void {
    if (this.values) {
      const seen = this.values.get(text);
      if (seen !== undefined) {
        this.values.set(text, seen + 1);
        return;
      }
      if (this.values.size < EXACT_DISTINCT) {
        this.values.set(text, 1);
        return;
      }
      // Too many distinct values to keep: switch to the estimate, seeded with what we have.
      this.hll = new HyperLogLog();
      for (const key of this.values.keys()) {
        const [lo, hi] = hash64(key);
        this.hll.add(lo, hi);
      }
      this.overflowValues = this.values;
      this.values = null;
    }
    const [lo, hi] = hash64(text);
    this.hll!.add(lo, hi);
    // Keep counting the values seen early, so frequent ones still show as top values.
    const early = this.overflowValues!.get(text);
    if (early !== undefined) this.overflowValues!.set(text, early + 1);
  }

  /**
   * Values outside [low, high]: counted in the reservoir and scaled to the column, so exact up to
   * 10,000 numeric values and an estimate beyond.
   */
  countOutside(low: number, high: number): { count: number; exact: boolean } {
    const sample = this.numbers.sorted();
    let outside = 0;
    for (let i = 0; i < sample.length; i++) if (sample[i] < low || sample[i] > high) outside++;
    const exact = this.numbers.exact;
    return { count: exact || sample.length === 0 ? outside : Math.round((outside / sample.length) * this.numericCount), exact };
  }

  /** Distinct present values so far (exact up to 1,000). */
  get distinct(): number {
    return this.values ? this.values.size : Math.max(EXACT_DISTINCT, this.hll!.estimate());
  }

  finish(): ColumnProfile {
    const counts = this.values ?? this.overflowValues ?? new Map<string, number>();
    const topValues = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([value, count]) => ({ value, count }));
    const numericRatio = this.count === 0 ? 0 : this.numericCount / this.count;
    let numeric: ColumnProfile['numeric'] = null;
    let numericHistogram: ColumnProfile['numericHistogram'] = null;
    if (this.numericCount > 0) {
      const sorted = this.numbers.sorted();
      numeric = {
        min: this.min,
        max: this.max,
        mean: this.mean,
        std: this.numericCount > 1 ? Math.sqrt(this.m2 / (this.numericCount - 1)) : 0,
        q1: quantile(sorted, 0.25),
        median: quantile(sorted, 0.5),
        q3: quantile(sorted, 0.75),
      };
      numericHistogram = histogramOf(sorted, this.numericCount, 20, this.integer && this.max - this.min <= 40);
    }
    let length: ColumnProfile['length'] = null;
    let lengthHistogram: ColumnProfile['lengthHistogram'] = null;
    if (this.count > 0) {
      const sorted = this.lengths.sorted();
      length = { min: this.lenMin, max: this.lenMax, mean: this.lenSum / this.count, median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
      lengthHistogram = histogramOf(sorted, this.count, 20, true);
    }
    return {
      name: this.name,
      count: this.count,
      missing: this.missing,
      distinct: this.distinct,
      distinctExact: this.values !== null,
      numericRatio,
      dateRatio: this.count === 0 ? 0 : this.dates / this.count,
      integer: this.numericCount > 0 && this.integer,
      increasing: this.numericCount > 1 && this.numericCount === this.count && this.increasing,
      wordyRatio: this.count === 0 ? 0 : this.wordy / this.count,
      topValues,
      numeric,
      numericHistogram,
      length,
      lengthHistogram,
    };
  }
}

/** A RowSink that profiles every column and keeps the first rows for the preview. */
export class TableProfiler implements RowSink {
  rows = 0;
  readonly columns: ColumnProfiler[] = [];
  readonly preview: Cell[][] = [];

  constructor(private readonly previewRows = 20) {}

  onColumns(names: readonly string[]): void {
    for (let i = this.columns.length; i < names.length; i++) {
      const profiler = new ColumnProfiler(names[i], i);
      profiler.missing = this.rows; // a JSON key first seen now was missing in every earlier row
      this.columns.push(profiler);
    }
  }

  onRow(cells: Cell[]): void {
    this.rows++;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) columns[i].add(cells[i]);
    if (this.preview.length < this.previewRows) this.preview.push([...cells]);
  }

  finish(replacementChars: number): TableProfile {
    return { rows: this.rows, columns: this.columns.map((c) => c.finish()), replacementChars };
  }
}
