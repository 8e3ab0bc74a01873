/**
 * `fitDataset` for the dense-stack engine: the same epochs, callbacks and logs tfjs gives
 * (batch logs `loss`, `acc` or `mae`, `size`; epoch logs averaged by batch size, plus `val_…`
 * without the weight penalty, as tfjs's evaluation computes them), so the trainer keeps one set
 * of callbacks for both paths. The weights and optimizer state go back into the tfjs model before
 * every epoch end (the trainer then validates, checkpoints and keeps the best model) and when
 * training stops.
 */
import type * as tf from '@tensorflow/tfjs';
import type { DenseStackEngine, StepStats } from './dense-stack';

/** One batch as arrays: x [rows, inputs], y [rows, outputs], and each row's class (for class weights). */
export interface ArrayBatch {
  x: Float32Array;
  y: Float32Array;
  rows: number;
  classIndex: ArrayLike<number> | null;
}

export interface DenseFitArgs {
  epochs: number;
  initialEpoch: number;
  /** The batches of one epoch, in that epoch's order. */
  trainBatches: (epoch: number) => Iterable<ArrayBatch>;
  validationBatches: (() => Iterable<ArrayBatch>) | null;
  classWeight?: Record<number, number>;
  /** 'acc' or 'mae': the key tfjs gives the compiled metric. */
  metricKey: string;
  callbacks: {
    onEpochBegin?: (epoch: number) => Promise<void>;
    onBatchEnd?: (batch: number, logs: tf.Logs) => Promise<void>;
    onEpochEnd?: (epoch: number, logs: tf.Logs) => Promise<void>;
  };
}

export async function fitDenseStack(engine: DenseStackEngine, model: tf.LayersModel, optimizer: tf.Optimizer, args: DenseFitArgs): Promise<void> {
  const { callbacks, metricKey } = args;
  model.stopTraining = false;
  for (let epoch = args.initialEpoch; epoch < args.epochs; epoch++) {
    await callbacks.onEpochBegin?.(epoch);
    let seen = 0;
    let lossTotal = 0;
    let metricTotal = 0;
    let batch = 0;
    for (const b of args.trainBatches(epoch)) {
      const stats = engine.trainStep(b.x, b.y, b.rows, rowWeights(b, args.classWeight));
      const loss = stats.lossSum / b.rows + stats.penalty;
      const metric = stats.metricSum / b.rows;
      seen += b.rows;
      lossTotal += loss * b.rows;
      metricTotal += metric * b.rows;
      await callbacks.onBatchEnd?.(batch, { batch, size: b.rows, loss, [metricKey]: metric });
      batch++;
      if (model.stopTraining) break;
    }
    await engine.writeBack(model, optimizer);
    const logs: tf.Logs = seen ? { loss: lossTotal / seen, [metricKey]: metricTotal / seen } : {};
    if (!model.stopTraining && args.validationBatches) Object.assign(logs, validate(engine, args.validationBatches(), metricKey));
    await callbacks.onEpochEnd?.(epoch, logs);
    if (model.stopTraining) break;
  }
}

/** Validation loss and metric over every row (tfjs's evaluation: no weights, no penalty). */
function validate(engine: DenseStackEngine, batches: Iterable<ArrayBatch>, metricKey: string): tf.Logs {
  const total: StepStats = { lossSum: 0, metricSum: 0, penalty: 0 };
  let rows = 0;
  for (const b of batches) {
    const s = engine.evaluate(b.x, b.y, b.rows);
    total.lossSum += s.lossSum;
    total.metricSum += s.metricSum;
    rows += b.rows;
  }
  return rows ? { val_loss: total.lossSum / rows, [`val_${metricKey}`]: total.metricSum / rows } : {};
}

function rowWeights(batch: ArrayBatch, classWeight: Record<number, number> | undefined): Float32Array | null {
  if (!classWeight || !batch.classIndex) return null;
  const weights = new Float32Array(batch.rows);
  for (let r = 0; r < batch.rows; r++) weights[r] = classWeight[batch.classIndex[r]] ?? 1;
  return weights;
}
