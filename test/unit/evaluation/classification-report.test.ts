import { describe, expect, it } from 'vitest';
import { reportLabels, scoreAnswers } from '../../../main/core/evaluation/classification-report';
import { classScores, confusionMatrix, macroF1 } from '../../../main/core/evaluation/metrics';

describe('confusion matrix and per-class scores', () => {
  // 3 classes, 8 rows, matrix[actual][predicted] in the order cat, dog, bird:
  //   cat  -> cat 2, dog 1, bird 0     (rows 0, 1 right; row 2 answered dog)
  //   dog  -> cat 0, dog 2, bird 1     (rows 3, 4 right; row 5 answered bird)
  //   bird -> cat 1, dog 0, bird 1     (row 6 answered cat; row 7 right)
  const actual = ['cat', 'cat', 'cat', 'dog', 'dog', 'dog', 'bird', 'bird'];
  const predicted = ['cat', 'cat', 'dog', 'dog', 'dog', 'bird', 'cat', 'bird'];
  const labels = ['cat', 'dog', 'bird'];

  it('counts every (true, answered) pair in the given label order', () => {
    expect(confusionMatrix(actual, predicted, labels)).toEqual({
      labels,
      matrix: [
        [2, 1, 0],
        [0, 2, 1],
        [1, 0, 1],
      ],
    });
    // Without an order: the classes seen, sorted.
    expect(confusionMatrix(actual, predicted).labels).toEqual(['bird', 'cat', 'dog']);
  });

  it('reads precision from the column, recall from the row', () => {
    // cat: tp 2, column 2+0+1 = 3 -> P 2/3; row 2+1+0 = 3 -> R 2/3
    // bird: tp 1, column 0+1+1 = 2 -> P 1/2; row 1+0+1 = 2 -> R 1/2
    const scores = classScores(confusionMatrix(actual, predicted, labels));
    expect(scores[0].precision).toBeCloseTo(2 / 3, 12);
    expect(scores[0].recall).toBeCloseTo(2 / 3, 12);
    expect(scores[2]).toMatchObject({ label: 'bird', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  it('refuses an answer outside the labels rather than dropping it', () => {
    expect(() => confusionMatrix(['a', 'b'], ['a', 'c'], ['a', 'b'])).toThrow(/"c" is not among the labels/);
  });

  it('scores a report: accuracy, macro and weighted averages, all consistent with metrics.ts', () => {
    const report = scoreAnswers(actual, predicted, labels, null);
    // accuracy: 5 right of 8
    expect(report.accuracy).toBeCloseTo(5 / 8, 12);
    // macro: (2/3 + 2/3 + 1/2) / 3 = 11/18 for precision, recall and F1 alike
    expect(report.macro.precision).toBeCloseTo(11 / 18, 12);
    expect(report.macro.f1).toBeCloseTo(11 / 18, 12);
    expect(report.macro.f1).toBeCloseTo(macroF1(actual, predicted), 12);
    // weighted by support 3, 3, 2: (3·2/3 + 3·2/3 + 2·1/2) / 8 = 5/8; weighted recall always equals accuracy
    expect(report.weighted.precision).toBeCloseTo(5 / 8, 12);
    expect(report.weighted.recall).toBeCloseTo(report.accuracy, 12);
    expect(report.threshold).toBeNull();
  });

  it('lists a class the model never learned after its own, as a miss every time', () => {
    // model classes [neg, pos]; the answers hold "maybe", which the model cannot answer.
    const truth = ['neg', 'pos', 'maybe'];
    const answers = ['neg', 'pos', 'pos'];
    const listed = reportLabels(['neg', 'pos'], truth);
    expect(listed).toEqual(['neg', 'pos', 'maybe']);
    const report = scoreAnswers(truth, answers, listed, 0.5);
    // neg: P 1, R 1; pos: tp 1 of 2 answers -> P 1/2, R 1, F1 2/3; maybe: never answered -> 0
    expect(report.perClass.map((c) => c.f1)).toEqual([1, expect.closeTo(2 / 3, 12), 0]);
    expect(report.confusion.matrix).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    // macro over the three occurring classes: (1 + 2/3 + 0) / 3 = 5/9, as metrics.ts's macroF1
    expect(report.macro.f1).toBeCloseTo(5 / 9, 12);
    expect(report.macro.f1).toBeCloseTo(macroF1(truth, answers), 12);
  });

  it('lists a model class absent from the test rows with support 0, outside the macro average', () => {
    // a: P 1, R 1/2, F1 2/3; b: P 1/2, R 1, F1 2/3; c: support 0, never answered
    const report = scoreAnswers(['a', 'a', 'b'], ['a', 'b', 'b'], ['a', 'b', 'c'], null);
    expect(report.perClass[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(report.macro.f1).toBeCloseTo(2 / 3, 12);
  });
});
