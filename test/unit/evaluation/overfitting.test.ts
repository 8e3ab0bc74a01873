import { describe, expect, it } from 'vitest';
import { diagnoseFit, type FitContext } from '../../../main/core/evaluation/overfitting';
import type { ProgressEvent } from '../../../main/contract/training';

/** Epoch events from rows of [loss, accuracy (or MAE), validation loss, validation accuracy (or MAE)]. */
function curves(rows: [number, number | null, number | null, number | null][]): ProgressEvent[] {
  return rows.map(([loss, metric, valLoss, valMetric], i) => ({
    kind: 'epoch',
    runId: 'r',
    at: '2025-01-01T00:00:00Z',
    epoch: i + 1,
    epochs: rows.length,
    loss,
    metric,
    valLoss,
    valMetric,
    samplesPerSecond: 100,
    etaSeconds: 0,
    elapsedSeconds: i + 1,
    improved: false,
    bestEpoch: null,
  }));
}

const text: FitContext = { task: 'text-classification', earlyStopping: false, regularized: false, stopReason: 'epochs_done' };

describe('overfitting diagnosis', () => {
  it('sees validation loss rising after its best epoch and the accuracy gap: overfitting, with advice', () => {
    // best validation loss 0.40 at epoch 3; last 0.55 at epoch 6: +37.5% and 3 epochs later.
    // training accuracy 0.99 against 0.80 on validation: a gap of 0.19 (> 0.10).
    const d = diagnoseFit(
      curves([
        [0.6, 0.7, 0.6, 0.7],
        [0.4, 0.85, 0.45, 0.78],
        [0.25, 0.93, 0.4, 0.8],
        [0.15, 0.96, 0.44, 0.8],
        [0.08, 0.98, 0.5, 0.79],
        [0.04, 0.99, 0.55, 0.8],
      ]),
      text,
    );
    expect(d.verdict).toBe('overfitting');
    expect(d.findings.map((f) => f.code)).toEqual(['val_loss_rising', 'train_val_gap']);
    expect(d.findings[0].params).toEqual({ bestEpoch: 3, lastEpoch: 6, rise: 0.375 });
    expect(d.findings[1].params).toEqual({ train: 0.99, validation: 0.8, gap: 0.19 });
    // Text: more varied examples help; nothing regularized and no early stopping: suggest both.
    expect(d.advice).toEqual(['more_data', 'augmentation', 'regularization', 'early_stopping', 'smaller_model']);
  });

  it('does not suggest what the run already did', () => {
    const d = diagnoseFit(
      curves([
        [0.6, 0.7, 0.6, 0.7],
        [0.3, 0.9, 0.5, 0.75],
        [0.1, 0.99, 0.55, 0.75],
      ]),
      { task: 'tabular-classification', earlyStopping: true, regularized: true, stopReason: 'early_stopping' },
    );
    expect(d.verdict).toBe('overfitting');
    expect(d.advice).toEqual(['more_data', 'smaller_model']);
  });

  it('a low training score is underfitting: train longer, a bigger model, check the labels', () => {
    // training accuracy 0.62 < 0.70 at the end; loss still falling: (0.66 − 0.62) / 0.66 > 1%
    const d = diagnoseFit(
      curves([
        [0.69, 0.52, 0.69, 0.5],
        [0.68, 0.55, 0.68, 0.55],
        [0.66, 0.58, 0.67, 0.57],
        [0.64, 0.6, 0.66, 0.58],
        [0.62, 0.62, 0.65, 0.6],
      ]),
      text,
    );
    expect(d.verdict).toBe('underfitting');
    expect(d.findings.map((f) => f.code)).toEqual(['train_score_low', 'still_improving']);
    expect(d.advice).toEqual(['train_longer', 'bigger_model', 'check_labels']);
  });

  it('close curves are a good fit; still improving suggests more epochs', () => {
    const d = diagnoseFit(
      curves([
        [0.5, 0.8, 0.52, 0.79],
        [0.3, 0.9, 0.33, 0.88],
        [0.2, 0.94, 0.24, 0.91],
      ]),
      text,
    );
    expect(d.verdict).toBe('good_fit');
    expect(d.findings.map((f) => f.code)).toEqual(['still_improving', 'curves_close']);
    expect(d.advice).toEqual(['train_longer']);
  });

  it('for numbers: validation error 1.5× the training error is a gap; a high training loss is underfitting', () => {
    const regression: FitContext = { task: 'tabular-regression', earlyStopping: true, regularized: false, stopReason: 'early_stopping' };
    const gap = diagnoseFit(
      curves([
        [0.5, 10, 0.6, 12],
        [0.2, 5, 0.3, 9],
        [0.1, 4, 0.28, 8],
      ]),
      regression,
    );
    expect(gap.verdict).toBe('overfitting');
    // MAE 8 on validation against 4 in training: a ratio of 2
    expect(gap.findings).toEqual([{ code: 'train_val_gap', params: { train: 4, validation: 8, ratio: 2 } }]);
    const low = diagnoseFit(
      curves([
        [0.9, 10, 0.9, 10],
        [0.85, 9.5, 0.86, 9.8],
        [0.8, 9.4, 0.82, 9.6],
      ]),
      regression,
    );
    expect(low.verdict).toBe('underfitting');
    expect(low.findings[0]).toEqual({ code: 'train_score_low', params: { loss: 0.8 } });
  });

  it('says when there is too little to go on', () => {
    expect(diagnoseFit(curves([[0.5, 0.8, 0.5, 0.8]]), text)).toEqual({ verdict: 'not_enough_history', findings: [{ code: 'few_epochs', params: { epochs: 1 } }], advice: ['train_longer'] });
    const none = diagnoseFit(
      curves([
        [0.5, 0.8, null, null],
        [0.4, 0.85, null, null],
        [0.3, 0.9, null, null],
      ]),
      text,
    );
    expect(none.verdict).toBe('not_enough_history');
    expect(none.findings[0].code).toBe('no_validation');
  });
});
