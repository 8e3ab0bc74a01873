import { createRng } from './prng';

/**
 * A uniform sample of at most `capacity` numbers from a stream of any length (Vitter's
 * algorithm R): 8 bytes per slot, so distributions and quantiles of a billion-row column cost
 * the same memory as of a ten-thousand-row one. Seeded, so results repeat run to run.
 */
export class ReservoirSample {
  // Grows by doubling up to `capacity`, so a short or non-numeric column costs next to nothing.
  private values = new Float64Array(64);
  private seen = 0;
  private readonly rng: () => number;

  constructor(
    readonly capacity = 10_000,
    seed = 1,
  ) {
    this.rng = createRng(seed);
  }

  /** How many values were offered. */
  get count(): number {
    return this.seen;
  }

  /** True when every value offered is in the sample (statistics are then exact). */
  get exact(): boolean {
    return this.seen <= this.capacity;
  }

  add(value: number): void {
    if (this.seen < this.capacity) {
      if (this.seen === this.values.length) {
        const bigger = new Float64Array(Math.min(this.capacity, this.values.length * 2));
        bigger.set(this.values);
        this.values = bigger;
      }
      this.values[this.seen++] = value;
      return;
    }
    this.seen++;
    const j = Math.floor(this.rng() * this.seen);
    if (j < this.capacity) this.values[j] = value;
  }

  /** The sample, sorted ascending (a copy). */
  sorted(): Float64Array {
    return this.values.slice(0, Math.min(this.seen, this.capacity)).sort();
  }
}

/** Linear-interpolated quantile (q in 0..1) of an ascending array; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
