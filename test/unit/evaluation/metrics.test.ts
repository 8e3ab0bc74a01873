import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classificationMetrics,
  macroF1,
  meanAbsoluteError,
  perClassF1,
  regressionMetrics,
  rootMeanSquaredError,
  rSquared,
} from '../../../main/core/evaluation/metrics';

describe('classification metrics', () => {
  // 3 classes, 8 rows. Hand-counted:
  //   cat:  tp 2, fp 1 (row 6), fn 1 (row 2)  -> P 2/3, R 2/3, F1 2/3
  //   dog:  tp 2, fp 1 (row 2), fn 1 (row 5)  -> P 2/3, R 2/3, F1 2/3
  //   bird: tp 1, fp 1 (row 5), fn 1 (row 6)  -> P 1/2, R 1/2, F1 1/2
  //   accuracy 5/8; macro F1 (2/3 + 2/3 + 1/2) / 3 = 11/18
  const actual = ['cat', 'cat', 'cat', 'dog', 'dog', 'dog', 'bird', 'bird'];
  const predicted = ['cat', 'cat', 'dog', 'dog', 'dog', 'bird', 'cat', 'bird'];

  it('accuracy is the share of right answers', () => {
    expect(accuracy(actual, predicted)).toBeCloseTo(5 / 8, 12);
    expect(accuracy(['a'], ['a'])).toBe(1);
  });

  it('macro F1 averages the per-class F1 scores, each class weighing the same', () => {
    const classes = perClassF1(actual, predicted);
    expect(classes.map((c) => c.label)).toEqual(['bird', 'cat', 'dog']);
    expect(classes.find((c) => c.label === 'bird')).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(classes.find((c) => c.label === 'cat')!.f1).toBeCloseTo(2 / 3, 12);
    expect(macroF1(actual, predicted)).toBeCloseTo(11 / 18, 12);
  });

  it('a class that is never predicted scores F1 0 (precision undefined counts as 0)', () => {
    // actual [pos, pos, pos, neg], predicted all pos: pos P 3/4, R 1, F1 6/7; neg never predicted: F1 0.
    const m = classificationMetrics(['pos', 'pos', 'pos', 'neg'], ['pos', 'pos', 'pos', 'pos']);
    expect(m.accuracy).toBe(0.75);
    expect(m.macroF1).toBeCloseTo((6 / 7 + 0) / 2, 12);
  });

  it('a predicted class absent from the answers counts too', () => {
    // a: tp 1, fn 1 -> P 1, R 1/2, F1 2/3; b: tp 0, fp 1 -> F1 0
    expect(macroF1(['a', 'a'], ['a', 'b'])).toBeCloseTo(1 / 3, 12);
  });

  it('refuses empty or mismatched inputs', () => {
    expect(() => accuracy([], [])).toThrow(/no rows/);
    expect(() => macroF1(['a'], ['a', 'b'])).toThrow(/1 answers but 2 predictions/);
  });
});

describe('regression metrics', () => {
  // errors: -1, +2, 0, -3  -> MAE 6/4 = 1.5; MSE (1+4+0+9)/4 = 3.5, RMSE sqrt(3.5)
  // actual mean 5; SS_tot = 9+1+1+9 = 20; SS_res = 14 -> R² = 1 - 14/20 = 0.3
  const actual = [2, 4, 6, 8];
  const predicted = [3, 2, 6, 11];

  it('MAE, RMSE and R² match the hand-computed values', () => {
    expect(meanAbsoluteError(actual, predicted)).toBe(1.5);
    expect(rootMeanSquaredError(actual, predicted)).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(rSquared(actual, predicted)).toBeCloseTo(0.3, 12);
    expect(regressionMetrics(actual, predicted)).toEqual({ mae: 1.5, rmse: Math.sqrt(3.5), r2: expect.closeTo(0.3, 12) });
  });

  it('R² is 1 for a perfect fit, 0 for always answering the mean, negative when worse', () => {
    expect(rSquared(actual, actual)).toBe(1);
    expect(rSquared(actual, [5, 5, 5, 5])).toBe(0);
    expect(rSquared(actual, [8, 6, 4, 2])).toBeCloseTo(1 - 80 / 20, 12);
  });

  it('R² of a constant target: 1 when exact, else 0 (no division by zero)', () => {
    expect(rSquared([3, 3, 3], [3, 3, 3])).toBe(1);
    expect(rSquared([3, 3, 3], [2, 3, 4])).toBe(0);
  });
});
