/**
 * Table features for the tabular models: numbers standardized with the training split's mean
 * and standard deviation, categories one-hot encoded with the training split's most frequent
 * values (plus one slot for anything else, missing included). Fitted on training rows only and
 * saved as JSON with the run, so the exported model encodes a row exactly as training did.
 */
import { z } from 'zod';
import type { Cell, Row } from '../../contract/data';
import { BoundedCounter } from '../data/bounded-counter';
import { cellText, isMissing, toNumber } from '../data/cells';

/** Categories kept per column; rarer values share the "other" slot. */
export const MAX_CATEGORIES = 50;

export const fittedTabularFeaturesSchema = z.object({
  formatVersion: z.literal(1),
  columns: z.array(
    z.discriminatedUnion('kind', [
      z.object({ name: z.string(), kind: z.literal('numeric'), mean: z.number(), std: z.number() }),
      z.object({ name: z.string(), kind: z.literal('categorical'), categories: z.array(z.string()) }),
    ]),
  ),
  /** Encoded values per row: one per numeric column, categories + 1 per categorical column. */
  width: z.number().int().min(1),
});
export type FittedTabularFeatures = z.infer<typeof fittedTabularFeaturesSchema>;

export interface TabularColumn {
  name: string;
  role: 'numeric' | 'categorical';
}

/** Learns means, deviations and category lists from the training rows. */
export function fitTabularFeatures(rows: readonly Row[], columns: readonly TabularColumn[]): FittedTabularFeatures {
  const fitter = new TabularFitter(columns);
  for (const row of rows) fitter.add(row);
  return fitter.finish();
}

/**
 * What fitting learns, one training row at a time (rows can stream from a file): a running mean
 * and deviation per number column (Welford: stable for large values and long columns) and the
 * counts of each category (bounded, see BoundedCounter: exact up to 250,000 distinct values).
 */
export class TabularFitter {
  private readonly stats: { n: number; mean: number; m2: number }[];
  private readonly categories: BoundedCounter[];

  constructor(private readonly columns: readonly TabularColumn[]) {
    this.stats = columns.map(() => ({ n: 0, mean: 0, m2: 0 }));
    this.categories = columns.map(() => new BoundedCounter());
  }

  add(row: Row): void {
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.columns[c];
      if (column.role === 'numeric') {
        const v = toNumber(row[column.name]);
        if (!Number.isFinite(v)) continue;
        const s = this.stats[c];
        s.n++;
        const d = v - s.mean;
        s.mean += d / s.n;
        s.m2 += d * (v - s.mean);
      } else {
        const cell = row[column.name];
        if (!isMissing(cell)) this.categories[c].add(categoryKey(cell));
      }
    }
  }

  finish(): FittedTabularFeatures {
    const fitted: FittedTabularFeatures['columns'] = this.columns.map((column, c) => {
      if (column.role === 'numeric') {
        const { n, mean, m2 } = this.stats[c];
        const std = n > 1 ? Math.sqrt(m2 / n) : 0;
        return { name: column.name, kind: 'numeric' as const, mean, std: std > 1e-12 ? std : 1 };
      }
      const categories = this.categories[c]
        .ranked()
        .slice(0, MAX_CATEGORIES)
        .map(([value]) => value);
      return { name: column.name, kind: 'categorical' as const, categories };
    });
    const width = fitted.reduce((sum, c) => sum + (c.kind === 'numeric' ? 1 : c.categories.length + 1), 0);
    return { formatVersion: 1, columns: fitted, width: Math.max(1, width) };
  }
}

function categoryKey(cell: Cell | undefined): string {
  return cellText(cell).trim();
}

/** Encodes rows into a row-major [rows × width] Float32Array. Missing numbers become the mean (0). */
export function encodeTabular(features: FittedTabularFeatures, rows: readonly Row[]): Float32Array {
  const encoder = new TabularEncoder(features);
  const out = new Float32Array(rows.length * features.width);
  rows.forEach((row, r) => encoder.encodeInto(row, out, r * features.width));
  return out;
}

/** Fitted table features ready to encode one row at a time (the category lookups are built once). */
export class TabularEncoder {
  private readonly lookups: (Map<string, number> | null)[];

  constructor(readonly features: FittedTabularFeatures) {
    this.lookups = features.columns.map((c) => (c.kind === 'categorical' ? new Map(c.categories.map((v, i) => [v, i])) : null));
  }

  /** Writes one row's `width` values at `offset`; the slots must be zero (a fresh or cleared array). */
  encodeInto(row: Row, out: Float32Array, offset: number): void {
    let k = offset;
    this.features.columns.forEach((column, c) => {
      if (column.kind === 'numeric') {
        const v = toNumber(row[column.name]);
        out[k++] = Number.isFinite(v) ? (v - column.mean) / column.std : 0;
      } else {
        const cell = row[column.name];
        const index = isMissing(cell) ? undefined : this.lookups[c]!.get(categoryKey(cell));
        out[k + (index ?? column.categories.length)] = 1;
        k += column.categories.length + 1;
      }
    });
  }
}
