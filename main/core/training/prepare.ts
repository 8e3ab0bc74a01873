/**
 * Turns cleaned rows held in memory into what a model trains on: label map, held-out validation
 * rows, the fitted preprocessing (tokenizer or table features, fitted on training rows only) and
 * the encoded arrays. Small data, tests and scripts come this way; a project's data streams from
 * its files instead (prepare-source.ts) with the same fitting and encoding (preprocessing-fit.ts).
 */
import type { Row } from '../../contract/data';
import type { TrainingConfig } from '../../contract/training';
import { createRng, shuffleInPlace } from '../data/prng';
import type { ModelInputSpec, OutputKind } from '../models/types';
import { MemorySplit, type BatchSource } from './batch-source';
import { PreprocessingFitter, RowEncoder, hasLabel, planInputs, type InputPlan } from './preprocessing-fit';
import type { Preprocessing } from './preprocessing';
import { fingerprintData, type TrainingData } from './training-data';

export { PREPROCESSING_FORMAT_VERSION, preprocessingSchema, type Preprocessing } from './preprocessing';

/** One split encoded in memory. */
export type EncodedSplit = MemorySplit;

export interface PreparedData<S extends BatchSource = BatchSource> {
  preprocessing: Preprocessing;
  input: ModelInputSpec;
  outputKind: OutputKind;
  classes: number;
  train: S;
  validation: S;
  /** Training rows per class (classification), for balanced class weights; null for regression. */
  classCounts: number[] | null;
  fingerprint: string;
}

/** Rows below which no validation rows are held out: early stopping then watches training loss. */
export const MIN_ROWS_FOR_HOLDOUT = 10;

/** The seed of the hold-out shuffle (a resumed run, same seed and data, holds out the same rows). */
export const holdOutSeed = (seed: number) => (seed ^ 0x5bd1e995) >>> 0;

/**
 * Which of `rows` labelled training rows are held out for validation when the split has none:
 * a seeded shuffle, the first `validationFraction` of it. One byte a row.
 */
export function holdOut(rows: number, config: Pick<TrainingConfig, 'seed' | 'validationFraction'>): Uint8Array {
  const held = new Uint8Array(rows);
  if (rows < MIN_ROWS_FOR_HOLDOUT) return held;
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  shuffleInPlace(order, createRng(holdOutSeed(config.seed)));
  const count = Math.max(1, Math.round(rows * config.validationFraction));
  for (let k = 0; k < count; k++) held[order[k]] = 1;
  return held;
}

/**
 * Prepares data for `config`'s model. With `fitted` (a resumed run) the saved preprocessing is
 * reused instead of fitted again, so ids and scales stay those the checkpoint learned with.
 */
export function prepareData(data: TrainingData, config: TrainingConfig, fitted?: Preprocessing): PreparedData<MemorySplit> {
  const plan = planInputs(data.inputs, data.label, config);
  let train = data.train.filter((r) => hasLabel(plan, r));
  let validation = data.validation ? data.validation.filter((r) => hasLabel(plan, r)) : null;
  if (!validation) {
    const held = holdOut(train.length, config);
    validation = train.filter((_, i) => held[i]);
    train = train.filter((_, i) => !held[i]);
  }
  const fitter = new PreprocessingFitter(plan, fitted);
  for (const row of train) fitter.add(row);
  const encoder = new RowEncoder(plan, fitter.finish());
  // A validation class never seen in training cannot be predicted; it is left out of the score.
  if (!plan.regression) validation = validation.filter((r) => encoder.answer(r) >= 0);
  const encodedTrain = encodeRows(plan, encoder, train);
  return {
    preprocessing: encoder.preprocessing,
    input: encoder.input,
    outputKind: encoder.outputKind,
    classes: encoder.classes,
    train: encodedTrain,
    validation: encodeRows(plan, encoder, validation),
    classCounts: countClasses(encodedTrain.classIndex, encoder.classes),
    fingerprint: fingerprintData(data),
  };
}

function encodeRows(plan: InputPlan, encoder: RowEncoder, rows: readonly Row[]): MemorySplit {
  const { width, yWidth } = encoder;
  const x = encoder.xType === 'int32' ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
  const y = new Float32Array(rows.length * yWidth);
  const classIndex = plan.regression ? null : new Int32Array(rows.length);
  rows.forEach((row, i) => {
    encoder.encodeInto(row, x, i * width);
    encoder.answerInto(row, i, y, classIndex);
  });
  return new MemorySplit(rows.length, x, width, y, yWidth, classIndex);
}

function countClasses(classIndex: Int32Array | null, classes: number): number[] | null {
  if (!classIndex) return null;
  const counts = new Array<number>(classes).fill(0);
  for (const c of classIndex) counts[c]++;
  return counts;
}

/**
 * tfjs class weights (by class index) from the config: 'balanced' gives each class
 * rows / (classes × its rows), so rare classes count as much as common ones overall.
 */
export function classWeightsFor(config: TrainingConfig, prepared: PreparedData): Record<number, number> | undefined {
  const setting = config.classWeights;
  if (setting === 'none' || prepared.outputKind === 'regression' || !prepared.classCounts) return undefined;
  const labels = prepared.preprocessing.labels;
  if (setting === 'balanced') {
    const counts = prepared.classCounts;
    return Object.fromEntries(counts.map((n, c) => [c, n ? prepared.train.rows / (labels.length * n) : 1]));
  }
  return Object.fromEntries(labels.map((label, c) => [c, setting[label] ?? 1]));
}
