/**
 * Turns cleaned rows into what a model trains on: label map, held-out validation rows, the
 * fitted preprocessing (tokenizer or table features, fitted on training rows only) and the
 * encoded arrays. The preprocessing is JSON and saved with the run.
 */
import { z } from 'zod';
import type { Row } from '../../contract/data';
import type { TrainingConfig } from '../../contract/training';
import { cellText, isMissing, toNumber } from '../data/cells';
import { createRng, shuffleInPlace } from '../data/prng';
import { CoreError } from '../errors';
import { getModel } from '../models/catalog';
import { resolveHyperparameters } from '../models/layers-util';
import type { ModelInputSpec, OutputKind } from '../models/types';
import { fittedTokenizerSchema, fitTokenizer, TokenEncoder } from '../text/tokenizer';
import { encodeTabular, fittedTabularFeaturesSchema, fitTabularFeatures } from './tabular-features';
import { fingerprintData, type TrainingData } from './training-data';

export const PREPROCESSING_FORMAT_VERSION = 1;

const base = {
  formatVersion: z.literal(PREPROCESSING_FORMAT_VERSION),
  labelColumn: z.string(),
  outputKind: z.enum(['binary', 'multiclass', 'regression']),
  /** Class labels in output order (for binary, [negative, positive]); empty for regression. */
  labels: z.array(z.string()),
  /** Regression targets are trained standardized; predictions are mapped back with these. */
  target: z.object({ mean: z.number(), std: z.number() }).nullable(),
};

/** runs/<runId>/preprocessing.json: everything needed to turn a raw row into model input. */
export const preprocessingSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('text'), textColumns: z.array(z.string()).min(1), tokenizer: fittedTokenizerSchema }),
  z.object({ ...base, kind: z.literal('tabular'), features: fittedTabularFeaturesSchema }),
]);
export type Preprocessing = z.infer<typeof preprocessingSchema>;

/** One split, encoded. x is row-major [rows × width]; y is [rows × yWidth]. */
export interface EncodedSplit {
  rows: number;
  x: Int32Array | Float32Array;
  width: number;
  y: Float32Array;
  yWidth: number;
  /** Class index per row (classification), for class weights and the probe. */
  classIndex: Int32Array | null;
}

export interface PreparedData {
  preprocessing: Preprocessing;
  input: ModelInputSpec;
  outputKind: OutputKind;
  classes: number;
  train: EncodedSplit;
  validation: EncodedSplit;
  fingerprint: string;
}

/** Rows below which no validation rows are held out: early stopping then watches training loss. */
const MIN_ROWS_FOR_HOLDOUT = 10;

/**
 * Prepares data for `config`'s model. With `fitted` (a resumed run) the saved preprocessing is
 * reused instead of fitted again, so ids and scales stay those the checkpoint learned with.
 */
