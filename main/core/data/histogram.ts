import type { Histogram } from '../../contract/data';

/**
 * Bins a sorted sample into at most `maxBins` equal-width bars between its smallest and largest
 * value (whole-number edges for whole-number data such as lengths), scaling counts to `total`
 * when the sample stands for a larger column.
 */
export function histogramOf(sorted: ArrayLike<number>, total: number, maxBins = 20, integer = false): Histogram {
  const n = sorted.length;
  if (n === 0) return { bins: [], sampled: false };
  const min = sorted[0];
  const max = sorted[n - 1];
  const sampled = total > n;
  const scale = sampled ? total / n : 1;
  if (min === max) return { bins: [{ from: min, to: max, count: total }], sampled };
  let bins = maxBins;
  let width = (max - min) / bins;
  if (integer) {
    width = Math.max(1, Math.ceil((max - min + 1) / maxBins));
    bins = Math.ceil((max - min + 1) / width);
  }
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor((sorted[i] - min) / width));
    counts[b]++;
  }
  const result = counts.map((count, b) => ({
    from: min + b * width,
    to: integer ? min + (b + 1) * width : b === bins - 1 ? max : min + (b + 1) * width,
    count: Math.round(count * scale),
  }));
  return { bins: result, sampled };
}
