import { describe, expect, it } from 'vitest';
import { BoundedCounter } from '../../../main/core/data/bounded-counter';
import { createRng } from '../../../main/core/data/prng';
import { assignSplits } from '../../../main/core/data/split';

describe('BoundedCounter', () => {
  it('counts exactly up to its capacity, ranking by count then by code point', () => {
    const counter = new BoundedCounter(10);
    for (const word of ['b', 'a', 'c', 'a', 'b', 'a']) counter.add(word);
    expect(counter.ranked()).toEqual([['a', 3], ['b', 2], ['c', 1]]);
    expect([counter.distinct, counter.floor]).toEqual([3, 0]);
  });

  it('past its capacity drops the rare values and keeps the frequent ones with their counts', () => {
    const counter = new BoundedCounter(1000);
    const rng = createRng(1);
    for (let i = 0; i < 50_000; i++) {
      // Ten frequent words among a stream of one-off ids.
      counter.add(rng() < 0.3 ? `w${Math.floor(rng() * 10)}` : `id${i}`);
    }
    expect(counter.counts.size).toBeLessThanOrEqual(1000);
    expect(counter.floor).toBeGreaterThan(0);
    const top = counter.ranked().slice(0, 10);
    expect(top.map(([w]) => w).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `w${i}`));
    // Each frequent word appears ~1,500 times; a drop could only have cost it `floor` counts.
    for (const [, count] of top) expect(count).toBeGreaterThan(1300);
  });
});

describe('assignSplits with labels as codes', () => {
  it('splits exactly as with the label texts (missing and empty share a class)', () => {
    const rng = createRng(4);
    const texts = Array.from({ length: 2000 }, () => (rng() < 0.05 ? null : rng() < 0.05 ? '' : `c${Math.floor(rng() * 4)}`));
    const classes = ['c0', 'c1', 'c2', 'c3', ''];
    const codes = Int32Array.from(texts, (t) => (t === null ? -1 : classes.indexOf(t)));
    const byText = assignSplits(texts, { seed: 11 });
    const byCode = assignSplits({ codes, classes }, { seed: 11 });
    expect(byCode.assignment).toEqual(byText.assignment);
    expect(byCode.perClass).toEqual(byText.perClass);
  });
});
