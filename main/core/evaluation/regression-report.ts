/**
 * The regression report: MAE, RMSE and R² (metrics.ts), the bias (does the model guess high or
 * low on average), the median miss, and the points of the residual plot.
 */
import type { RegressionReport } from '../../contract/evaluation';
import { regressionMetrics } from './metrics';

/** Points the residual plot draws at most. */
export const MAX_RESIDUAL_POINTS = 500;

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Builds the report; the plot's points are picked evenly through the rows (the same rows every time). */
export function buildRegressionReport(actual: readonly number[], predicted: readonly number[], maxPoints = MAX_RESIDUAL_POINTS): RegressionReport {
  const { mae, rmse, r2 } = regressionMetrics(actual, predicted);
  const residuals = actual.map((a, i) => predicted[i] - a);
  const count = Math.min(actual.length, maxPoints);
  const stride = actual.length / count;
  const points = Array.from({ length: count }, (_, k) => {
    const i = Math.floor(k * stride);
    return { actual: actual[i], predicted: predicted[i] };
  });
  return {
    kind: 'regression',
    rows: actual.length,
    mae,
    rmse,
    r2,
    bias: residuals.reduce((a, b) => a + b, 0) / residuals.length,
    medianAbsoluteError: median(residuals.map(Math.abs)),
    points,
  };
}
