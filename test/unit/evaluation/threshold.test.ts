import { describe, expect, it } from 'vitest';
import { reportLabels } from '../../../main/core/evaluation/classification-report';
import { answersAt, scoresAtThreshold, SWEEP_THRESHOLDS, thresholdSweep } from '../../../main/core/evaluation/threshold';
import { decodeOutputs, isPositive } from '../../../main/core/inference/preprocess';
import { parseTrainingConfig } from '../../../main/core/training/run-store';
import { prepareData } from '../../../main/core/training/prepare';
import { textReviews } from '../training/fixtures';

// P(pos) of four rows and their true classes.
const labels = ['neg', 'pos'];
const probabilities = [0.2, 0.4, 0.6, 0.8];
const actual = ['neg', 'pos', 'neg', 'pos'];
const listed = reportLabels(labels, actual);

describe('decision threshold', () => {
  it('answers the positive label only above the threshold', () => {
    expect(isPositive(0.5)).toBe(false); // a tie goes to the first label, as the most-probable rule does
    expect(isPositive(0.5000001)).toBe(true);
    expect(answersAt(probabilities, labels, 0.5)).toEqual(['neg', 'neg', 'pos', 'pos']);
    expect(answersAt(probabilities, labels, 0.6)).toEqual(['neg', 'neg', 'neg', 'pos']);
  });

  it('moves precision and recall as it moves', () => {
    // t = 0.5: answers neg neg pos pos -> pos: tp 1 (0.8), fp 1 (0.6), fn 1 (0.4): P 1/2, R 1/2, accuracy 2/4
    const middle = scoresAtThreshold(actual, probabilities, labels, listed, 0.5);
    expect(middle.perClass[1]).toMatchObject({ precision: 0.5, recall: 0.5 });
    expect(middle.accuracy).toBe(0.5);
    // t = 0.3: neg pos pos pos -> tp 2, fp 1: P 2/3, R 1, accuracy 3/4
    const low = scoresAtThreshold(actual, probabilities, labels, listed, 0.3);
    expect(low.perClass[1].precision).toBeCloseTo(2 / 3, 12);
    expect(low.perClass[1].recall).toBe(1);
    expect(low.accuracy).toBe(0.75);
    expect(low.confusion.matrix).toEqual([
      [1, 1],
      [0, 2],
    ]);
    // t = 0.6: 0.6 is not above 0.6 -> only 0.8 is pos: P 1, R 1/2, accuracy 3/4
    const high = scoresAtThreshold(actual, probabilities, labels, listed, 0.6);
    expect(high.perClass[1]).toMatchObject({ precision: 1, recall: 0.5 });
    expect(high.threshold).toBe(0.6);
  });

  it('sweeps the slider: 0.01 to 0.99, each point equal to scoring at that threshold', () => {
    const sweep = thresholdSweep(actual, probabilities, labels, listed);
    expect(sweep).toHaveLength(99);
    expect(SWEEP_THRESHOLDS[0]).toBe(0.01);
    expect(SWEEP_THRESHOLDS[49]).toBe(0.5);
    expect(SWEEP_THRESHOLDS[98]).toBe(0.99);
    expect(sweep[49]).toEqual(scoresAtThreshold(actual, probabilities, labels, listed, 0.5));
    expect(sweep[29]).toEqual(scoresAtThreshold(actual, probabilities, labels, listed, 0.3));
  });

  it('is the rule inference decodes with, so the app and the exported file answer alike', () => {
    const pre = prepareData(textReviews(20, 1), parseTrainingConfig({ modelId: 'text-bow', task: 'text-classification' })).preprocessing;
    // Without a threshold: the more probable label (0.5 is a tie: the first label)
    expect(decodeOutputs(pre, [0.4, 0.5, 0.6], 3).map((p) => p.prediction)).toEqual(['neg', 'neg', 'pos']);
    // At 0.3, 0.4 and 0.5 become pos; the confidence is the probability of the answer given
    expect(decodeOutputs(pre, [0.4, 0.5, 0.2], 3, 0.3)).toEqual([
      { prediction: 'pos', confidence: 0.4, probabilities: [0.6, 0.4] },
      { prediction: 'pos', confidence: 0.5, probabilities: [0.5, 0.5] },
      { prediction: 'neg', confidence: 0.8, probabilities: [0.8, 0.2] },
    ]);
    expect(decodeOutputs(pre, probabilities, 4, 0.5).map((p) => p.prediction)).toEqual(answersAt(probabilities, ['neg', 'pos'], 0.5));
  });
});
