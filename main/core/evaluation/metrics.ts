/**
 * Scores of a model's answers against the right ones: accuracy and macro F1 for classes; mean
 * absolute error, root mean squared error and R² for numbers. Plain functions over arrays, so
 * the CLI, the Evaluation step and the tests compute them the same way.
 */

function assertPairs(actual: ArrayLike<unknown>, predicted: ArrayLike<unknown>): void {
  if (actual.length !== predicted.length) throw new Error(`metrics: ${actual.length} answers but ${predicted.length} predictions`);
  if (actual.length === 0) throw new Error('metrics: no rows to score');
}

/** Share of predictions equal to the right answer. */
export function accuracy(actual: readonly string[], predicted: readonly string[]): number {
  assertPairs(actual, predicted);
  let right = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) right++;
  return right / actual.length;
}

/** Per class: precision, recall and F1, over the classes seen in the answers or the predictions (sorted). */
export function perClassF1(actual: readonly string[], predicted: readonly string[]): { label: string; precision: number; recall: number; f1: number; support: number }[] {
  assertPairs(actual, predicted);
  const labels = [...new Set([...actual, ...predicted])].sort();
  return labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < actual.length; i++) {
      const isActual = actual[i] === label;
      const isPredicted = predicted[i] === label;
      if (isActual && isPredicted) tp++;
      else if (isPredicted) fp++;
      else if (isActual) fn++;
    }
    // A class never predicted has no precision; like scikit-learn, it counts as 0.
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: tp + fn };
  });
}

/** The unweighted mean of the per-class F1 scores: every class counts the same, however rare. */
export function macroF1(actual: readonly string[], predicted: readonly string[]): number {
  const classes = perClassF1(actual, predicted);
  return classes.reduce((sum, c) => sum + c.f1, 0) / classes.length;
}

/** Mean absolute error, in the target's own units. */
export function meanAbsoluteError(actual: readonly number[], predicted: readonly number[]): number {
  assertPairs(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / actual.length;
}

/** Root mean squared error: like MAE, but large misses weigh more. */
export function rootMeanSquaredError(actual: readonly number[], predicted: readonly number[]): number {
  assertPairs(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i] - predicted[i]) ** 2;
  return Math.sqrt(sum / actual.length);
}

/**
 * R² (coefficient of determination): 1 is perfect, 0 is no better than always answering the
 * mean, below 0 is worse. With a constant target it is 1 for a perfect fit and 0 otherwise
 * (scikit-learn's convention).
 */
export function rSquared(actual: readonly number[], predicted: readonly number[]): number {
  assertPairs(actual, predicted);
  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < actual.length; i++) {
    residual += (actual[i] - predicted[i]) ** 2;
    total += (actual[i] - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

export interface ClassificationMetrics {
  accuracy: number;
  macroF1: number;
}

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  r2: number;
}

export function classificationMetrics(actual: readonly string[], predicted: readonly string[]): ClassificationMetrics {
  return { accuracy: accuracy(actual, predicted), macroF1: macroF1(actual, predicted) };
}

export function regressionMetrics(actual: readonly number[], predicted: readonly number[]): RegressionMetrics {
  return { mae: meanAbsoluteError(actual, predicted), rmse: rootMeanSquaredError(actual, predicted), r2: rSquared(actual, predicted) };
}
