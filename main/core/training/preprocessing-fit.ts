/**
 * The model's preprocessing learned one training row at a time, and rows encoded one at a time.
 * Both the in-memory preparation (prepare.ts) and the streaming one (source-fit.ts,
 * source-encode.ts) use these, so the two fit and encode a row the same way.
 */
import type { Row } from '../../contract/data';
import type { TrainingConfig } from '../../contract/training';
import { cellText, isMissing, toNumber } from '../data/cells';
import { CoreError } from '../errors';
import { getModel } from '../models/catalog';
import { resolveHyperparameters } from '../models/layers-util';
import type { ModelInputSpec, OutputKind } from '../models/types';
import { TokenEncoder, TokenizerFitter, type TokenizerOptions } from '../text/tokenizer';
import { PREPROCESSING_FORMAT_VERSION, type Preprocessing } from './preprocessing';
import { TabularEncoder, TabularFitter, type TabularColumn } from './tabular-features';
import type { TrainingInputColumn } from './training-data';

/** What the chosen model reads from a row and predicts. */
export interface InputPlan {
  label: string;
  regression: boolean;
  kind: 'text' | 'tabular';
  textColumns: string[];
  tabularColumns: TabularColumn[];
  tokenizer: TokenizerOptions;
}

/** Decides the inputs for `config`'s model; refuses inputs the model cannot read. */
export function planInputs(inputs: readonly TrainingInputColumn[], label: string, config: TrainingConfig): InputPlan {
  const definition = getModel(config.modelId);
  if (!inputs.length) throw invalid('no input columns', { reason: 'no_inputs' });
  const base = { label, regression: config.task === 'tabular-regression', textColumns: [], tabularColumns: [], tokenizer: {} };
  if (definition.input === 'sequence') {
    const textColumns = inputs.filter((c) => c.role === 'text').map((c) => c.name);
    if (!textColumns.length) throw new CoreError('model_task_mismatch', `${config.modelId} needs a text column`, { modelId: config.modelId });
    const hp = resolveHyperparameters(definition.entry.hyperparameters, config.hyperparameters);
    return { ...base, kind: 'text', textColumns, tokenizer: { maxVocabulary: hp.vocabularySize, sequenceLength: hp.sequenceLength || undefined } };
  }
  const tabularColumns = inputs.filter((c) => c.role !== 'text') as TabularColumn[];
  if (!tabularColumns.length) throw new CoreError('model_task_mismatch', `${config.modelId} needs numeric or categorical columns`, { modelId: config.modelId });
  return { ...base, kind: 'tabular', tabularColumns };
}

/** True when the row has an answer to learn from (a number for regression). */
export function hasLabel(plan: InputPlan, row: Row): boolean {
  return plan.regression ? Number.isFinite(toNumber(row[plan.label])) : !isMissing(row[plan.label]);
}

export function labelText(row: Row, label: string): string {
  return cellText(row[label]).trim();
}

/** The text a text model reads: the text columns joined by a newline. */
function textOf(plan: InputPlan, row: Row): string {
  return plan.textColumns.map((c) => (isMissing(row[c]) ? '' : cellText(row[c]))).join('\n');
}

/**
 * Learns the label map (or the target's scale) and the input preprocessing from training rows
 * that have a label. With `fitted` (a resumed run) it only counts: ids and scales stay those the
 * checkpoint learned with.
 */
export class PreprocessingFitter {
  rows = 0;
  private readonly classes = new Map<string, number>();
  private readonly target = { n: 0, mean: 0, m2: 0 };
  private readonly tokenizer: TokenizerFitter | null;
  private readonly tabular: TabularFitter | null;

  constructor(
    private readonly plan: InputPlan,
    private readonly fitted?: Preprocessing,
  ) {
    this.tokenizer = !fitted && plan.kind === 'text' ? new TokenizerFitter(plan.tokenizer.lowercase ?? true) : null;
    this.tabular = !fitted && plan.kind === 'tabular' ? new TabularFitter(plan.tabularColumns) : null;
  }

  add(row: Row): void {
    this.rows++;
    if (this.fitted) return;
    if (this.plan.regression) {
      // Welford, like the table features: one pass, stable for large targets.
      const v = toNumber(row[this.plan.label]);
      const t = this.target;
      t.n++;
      const d = v - t.mean;
      t.mean += d / t.n;
      t.m2 += d * (v - t.mean);
    } else {
      const key = labelText(row, this.plan.label);
      this.classes.set(key, (this.classes.get(key) ?? 0) + 1);
    }
    this.tokenizer?.add(textOf(this.plan, row));
    this.tabular?.add(row);
  }

