/**
 * "Measure on my data" for a project's data on disk: the preprocessing is fitted on every
 * training row (so the model's size is the real one) but only the first few rows are encoded,
 * in memory, to time batches on; the scan stops once they are in.
 */
import type { TrainingConfig } from '../../contract/training';
import type { JobControl } from '../data/byte-source';
import type { SplitPlan } from '../data/split-plan';
import { MemorySplit } from './batch-source';
import { resolveInputs } from './prepare-source';
import { RowEncoder, type InputPlan } from './preprocessing-fit';
import type { Preprocessing } from './preprocessing';
import { encodeSource } from './source-encode';
import { fitSource } from './source-fit';
import type { ProjectDataRef } from './training-data';

/** What an estimate needs: the data's shape and counts, and a few real rows to time batches on. */
export interface SourceSample {
  preprocessing: Preprocessing;
  plan: InputPlan;
  encoder: RowEncoder;
  trainRows: number;
  validationRows: number;
  /** The first `rows` training rows, encoded in memory. */
  sample: MemorySplit;
}

/**
 * Fits the preprocessing on all training rows and encodes only the first `rows` of them, for
 * "measure on my data". `split` may be shared between the models measured on the same data.
 */
export async function sampleSource(ref: ProjectDataRef, config: TrainingConfig, split: SplitPlan, rows: number, control: JobControl = {}): Promise<SourceSample> {
  const { plan, columns } = resolveInputs(ref, config);
  const fit = await fitSource(split, plan, columns, config, { control });
  const encoder = new RowEncoder(plan, fit.preprocessing);
  const n = Math.min(rows, fit.trainRows);
  const x = encoder.xType === 'int32' ? new Int32Array(n * encoder.width) : new Float32Array(n * encoder.width);
  const y = new Float32Array(n * encoder.yWidth);
  const classIndex = plan.regression ? null : new Int32Array(n);
  let taken = 0;
  // Stops reading once the sample is full (the scan ends at the next chunk).
  const enough = new AbortController();
  const signal = control.signal ? AbortSignal.any([control.signal, enough.signal]) : enough.signal;
  try {
    await encodeSource(split, plan, encoder, fit, columns, (side, row) => {
      if (side !== 'train' || taken >= n) return;
      encoder.encodeInto(row, x, taken * encoder.width);
      encoder.answerInto(row, taken, y, classIndex);
      if (++taken === n) enough.abort();
    }, { control: { ...control, signal } });
  } catch (error) {
    if (!enough.signal.aborted || control.signal?.aborted) throw error;
  }
  return { preprocessing: fit.preprocessing, plan, encoder, trainRows: fit.trainRows, validationRows: fit.validationRows, sample: new MemorySplit(n, x, encoder.width, y, encoder.yWidth, classIndex) };
}
