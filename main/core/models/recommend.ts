/**
 * The model ModelPilot suggests before the user has an opinion: by task, by what the inputs are
 * (texts or a table) and by how many training rows there are. Pure, so the Model step, the
 * Training step and `modelpilot train` without --model all agree.
 */
import type { Recommendation } from '../../contract/training-channels';
import type { TaskId } from '../../contract/training';

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
