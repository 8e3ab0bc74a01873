/**
 * Counts how often each string occurs, in bounded memory: up to `capacity` distinct strings the
 * counts are exact; past it the rarer half is dropped (every string counted at most the median),
 * so the most frequent strings, the only ones a vocabulary or a category list keeps, stay and
 * memory does not grow with the rows of a file full of one-off values (ids, typos, numbers).
 * A string dropped and seen again restarts from 1: its count is then short by at most `floor`.
 */
export class BoundedCounter {
  readonly counts = new Map<string, number>();
  /** Largest count ever dropped; 0 while every count is exact. */
  floor = 0;
  /** Distinct strings seen: exact while nothing was dropped, an upper bound after. */
  distinct = 0;

  constructor(readonly capacity = 250_000) {}

  add(key: string, by = 1): void {
    const count = this.counts.get(key);
    if (count !== undefined) {
      this.counts.set(key, count + by);
      return;
    }
    this.counts.set(key, by);
    this.distinct++;
    if (this.counts.size > this.capacity) this.prune();
  }

  /** Entries by count, most frequent first, ties in code point order (the same data, the same order). */
  ranked(): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  private prune(): void {
    const values = Int32Array.from(this.counts.values()).sort();
    const median = values[values.length >> 1];
    for (const [key, count] of this.counts) if (count <= median) this.counts.delete(key);
    this.floor = Math.max(this.floor, median);
  }
}
