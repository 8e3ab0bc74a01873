import { describe, expect, it } from 'vitest';
import { curvesFor, precisionRecallCurve, rocCurve, thinCurve } from '../../../main/core/evaluation/curves';

// Six rows, three positives (T) and three negatives (F), highest score first:
//   score  0.9  0.8  0.7  0.6  0.55  0.4
//   truth   T    T    F    T    F     F
// As the threshold falls: (tp, fp) = (1,0) (2,0) (2,1) (3,1) (3,2) (3,3).
const scores = [0.6, 0.9, 0.4, 0.7, 0.8, 0.55]; // the same rows, shuffled: order must not matter
const truth = [true, true, false, false, true, false];

describe('ROC curve', () => {
  it('walks from (0,0) to (1,1) through each distinct score', () => {
    const { points } = rocCurve(scores, truth);
    // x = fp / 3, y = tp / 3
    expect(points.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [0, 1 / 3],
      [0, 2 / 3],
      [1 / 3, 2 / 3],
      [1 / 3, 1],
      [2 / 3, 1],
      [1, 1],
    ]);
    expect(points.slice(1).map((p) => p.threshold)).toEqual([0.9, 0.8, 0.7, 0.6, 0.55, 0.4]);
  });

  it('has the area of the positive-above-negative pairs', () => {
    // Trapezoids: 1/3 · 2/3 + 1/3 · 1 + 1/3 · 1 = 8/9. Pairs: 0.9 and 0.8 beat all 3 negatives,
    // 0.6 beats 0.55 and 0.4: 8 of 9 pairs.
    expect(rocCurve(scores, truth).auc).toBeCloseTo(8 / 9, 12);
  });

  it('counts ties as half (one diagonal step), and has no area with one side only', () => {
    expect(rocCurve([0.5, 0.5], [true, false]).auc).toBeCloseTo(0.5, 12);
    expect(rocCurve([0.1, 0.9], [true, true])).toEqual({ points: [], auc: null });
  });
});

describe('precision-recall curve', () => {
  it('gives precision and recall at each step and the average precision', () => {
    const { points, averagePrecision } = precisionRecallCurve(scores, truth);
    // (R, P): (1/3, 1) (2/3, 1) (2/3, 2/3) (1, 3/4) (1, 3/5) (1, 1/2), after the start (0, 1)
    expect(points.map((p) => [p.x, p.y])).toEqual([
      [0, 1],
      [1 / 3, 1],
      [2 / 3, 1],
      [2 / 3, 2 / 3],
      [1, 3 / 4],
      [1, 3 / 5],
      [1, 1 / 2],
    ]);
    // AP = Σ (Rₖ − Rₖ₋₁)·Pₖ = 1/3·1 + 1/3·1 + 0 + 1/3·3/4 + 0 + 0 = 11/12 (scikit-learn: 0.91666…)
    expect(averagePrecision).toBeCloseTo(11 / 12, 12);
  });

  it('has no curve without positives', () => {
    expect(precisionRecallCurve([0.3], [false])).toEqual({ points: [], averagePrecision: null });
  });
});

describe('one-vs-rest and thinning', () => {
  it('scores the positive class of a binary model, and every class of a multi-class one', () => {
    const binary = curvesFor(['neg', 'pos'], ['pos', 'neg'], [
      [0.2, 0.8],
      [0.7, 0.3],
    ]);
    expect(binary.map((c) => c.label)).toEqual(['pos']);
    expect(binary[0].auc).toBe(1);
    // 3 classes: a is scored by column 0, b by column 1, c by column 2.
    const multi = curvesFor(['a', 'b', 'c'], ['a', 'b', 'c', 'a'], [
      [0.8, 0.1, 0.1],
      [0.3, 0.6, 0.1],
      [0.2, 0.2, 0.6],
      [0.4, 0.5, 0.1],
    ]);
    expect(multi.map((c) => [c.label, c.positives])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
    // a: positives score 0.8, 0.4; negatives 0.3, 0.2 -> all 4 pairs right
    expect(multi[0].auc).toBe(1);
    // b: the positive scores 0.6; negatives 0.1, 0.2, 0.5 -> 3 of 3
    expect(multi[1].auc).toBe(1);
  });

  it('keeps at most the asked number of points, first and last included', () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ x: i / 1000, y: i / 1000, threshold: 1 - i / 1000 }));
    const thin = thinCurve(many, 200);
    expect(thin).toHaveLength(200);
    expect(thin[0]).toBe(many[0]);
    expect(thin[199]).toBe(many[1000]);
  });
});
