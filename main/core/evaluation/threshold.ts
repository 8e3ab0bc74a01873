/**
 * Threshold tuning of a binary model: its answers and scores at a decision threshold, and at
 * every threshold of the Evaluation step's slider. The decision itself is inference's `isPositive`
 * (core/inference/preprocess.ts), so the slider, the app's predictions, the local API and the
 * exported file's predict.mjs all answer alike.
 */
import type { ClassificationScores } from '../../contract/evaluation';
import { isPositive } from '../inference/preprocess';
import { scoreAnswers } from './classification-report';

/** The slider's thresholds: 0.01, 0.02 … 0.99. */
export const SWEEP_THRESHOLDS: readonly number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/**
 * The answers at `threshold`: the positive label (`labels[1]`) where its probability is above
 * the threshold, else the negative one.
 */
export function answersAt(positiveProbabilities: readonly number[], labels: readonly string[], threshold: number): string[] {
  if (labels.length !== 2) throw new Error(`threshold: a binary model has 2 labels, not ${labels.length}`);
  return positiveProbabilities.map((p) => labels[isPositive(p, threshold) ? 1 : 0]);
}

/** Every score of the answers at `threshold` (see classification-report.ts). */
export function scoresAtThreshold(actual: readonly string[], positiveProbabilities: readonly number[], labels: readonly string[], reportLabels: readonly string[], threshold: number): ClassificationScores {
  return scoreAnswers(actual, answersAt(positiveProbabilities, labels, threshold), reportLabels, threshold);
}

/** The scores at each of the slider's thresholds, so moving it needs no computing in the page. */
export function thresholdSweep(actual: readonly string[], positiveProbabilities: readonly number[], labels: readonly string[], reportLabels: readonly string[]): ClassificationScores[] {
  return SWEEP_THRESHOLDS.map((t) => scoresAtThreshold(actual, positiveProbabilities, labels, reportLabels, t));
}
