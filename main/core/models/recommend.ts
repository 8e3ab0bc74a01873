/**
 * The model ModelPilot suggests before the user has an opinion: by task, by what the inputs are
 * (texts or a table) and by how many training rows there are. Pure, so the Model step, the
 * Training step and `modelpilot train` without --model all agree.
 */
import type { AdviceReason, RankedModel } from '../../contract/needs-channels';
import type { Target } from '../../contract/needs';
import type { Recommendation } from '../../contract/training-channels';
import type { ModelCatalogEntry, ModelEstimate, ModelId, TaskId } from '../../contract/training';

/**
 * From this many training texts a phrase reader (text-cnn) beats the word mix: below it, the word
 * mix trains in seconds and overfits least. The sequence readers (LSTM, GRU) stay a manual choice:
 * on the WebAssembly rung they train 10-40x slower for a few points at best.
 */
export const TEXT_ROWS_FOR_CNN = 3000;
/** From this many rows a small neural network usually beats the linear baseline on a table. */
export const TABLE_ROWS_FOR_MLP = 1000;

export interface RecommendInput {
  task: TaskId;
  /** Rows in the training split. */
  trainRows: number;
}

/** The recommended model and the reason code the UI words ("few texts: the fast word mix"). */
export function recommendModel({ task, trainRows }: RecommendInput): Recommendation {
  const rows = Math.max(0, Math.floor(trainRows));
  if (task === 'text-classification') {
    return rows < TEXT_ROWS_FOR_CNN
      ? { modelId: 'text-bow', reason: 'text_few_rows', rows, threshold: TEXT_ROWS_FOR_CNN }
      : { modelId: 'text-cnn', reason: 'text_many_rows', rows, threshold: TEXT_ROWS_FOR_CNN };
  }
  return rows < TABLE_ROWS_FOR_MLP
    ? { modelId: 'tabular-linear', reason: 'table_few_rows', rows, threshold: TABLE_ROWS_FOR_MLP }
    : { modelId: 'tabular-mlp', reason: 'table_many_rows', rows, threshold: TABLE_ROWS_FOR_MLP };
}

/** The reason in English, for the command line and logs (the UI words the code itself). */
export function describeRecommendation(r: Recommendation): string {
  switch (r.reason) {
    case 'text_few_rows':
      return `${r.rows} training texts (under ${r.threshold}): the fast word-mix model learns most from few examples and overfits least`;
    case 'text_many_rows':
      return `${r.rows} training texts (${r.threshold} or more): the phrase reader catches short phrases such as "not good"`;
    case 'table_few_rows':
      return `${r.rows} training rows (under ${r.threshold}): the linear baseline is hard to overfit and easy to explain`;
    case 'table_many_rows':
      return `${r.rows} training rows (${r.threshold} or more): a small neural network can learn how columns interact`;
  }
}

// ---------------------------------------------------------------------------------------------
// The model advisor: every catalog model of the task ranked for this need and this data.

/** Training examples per class a model of each capacity (1-5) wants: 150 · 2^(capacity − 1). */
export function rowsPerClassFor(capacity: number): number {
  return 150 * 2 ** (capacity - 1);
}
/** Mean text length (characters) from which the sequence readers get slow to train and to answer. */
export const LONG_TEXT_CHARS = 300;
/** A target this high asks for a model with room to learn, if the data can feed it. */
export const HIGH_TARGET = 0.9;
/** A table this wide has column interactions a linear model cannot see. */
export const MANY_COLUMNS = 12;
const SEQUENCE_MODELS = new Set<ModelId>(['text-lstm', 'text-bigru']);

export interface AdvisorInput extends RecommendInput {
  /** Classes of the label (classification); 0 or absent for regression. */
  classes?: number;
  /** Mean characters per text (text tasks), when the Data step measured it. */
  meanTextLength?: number | null;
  /** Input columns the model reads. */
  inputColumns?: number;
  targets?: readonly Target[];
  maxLatencyMs?: number;
  maxModelSizeMB?: number;
  /** Figures measured on this machine ("Measure on my data"), by model. */
  estimates?: Partial<Record<ModelId, ModelEstimate>>;
}

/** Size of the exported weights: float32 parameters (the vocabulary and recipe add little). */
export function modelSizeMB(paramCount: number): number {
  return (paramCount * 4) / 1e6;
}

/**
 * One prediction's time, from the measured training speed: a forward pass is about a third of a
 * training step (forward + backward + update), plus ~1 ms of fixed cost per call. A rough guide.
 */
export function predictionLatencyMs(samplesPerSecond: number): number {
  return 1000 / (samplesPerSecond * 3) + 1;
}