  /** The fitted preprocessing; `training_data_invalid` when the rows cannot train a model. */
  finish(): Preprocessing {
    if (this.rows < 2) throw invalid(`only ${this.rows} training rows with a label`, { reason: 'too_few_rows', rows: this.rows });
    const { plan, fitted } = this;
    const labels = plan.regression ? [] : fitted ? fitted.labels : [...this.classes.keys()].sort();
    if (!plan.regression && labels.length < 2) throw invalid(`the training rows have ${labels.length} class`, { reason: 'one_class', classes: labels.length });
    if (fitted) return fitted;
    let target: { mean: number; std: number } | null = null;
    if (plan.regression) {
      const std = Math.sqrt(this.target.m2 / this.target.n);
      target = { mean: this.target.mean, std: std > 1e-12 ? std : 1 };
    }
    const outputKind: OutputKind = plan.regression ? 'regression' : labels.length === 2 ? 'binary' : 'multiclass';
    const common = { formatVersion: PREPROCESSING_FORMAT_VERSION, labelColumn: plan.label, outputKind, labels, target } as const;
    if (this.tokenizer) return { ...common, kind: 'text', textColumns: plan.textColumns, tokenizer: this.tokenizer.finish(plan.tokenizer) };
    return { ...common, kind: 'tabular', features: this.tabular!.finish() };
  }
}

/** Encodes rows with a fitted preprocessing: inputs into x, the answer into one number. */
export class RowEncoder {
  readonly input: ModelInputSpec;
  readonly outputKind: OutputKind;
  readonly classes: number;
  readonly width: number;
  /** Values of y per row in a batch: one per class for many classes, else one. */
  readonly yWidth: number;
  readonly xType: 'int32' | 'float32';
  private readonly tokens: TokenEncoder | null = null;
  private readonly table: TabularEncoder | null = null;
  private readonly classIndex: Map<string, number>;

  constructor(
    private readonly plan: InputPlan,
    readonly preprocessing: Preprocessing,
  ) {
    this.outputKind = preprocessing.outputKind;
    this.classes = plan.regression ? 1 : preprocessing.labels.length;
    this.yWidth = this.outputKind === 'multiclass' ? this.classes : 1;
    this.classIndex = new Map(preprocessing.labels.map((l, i) => [l, i]));
    if (preprocessing.kind === 'text') {
      this.tokens = new TokenEncoder(preprocessing.tokenizer);
      this.input = { kind: 'sequence', vocabularySize: this.tokens.vocabularySize, sequenceLength: this.tokens.sequenceLength };
      this.width = this.tokens.sequenceLength;
      this.xType = 'int32';
    } else {
      this.table = new TabularEncoder(preprocessing.features);
      this.input = { kind: 'features', width: preprocessing.features.width };
      this.width = preprocessing.features.width;
      this.xType = 'float32';
    }
  }

  /** The row's class index (-1 for a class training never saw), or its standardized target. */
  answer(row: Row): number {
    const target = this.preprocessing.target;
    if (this.plan.regression) return (toNumber(row[this.plan.label]) - target!.mean) / target!.std;
    return this.classIndex.get(labelText(row, this.plan.label)) ?? -1;
  }

  /**
   * Writes the row's answer as row `i` of a batch-shaped y [rows × yWidth] (zeroed), and its class
   * into `classIndex`. A class the saved label map lacks (a resumed run's training row) reads as 0.
   */
  answerInto(row: Row, i: number, y: Float32Array, classIndex: Int32Array | null): void {
    const answer = this.answer(row);
    if (!classIndex) {
      y[i] = answer;
      return;
    }
    const c = Math.max(0, answer);
    classIndex[i] = c;
    if (this.yWidth > 1) y[i * this.yWidth + c] = 1;
    else y[i] = c;
  }

  /** Writes the row's `width` inputs at `offset` (zeroed slots: a fresh or cleared array). */
  encodeInto(row: Row, x: Int32Array | Float32Array, offset: number): void {
    if (this.tokens) this.tokens.encodeInto(textOf(this.plan, row), x as Int32Array, offset);
    else this.table!.encodeInto(row, x as Float32Array, offset);
  }

  /** The columns a row must carry to be encoded and answered. */
  get columns(): string[] {
    return [...(this.plan.kind === 'text' ? this.plan.textColumns : this.plan.tabularColumns.map((c) => c.name)), this.plan.label];
  }
}

export function invalid(message: string, params: Record<string, string | number>): CoreError {
  return new CoreError('training_data_invalid', message, params);
}
