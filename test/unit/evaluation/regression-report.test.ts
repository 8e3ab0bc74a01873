import { describe, expect, it } from 'vitest';
import { buildRegressionReport, median } from '../../../main/core/evaluation/regression-report';

describe('regression report', () => {
  // predicted − actual: 1, −2, 0, 3
  //   MAE (1+2+0+3)/4 = 1.5; RMSE sqrt((1+4+0+9)/4) = sqrt(3.5)
  //   R²: mean 5, SS_tot 9+1+1+9 = 20, SS_res 14 -> 1 − 14/20 = 0.3
  //   bias (1−2+0+3)/4 = 0.5 (guesses high on average); median |miss| of 0,1,2,3 = 1.5
  const actual = [2, 4, 6, 8];
  const predicted = [3, 2, 6, 11];

  it('gives MAE, RMSE, R², bias and the median miss', () => {
    const report = buildRegressionReport(actual, predicted);
    expect(report).toMatchObject({ kind: 'regression', rows: 4, mae: 1.5, bias: 0.5, medianAbsoluteError: 1.5 });
    expect(report.r2).toBeCloseTo(0.3, 12);
    expect(report.rmse).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(report.points).toEqual(actual.map((a, i) => ({ actual: a, predicted: predicted[i] })));
  });

  it('picks plot points evenly when there are many rows', () => {
    // stride 4/2 = 2: rows 0 and 2
    expect(buildRegressionReport(actual, predicted, 2).points).toEqual([
      { actual: 2, predicted: 3 },
      { actual: 6, predicted: 6 },
    ]);
    expect(buildRegressionReport(Array.from({ length: 1234 }, (_, i) => i), Array.from({ length: 1234 }, (_, i) => i + 1)).points).toHaveLength(500);
  });

  it('median of an odd and an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