/**
 * Ranks every catalog model of the task, best first, with reasons as codes + params the UI words.
 * The plain rule of `recommendModel` weighs most, so without limits the first model is the
 * recommended one; the data (rows per class, text length, columns), the targets and the limits
 * move models up or down, and a model measured beyond a size or latency limit is ruled out.
 */
export function rankModels(entries: readonly ModelCatalogEntry[], input: AdvisorInput): RankedModel[] {
  const base = recommendModel(input);
  const classes = input.task === 'tabular-regression' ? 1 : Math.max(2, input.classes ?? 2);
  const perClass = Math.floor(Math.max(0, input.trainRows) / classes);
  const highTarget = (input.targets ?? []).some((t) => t.direction === 'at_least' && t.metric !== 'r2' && t.threshold >= HIGH_TARGET);
  const scored = entries
    .filter((e) => e.tasks.includes(input.task))
    .map((entry, order) => {
      const reasons: AdviceReason[] = [];
      let score = (entry.speed - 3) * 0.5;
      if (entry.id === base.modelId) {
        score += 3;
        reasons.push({ code: 'rule', params: { reason: base.reason, rows: base.rows, threshold: base.threshold } });
      }
      const wanted = rowsPerClassFor(entry.capacity);
      if (perClass < wanted / 2) {
        score -= 2;
        reasons.push({ code: 'few_rows', params: { perClass, wanted } });
      } else if (perClass >= wanted && entry.capacity >= 3) {
        score += 1;
        reasons.push({ code: 'enough_rows', params: { perClass, wanted } });
      } else if (perClass < wanted) {
        reasons.push({ code: 'rows_ok', params: { perClass, wanted } });
      }
      if (entry.speed >= 4) reasons.push({ code: 'fast', params: {} });
      if (entry.speed <= 2) reasons.push({ code: 'slow', params: {} });
      if (SEQUENCE_MODELS.has(entry.id) && (input.meanTextLength ?? 0) > LONG_TEXT_CHARS) {
        score -= 1;
        reasons.push({ code: 'long_texts', params: { chars: Math.round(input.meanTextLength!) } });
      }
      if (highTarget && entry.capacity >= 3 && perClass >= wanted) {
        score += 1;
        reasons.push({ code: 'high_target', params: { threshold: HIGH_TARGET } });
      }
      if (input.task !== 'text-classification' && (input.inputColumns ?? 0) >= MANY_COLUMNS && entry.capacity >= 3) {
        score += 1;
        reasons.push({ code: 'many_columns', params: { columns: input.inputColumns! } });
      }
      const estimate = input.estimates?.[entry.id];
      const sizeMB = estimate ? modelSizeMB(estimate.paramCount) : null;
      const latencyMs = estimate?.samplesPerSecond ? predictionLatencyMs(estimate.samplesPerSecond) : null;
      let ruledOut = false;
      if (input.maxModelSizeMB !== undefined && sizeMB !== null && sizeMB > input.maxModelSizeMB) {
        ruledOut = true;
        reasons.push({ code: 'too_big', params: { sizeMB: round2(sizeMB), limitMB: input.maxModelSizeMB } });
      }
      if (input.maxLatencyMs !== undefined && latencyMs !== null && latencyMs > input.maxLatencyMs) {
        ruledOut = true;
        reasons.push({ code: 'too_slow', params: { latencyMs: round2(latencyMs), limitMs: input.maxLatencyMs } });
      }
      if ((input.maxModelSizeMB !== undefined || input.maxLatencyMs !== undefined) && !estimate) reasons.push({ code: 'measure_for_limits', params: {} });
      return {
        modelId: entry.id,
        score: Math.round(score * 100) / 100,
        ruledOut,
        reasons,
        sizeMB: sizeMB === null ? null : round2(sizeMB),
        latencyMs: latencyMs === null ? null : round2(latencyMs),
        paramCount: estimate?.paramCount ?? null,
        memoryBytes: estimate?.memoryBytes ?? null,
        totalSeconds: estimate?.totalSeconds ?? null,
        order,
      };
    });
  scored.sort((a, b) => Number(a.ruledOut) - Number(b.ruledOut) || b.score - a.score || a.order - b.order);
  const top = scored.find((s) => !s.ruledOut)?.score ?? 0;
  return scored.map(({ order: _order, ...s }, i) => ({
    ...s,
    rank: i + 1,
    fit: s.ruledOut ? 'ruled_out' : i === 0 ? 'best' : s.score >= top - 1.5 ? 'good' : 'weak',
  }));
}

const round2 = (n: number) => Math.round(n * 100) / 100;
