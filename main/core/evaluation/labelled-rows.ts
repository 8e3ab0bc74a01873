/**
 * Rows with a right answer, scored by a model: which rows count (an answer present, and a number
 * for a number model, as in training), what the answer is, and the model's predictions for them.
 * The CLI's `evaluate`, the Evaluation step's test split and the Deployment step's labelled file
 * all score rows this way.
 */
import type { Row } from '../../contract/data';
import type { Prediction, PredictResponse } from '../../contract/export';
import { cellText, isMissing, toNumber } from '../data/cells';
import { CoreError } from '../errors';

/** True when `row` has an answer in `label` that the model can be scored against. */
export function hasAnswer(row: Row, label: string, regression: boolean): boolean {
  return regression ? Number.isFinite(toNumber(row[label])) : !isMissing(row[label]);
}

/** The answer of a row: a number, or the class label as training reads it (trimmed text). */
export function answerOf(row: Row, label: string, regression: boolean): string | number {
  return regression ? toNumber(row[label]) : cellText(row[label]).trim();
}

export interface ScoredRows {
  /** Rows scored, and rows skipped for having no answer. */
  rows: number;
  skipped: number;
  /** Answers of classes the model never learned (they can only be misses). */
  unknownLabels: number;
  actual: (string | number)[];
  predictions: Prediction[];
}

/**
 * Predicts the rows that have an answer, `chunkRows` at a time. `data_empty` when no row has one
 * (`file` names the table in the message).
 */
export async function scoreLabelledRows(options: {
  rows: readonly Row[];
  label: string;
  model: { outputKind: PredictResponse['outputKind']; labels: readonly string[] };
  predict: (rows: Row[]) => Promise<PredictResponse>;
  file: string;
  chunkRows?: number;
}): Promise<ScoredRows> {
  const { label, model } = options;
  const regression = model.outputKind === 'regression';
  const scored = options.rows.filter((r) => hasAnswer(r, label, regression));
  if (scored.length === 0) throw new CoreError('data_empty', `no row of ${options.file} has an answer in "${label}"`, { column: label, file: options.file });
  const chunk = options.chunkRows ?? scored.length;
  const predictions: Prediction[] = [];
  for (let start = 0; start < scored.length; start += chunk) predictions.push(...(await options.predict(scored.slice(start, start + chunk))).predictions);
  const actual = scored.map((r) => answerOf(r, label, regression));
  const known = new Set(model.labels);
  return {
    rows: scored.length,
    skipped: options.rows.length - scored.length,
    unknownLabels: regression ? 0 : actual.filter((a) => !known.has(a as string)).length,
    actual,
    predictions,
  };
}
