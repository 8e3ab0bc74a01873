/**
 * What the training bench trains: catalog models with the catalog's own defaults (hyperparameters,
 * learning rate, optimizer), at fixed data shapes so figures compare across commits and with the
 * PyTorch peer: texts of `tokens` words over a 10,000-word vocabulary (2 classes), or a table of
 * 20 numeric columns (3 classes). The same Architecture feeds the tfjs config here and
 * peer/torch_peer.py, so both sides build the model from one reading of the catalog.
 */
import type { Row } from '../../main/contract/data';
import type { ModelId, TrainingConfigInput } from '../../main/contract/training';
import type { OptimizerId } from '../../main/contract/training-settings';
import { createRng } from '../../main/core/data/prng';
import { getModel } from '../../main/core/models/catalog';
import type { TrainingData } from '../../main/core/training/training-data';

export const VOCABULARY = 10_000;
export const DEFAULT_TOKENS = 200;
export const TABLE_COLUMNS = 20;
export const TABLE_CLASSES = 3;
const TEXT_ROWS = 2000;
const TABLE_ROWS = 20_000;

/** The model as both sides build it (the fields torch_peer.py reads). */
export interface Architecture {
  model: ModelId;
  input: { kind: 'sequence'; vocabularySize: number; sequenceLength: number } | { kind: 'features'; width: number };
  /** Two text labels give a sigmoid output; three table classes a softmax one. */
  output: { kind: 'binary' | 'multiclass'; classes: number };
  /** The catalog's defaults, with vocabulary and sequence length set to the bench's shape. */
  hyperparameters: Record<string, number>;
  learningRate: number;
  optimizer: OptimizerId;
  batchSize: number;
}

export interface BenchCase {
  model: ModelId;
  batchSize: number;
  /** Words per text; null for a table. */
  tokens: number | null;
  architecture: Architecture;
  config: TrainingConfigInput;
  data: () => TrainingData;
}

/** The bench's fixed points: every catalog model at batch 32, and the table models at 256 too. */
export function standardCases(): BenchCase[] {
  return [
    catalogCase('text-lstm', { batchSize: 32, tokens: DEFAULT_TOKENS }),
    catalogCase('text-bow', { batchSize: 32, tokens: DEFAULT_TOKENS }),
    catalogCase('text-cnn', { batchSize: 32, tokens: DEFAULT_TOKENS }),
    catalogCase('text-bigru', { batchSize: 32, tokens: DEFAULT_TOKENS }),
    catalogCase('tabular-mlp', { batchSize: 32 }),
    catalogCase('tabular-mlp', { batchSize: 256 }),
    catalogCase('tabular-linear', { batchSize: 32 }),
    catalogCase('tabular-linear', { batchSize: 256 }),
  ];
}

/** One catalog model at the given batch size (and text length), everything else its defaults. */
export function catalogCase(model: ModelId, shape: { batchSize: number; tokens?: number }): BenchCase {
  const { entry } = getModel(model);
  const defaults = Object.fromEntries(entry.hyperparameters.map((h) => [h.key, h.default]));
  const isText = entry.family === 'text';
  const tokens = isText ? (shape.tokens ?? DEFAULT_TOKENS) : null;
  const hyperparameters = tokens === null ? defaults : { ...defaults, vocabularySize: VOCABULARY, sequenceLength: tokens };
  const architecture: Architecture = {
    model,
    input: tokens === null ? { kind: 'features', width: TABLE_COLUMNS } : { kind: 'sequence', vocabularySize: VOCABULARY, sequenceLength: tokens },
    output: tokens === null ? { kind: 'multiclass', classes: TABLE_CLASSES } : { kind: 'binary', classes: 2 },
    hyperparameters,
    learningRate: entry.defaults.learningRate,
    optimizer: entry.defaults.optimizer,
    batchSize: shape.batchSize,
  };
  const config: TrainingConfigInput = {
    modelId: model,
    task: isText ? 'text-classification' : 'tabular-classification',
    // The bench stops the run after its time; epochs only need to outlast it, and early
    // stopping on random labels would end it first.
    epochs: 1000,
    earlyStopping: { enabled: false },
    batchSize: shape.batchSize,
    learningRate: architecture.learningRate,
    optimizer: architecture.optimizer,
    hyperparameters,
  };
  return { model, batchSize: shape.batchSize, tokens, architecture, config, data: tokens === null ? tableData : () => textData(tokens) };
}

const textCache = new Map<number, TrainingData>();

/**
 * 2,000 texts of at least `tokens` (and at least 200) words drawn from 12,000 distinct words, so
 * the vocabulary fills to 10,000 and no sequence is padded.
 */
function textData(tokens: number): TrainingData {
  const minWords = Math.max(DEFAULT_TOKENS, tokens);
  const cached = textCache.get(minWords);
  if (cached) return cached;
  const rng = createRng(7);
  const train: Row[] = Array.from({ length: TEXT_ROWS }, (_, i) => ({
    text: Array.from({ length: minWords + Math.floor(rng() * 40) }, () => `w${Math.floor(rng() * 12_000)}`).join(' ') + (i % 2 ? ' good' : ' bad'),
    label: i % 2 ? 'pos' : 'neg',
  }));
  const data: TrainingData = { inputs: [{ name: 'text', role: 'text' }], label: 'label', train, validation: train.slice(0, 64) };
  textCache.set(minWords, data);
  return data;
}

let tableCache: TrainingData | null = null;

/** 20,000 rows of 20 numeric columns, 3 classes. */
function tableData(): TrainingData {
  if (tableCache) return tableCache;
  const rng = createRng(8);
  const names = Array.from({ length: TABLE_COLUMNS }, (_, i) => `x${i}`);
  const train: Row[] = Array.from({ length: TABLE_ROWS }, () => {
    const row: Row = {};
    let s = 0;
    for (const n of names) s += (row[n] = rng() * 2 - 1);
    row.label = s > 1 ? 'a' : s < -1 ? 'b' : 'c';
    return row;
  });
  tableCache = { inputs: names.map((name) => ({ name, role: 'numeric' as const })), label: 'label', train, validation: train.slice(0, 256) };
  return tableCache;
}