export function prepareData(data: TrainingData, config: TrainingConfig, fitted?: Preprocessing): PreparedData {
  const definition = getModel(config.modelId);
  const regression = config.task === 'tabular-regression';
  if (!data.inputs.length) throw invalid('no input columns', { reason: 'no_inputs' });

  let train = withLabel(data.train, data.label, regression);
  let validation = data.validation ? withLabel(data.validation, data.label, regression) : null;
  if (!validation) {
    // Seeded hold-out, so a resumed run (same seed, same data) holds out the same rows.
    const order = Array.from(train.keys());
    shuffleInPlace(order, createRng(config.seed ^ 0x5bd1e995));
    const held = train.length >= MIN_ROWS_FOR_HOLDOUT ? Math.max(1, Math.round(train.length * config.validationFraction)) : 0;
    const heldSet = new Set(order.slice(0, held));
    validation = train.filter((_, i) => heldSet.has(i));
    train = train.filter((_, i) => !heldSet.has(i));
  }
  if (train.length < 2) throw invalid(`only ${train.length} training rows with a label`, { reason: 'too_few_rows', rows: train.length });

  // Labels
  let labels: string[] = [];
  let target: { mean: number; std: number } | null = null;
  if (regression) {
    if (fitted) target = fitted.target;
    else {
      const ys = train.map((r) => toNumber(r[data.label]));
      const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
      const std = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length);
      target = { mean, std: std > 1e-12 ? std : 1 };
    }
  } else {
    labels = fitted ? fitted.labels : [...new Set(train.map((r) => labelText(r, data.label)))].sort();
    if (labels.length < 2) throw invalid(`the training rows have ${labels.length} class`, { reason: 'one_class', classes: labels.length });
    const known = new Set(labels);
    // A validation class never seen in training cannot be predicted; it is left out of the score.
    validation = validation.filter((r) => known.has(labelText(r, data.label)));
  }
  const outputKind: OutputKind = regression ? 'regression' : labels.length === 2 ? 'binary' : 'multiclass';
  const classes = regression ? 1 : labels.length;

  // Inputs
  let preprocessing: Preprocessing;
  let input: ModelInputSpec;
  let encode: (rows: Row[]) => { x: Int32Array | Float32Array; width: number };
  const common = { formatVersion: PREPROCESSING_FORMAT_VERSION, labelColumn: data.label, outputKind, labels, target } as const;
  if (definition.input === 'sequence') {
    const textColumns = data.inputs.filter((c) => c.role === 'text').map((c) => c.name);
    if (!textColumns.length) throw new CoreError('model_task_mismatch', `${config.modelId} needs a text column`, { modelId: config.modelId });
    const textOf = (row: Row) => textColumns.map((c) => (isMissing(row[c]) ? '' : cellText(row[c]))).join('\n');
    let tokenizer = fitted?.kind === 'text' ? fitted.tokenizer : undefined;
    if (!tokenizer) {
      const hp = resolveHyperparameters(definition.entry.hyperparameters, config.hyperparameters);
      tokenizer = fitTokenizer(train.map(textOf), { maxVocabulary: hp.vocabularySize, sequenceLength: hp.sequenceLength || undefined });
    }
    const encoder = new TokenEncoder(tokenizer);
    preprocessing = { ...common, kind: 'text', textColumns, tokenizer };
    input = { kind: 'sequence', vocabularySize: encoder.vocabularySize, sequenceLength: encoder.sequenceLength };
    encode = (rows) => ({ x: encoder.encodeAll(rows.map(textOf)), width: encoder.sequenceLength });
  } else {
    const columns = data.inputs.filter((c) => c.role !== 'text') as { name: string; role: 'numeric' | 'categorical' }[];
    if (!columns.length) throw new CoreError('model_task_mismatch', `${config.modelId} needs numeric or categorical columns`, { modelId: config.modelId });
    const features = fitted?.kind === 'tabular' ? fitted.features : fitTabularFeatures(train, columns);
    preprocessing = { ...common, kind: 'tabular', features };
    input = { kind: 'features', width: features.width };
    encode = (rows) => ({ x: encodeTabular(features, rows), width: features.width });
  }

  const encodeSplit = (rows: Row[]): EncodedSplit => {
    const { x, width } = encode(rows);
    const yWidth = outputKind === 'multiclass' ? classes : 1;
    const y = new Float32Array(rows.length * yWidth);
    let classIndex: Int32Array | null = null;
    if (regression) {
      rows.forEach((r, i) => (y[i] = (toNumber(r[data.label]) - target!.mean) / target!.std));
    } else {
      const index = new Map(labels.map((l, i) => [l, i]));
      classIndex = new Int32Array(rows.length);
      rows.forEach((r, i) => {
        const c = index.get(labelText(r, data.label)) ?? 0;
        classIndex![i] = c;
        if (outputKind === 'binary') y[i] = c;
        else y[i * yWidth + c] = 1;
      });
    }
    return { rows: rows.length, x, width, y, yWidth, classIndex };
  };

  return {
    preprocessing,
    input,
    outputKind,
    classes,
    train: encodeSplit(train),
    validation: encodeSplit(validation),
    fingerprint: fingerprintData(data),
  };
}

/**
 * tfjs class weights (by class index) from the config: 'balanced' gives each class
 * rows / (classes × its rows), so rare classes count as much as common ones overall.
 */
export function classWeightsFor(config: TrainingConfig, prepared: PreparedData): Record<number, number> | undefined {
  const setting = config.classWeights;
  if (setting === 'none' || prepared.outputKind === 'regression' || !prepared.train.classIndex) return undefined;
  const labels = prepared.preprocessing.labels;
  if (setting === 'balanced') {
    const counts = new Array<number>(labels.length).fill(0);
    for (const c of prepared.train.classIndex) counts[c]++;
    return Object.fromEntries(counts.map((n, c) => [c, n ? prepared.train.rows / (labels.length * n) : 1]));
  }
  return Object.fromEntries(labels.map((label, c) => [c, setting[label] ?? 1]));
}

function withLabel(rows: readonly Row[], label: string, regression: boolean): Row[] {
  return rows.filter((r) => (regression ? Number.isFinite(toNumber(r[label])) : !isMissing(r[label])));
}

function labelText(row: Row, label: string): string {
  return cellText(row[label]).trim();
}

function invalid(message: string, params: Record<string, string | number>): CoreError {
  return new CoreError('training_data_invalid', message, params);
}
