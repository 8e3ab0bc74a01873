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

/** How often each true class got each predicted class: `matrix[actual][predicted]`, rows and columns in `labels` order. */
export interface ConfusionMatrix {
  labels: string[];
  matrix: number[][];
}

/**
 * Counts the answers per (true class, predicted class). `labels` fixes the order; by default the
 * classes seen in the answers or the predictions, sorted. Pairs with a class outside `labels` are
 * refused, so no answer silently drops out of the counts.
 */
export function confusionMatrix(actual: readonly string[], predicted: readonly string[], labels?: readonly string[]): ConfusionMatrix {
  assertPairs(actual, predicted);
  const order = labels ? [...labels] : [...new Set([...actual, ...predicted])].sort();
  const index = new Map(order.map((label, i) => [label, i]));
  const matrix = order.map(() => new Array<number>(order.length).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = index.get(actual[i]);
    const p = index.get(predicted[i]);
    if (a === undefined || p === undefined) throw new Error(`metrics: class "${a === undefined ? actual[i] : predicted[i]}" is not among the labels`);
    matrix[a][p]++;
  }
  return { labels: order, matrix };
}

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

/**
 * Precision, recall and F1 of every class of a confusion matrix: for class k, tp is the diagonal
 * cell, fp the rest of its column, fn the rest of its row. A class never predicted has no
 * precision; like scikit-learn, it counts as 0 (and so does a recall without support).
 */
export function classScores({ labels, matrix }: ConfusionMatrix): ClassScores[] {
  return labels.map((label, k) => {
    const tp = matrix[k][k];
    const support = matrix[k].reduce((a, b) => a + b, 0);
    const predictedAs = matrix.reduce((sum, row) => sum + row[k], 0);
    const precision = predictedAs > 0 ? tp / predictedAs : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
}

/** Per class: precision, recall and F1, over the classes seen in the answers or the predictions (sorted). */
export function perClassF1(actual: readonly string[], predicted: readonly string[]): ClassScores[] {
  return classScores(confusionMatrix(actual, predicted));
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
