import { describe, expect, it } from 'vitest';
import { hash64 } from '../../../main/core/data/hash64';
import { HashTable64 } from '../../../main/core/data/hash-table64';
import { histogramOf } from '../../../main/core/data/histogram';
import { HyperLogLog } from '../../../main/core/data/hyperloglog';
import { quantile, ReservoirSample } from '../../../main/core/data/reservoir-sample';

describe('bounded-memory helpers', () => {
  it('HashTable64 finds repeats exactly while growing', () => {
    const table = new HashTable64(true, 16);
    let repeats = 0;
    for (let i = 0; i < 100_000; i++) {
      const [lo, hi] = hash64(`row ${i % 60_000}`);
      const slot = table.upsert(lo, hi);
      if (slot >= 0) {
        repeats++;
        table.setB(slot, table.getB(slot) + 1);
      } else table.setB(-slot - 1, 1);
    }
    expect(repeats).toBe(40_000);
    expect(table.size).toBe(60_000);
    const [lo, hi] = hash64('row 5');
    expect(table.getB(table.upsert(lo, hi))).toBe(2);
    expect(table.has(...hash64('never seen'))).toBe(false);
    expect(table.bytes).toBeLessThan(60_000 * 40);
  });

  it('HyperLogLog estimates distinct counts within a few percent', () => {
    const hll = new HyperLogLog();
    for (let i = 0; i < 200_000; i++) hll.add(...hash64(`v${i % 50_000}`));
    expect(Math.abs(hll.estimate() - 50_000) / 50_000).toBeLessThan(0.05);
  });

  it('ReservoirSample keeps a uniform sample of a long stream', () => {
    const sample = new ReservoirSample(2000, 3);
    for (let i = 0; i < 100_000; i++) sample.add(i);
    const sorted = sample.sorted();
    expect(sorted).toHaveLength(2000);
    expect(Math.abs(quantile(sorted, 0.5) - 50_000)).toBeLessThan(5000);
    expect(sample.exact).toBe(false);
  });

  it('histogramOf scales a sample to the column size', () => {
    const h = histogramOf(Float64Array.from([1, 2, 3, 4]), 400, 4, true);
    expect(h.sampled).toBe(true);
    expect(h.bins.reduce((n, b) => n + b.count, 0)).toBe(400);
  });
});
