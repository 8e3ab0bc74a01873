/**
 * Reads a run's training curves (loss and score per epoch, on training and validation rows) the
 * way a practitioner would, and says in codes what they show and what to try: memorizing
 * (validation loss rising after its best epoch, or a wide gap between training and validation
 * scores), not learning enough (a low score even on the training rows), or still improving.
 */
import type { FitAdvice, FitDiagnosis, FitFinding, FitVerdict } from '../../contract/evaluation';
import type { ProgressEvent, TaskId } from '../../contract/training';

type EpochEvent = Extract<ProgressEvent, { kind: 'epoch' }>;

/** Validation loss this much above its best (relative) counts as rising… */
export const RISE_SHARE = 0.1;
/** …when it has had this many epochs since its best to do so. */
export const RISE_EPOCHS = 2;
/** Training accuracy this far above validation accuracy is a gap worth acting on. */
export const ACCURACY_GAP = 0.1;
/** For numbers: validation error this many times the training error. */
export const ERROR_RATIO = 1.5;
/** Training accuracy below this means the model has not learned the task. */
export const LOW_TRAIN_ACCURACY = 0.7;
/**
 * For numbers the loss is the squared error on standardized targets (≈ 1 − R² on the training
 * rows): above this, the model explains less than half of the training targets' variation.
 */
export const HIGH_TRAIN_LOSS = 0.5;
/** Loss still falling by more than this share over the last epochs: more epochs would help. */
export const STILL_IMPROVING_SHARE = 0.01;

export interface FitContext {
  task: TaskId;
  /** Early stopping was on for the run. */
  earlyStopping: boolean;
  /** Dropout or an L1/L2 penalty was on. */
  regularized: boolean;
  /** Why the run ended ('epochs_done': it used every planned epoch). */
  stopReason: 'epochs_done' | 'early_stopping' | 'user_stop' | null;
}

const round = (n: number, digits = 4) => Number(n.toFixed(digits));

/** One event per epoch (the last one wins: a resumed run replays none, but be safe), in order. */
function epochsOf(events: readonly ProgressEvent[]): EpochEvent[] {
  const byEpoch = new Map<number, EpochEvent>();
  for (const e of events) if (e.kind === 'epoch') byEpoch.set(e.epoch, e);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** Diagnoses the curves of a run (see the module note); the thresholds above are the rules. */
export function diagnoseFit(events: readonly ProgressEvent[], context: FitContext): FitDiagnosis {
  const epochs = epochsOf(events);
  const findings: FitFinding[] = [];
  const advice = new Set<FitAdvice>();
  const regression = context.task === 'tabular-regression';
  if (epochs.length < 3) {
    return { verdict: 'not_enough_history', findings: [{ code: 'few_epochs', params: { epochs: epochs.length } }], advice: ['train_longer'] };
  }
  const last = epochs[epochs.length - 1];
  const withValidation = epochs.filter((e) => e.valLoss !== null && Number.isFinite(e.valLoss));
  if (withValidation.length < 3) {
    return { verdict: 'not_enough_history', findings: [{ code: 'no_validation', params: {} }], advice: ['more_data'] };
  }

  const best = withValidation.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
  const lastVal = withValidation[withValidation.length - 1];
  const rise = (lastVal.valLoss! - best.valLoss!) / Math.max(best.valLoss!, 1e-12);
  const rising = rise > RISE_SHARE && lastVal.epoch - best.epoch >= RISE_EPOCHS;
  if (rising) findings.push({ code: 'val_loss_rising', params: { bestEpoch: best.epoch, lastEpoch: lastVal.epoch, rise: round(rise) } });

  let gap = false;
  if (last.metric !== null && last.valMetric !== null) {
    if (!regression && last.metric - last.valMetric > ACCURACY_GAP) {
      gap = true;
      findings.push({ code: 'train_val_gap', params: { train: round(last.metric), validation: round(last.valMetric), gap: round(last.metric - last.valMetric) } });
    } else if (regression && last.valMetric > ERROR_RATIO * last.metric && last.metric > 0) {
      gap = true;
      findings.push({ code: 'train_val_gap', params: { train: round(last.metric), validation: round(last.valMetric), ratio: round(last.valMetric / last.metric, 2) } });
    }
  }

  const low = regression ? last.loss > HIGH_TRAIN_LOSS : last.metric !== null && last.metric < LOW_TRAIN_ACCURACY;
  if (low) findings.push({ code: 'train_score_low', params: regression ? { loss: round(last.loss) } : { train: round(last.metric!) } });

  const lookback = epochs[Math.max(0, epochs.length - 4)];
  const improving =
    context.stopReason !== 'early_stopping' && !rising && lastVal.valLoss! <= best.valLoss! && lookback.loss > 0 && (lookback.loss - last.loss) / lookback.loss > STILL_IMPROVING_SHARE;
  if (improving) findings.push({ code: 'still_improving', params: { epochs: last.epoch } });

  let verdict: FitVerdict;
  if (rising || gap) {
    verdict = 'overfitting';
    advice.add('more_data');
    if (context.task === 'text-classification') advice.add('augmentation');
    if (!context.regularized) advice.add('regularization');
    if (!context.earlyStopping) advice.add('early_stopping');
    advice.add('smaller_model');
  } else if (low) {
    verdict = 'underfitting';
    if (improving || context.stopReason === 'epochs_done') advice.add('train_longer');
    advice.add('bigger_model');
    advice.add('check_labels');
  } else {
    verdict = 'good_fit';
    findings.push({ code: 'curves_close', params: { bestEpoch: best.epoch } });
    if (improving) advice.add('train_longer');
  }
  return { verdict, findings, advice: [...advice] };
}
