/**
 * Table features for the tabular models: numbers standardized with the training split's mean
 * and standard deviation, categories one-hot encoded with the training split's most frequent
 * values (plus one slot for anything else, missing included). Fitted on training rows only and
 * saved as JSON with the run, so the exported model encodes a row exactly as training did.
 */
import { z } from 'zod';
import type { Cell, Row } from '../../contract/data';
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
  const fitted: FittedTabularFeatures['columns'] = columns.map((column) => {
    if (column.role === 'numeric') {
      let n = 0;
      let mean = 0;
      let m2 = 0;
      for (const row of rows) {
        const v = toNumber(row[column.name]);
        if (!Number.isFinite(v)) continue;
        // Welford: stable for large values and long columns.
        n++;
        const d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
      }
      const std = n > 1 ? Math.sqrt(m2 / n) : 0;
      return { name: column.name, kind: 'numeric' as const, mean, std: std > 1e-12 ? std : 1 };
    }
    const counts = new Map<string, number>();
    for (const row of rows) {
      const cell = row[column.name];
      if (isMissing(cell)) continue;
      const key = categoryKey(cell);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const categories = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, MAX_CATEGORIES)
      .map(([value]) => value);
    return { name: column.name, kind: 'categorical' as const, categories };
  });
  const width = fitted.reduce((sum, c) => sum + (c.kind === 'numeric' ? 1 : c.categories.length + 1), 0);
  return { formatVersion: 1, columns: fitted, width: Math.max(1, width) };
}

function categoryKey(cell: Cell | undefined): string {
  return cellText(cell).trim();
}

/** Encodes rows into a row-major [rows × width] Float32Array. Missing numbers become the mean (0). */
export function encodeTabular(features: FittedTabularFeatures, rows: readonly Row[]): Float32Array {
  const out = new Float32Array(rows.length * features.width);
  const lookups = features.columns.map((c) => (c.kind === 'categorical' ? new Map(c.categories.map((v, i) => [v, i])) : null));
  rows.forEach((row, r) => {
    let k = r * features.width;
    features.columns.forEach((column, c) => {
      if (column.kind === 'numeric') {
        const v = toNumber(row[column.name]);
        out[k++] = Number.isFinite(v) ? (v - column.mean) / column.std : 0;
      } else {
        const cell = row[column.name];
        const index = isMissing(cell) ? undefined : lookups[c]!.get(categoryKey(cell));
        out[k + (index ?? column.categories.length)] = 1;
        k += column.categories.length + 1;
      }
    });
  });
  return out;
}
