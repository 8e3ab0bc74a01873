/**
 * The classification report: per-class precision, recall, F1 and support, their macro and
 * weighted averages, accuracy and the confusion matrix, for one set of answers. Built on the
 * confusion matrix of metrics.ts (the one per-class implementation), so these numbers and the
 * CLI's accuracy and macro F1 cannot disagree.
 */
import type { Averages, ClassificationScores } from '../../contract/evaluation';
import { accuracy, classScores, confusionMatrix, type ClassScores } from './metrics';

/**
 * The classes a report lists: the model's, in output order, then any class of the answers the
 * model never learned (it can never answer those: they are always misses).
 */
export function reportLabels(modelLabels: readonly string[], actual: readonly string[]): string[] {
  const known = new Set(modelLabels);
  const unknown = [...new Set(actual.filter((a) => !known.has(a)))].sort();
  return [...modelLabels, ...unknown];
}

/** Unweighted mean of precision, recall and F1 over `classes`. */
function macroOf(classes: readonly ClassScores[]): Averages {
  const n = classes.length || 1;
  return {
    precision: classes.reduce((s, c) => s + c.precision, 0) / n,
    recall: classes.reduce((s, c) => s + c.recall, 0) / n,
    f1: classes.reduce((s, c) => s + c.f1, 0) / n,
  };
}

/** Mean of precision, recall and F1 weighted by each class's support. */
function weightedOf(classes: readonly ClassScores[]): Averages {
  const total = classes.reduce((s, c) => s + c.support, 0) || 1;
  return {
    precision: classes.reduce((s, c) => s + c.precision * c.support, 0) / total,
    recall: classes.reduce((s, c) => s + c.recall * c.support, 0) / total,
    f1: classes.reduce((s, c) => s + c.f1 * c.support, 0) / total,
  };
}

/**
 * Scores a set of answers. `labels` orders the matrix and the table (see `reportLabels`); the
 * macro average, like metrics.ts's macroF1 and scikit-learn's, counts the classes that occur in
 * the answers or the predictions (a model class absent from both is listed with support 0 but
 * does not drag the average down).
 */
export function scoreAnswers(actual: readonly string[], predicted: readonly string[], labels: readonly string[], threshold: number | null): ClassificationScores {
  const confusion = confusionMatrix(actual, predicted, labels);
  const perClass = classScores(confusion);
  const occurring = perClass.filter((c, k) => c.support > 0 || confusion.matrix.some((row) => row[k] > 0));
  return {
    threshold,
    accuracy: accuracy(actual, predicted),
    perClass,
    macro: macroOf(occurring),
    weighted: weightedOf(perClass),
    confusion,
  };
}
