/**
 * Answers of a trained run for rows already cleaned by the run's recipe (the prepared test split),
 * paired with the true answers, for metrics. Prediction itself is the shared inference path
 * (core/inference), the same code the exported bundle runs, so the CLI's test metrics and the
 * bundle's predictions cannot drift apart. Runs tfjs in the calling thread (CLI, tests).
 */
import type { Row } from '../../contract/data';
import { LocalModels } from '../inference/local';
import { readPreprocessing } from '../training/run-setup';
import { answerOf, hasAnswer } from './labelled-rows';

export type RunPredictions =
  | { kind: 'classification'; labels: string[]; actual: string[]; predicted: string[] }
  | { kind: 'regression'; actual: number[]; predicted: number[] };

/** Predictions for the rows that have an answer (rows without one are skipped, as in training). */
export async function predictWithRun(runDir: string, rows: readonly Row[]): Promise<RunPredictions> {
  const { labelColumn: label, outputKind } = await readPreprocessing(runDir);
  const regression = outputKind === 'regression';
  const usable = rows.filter((r) => hasAnswer(r, label, regression));
  const models = new LocalModels();
  try {
    const response = usable.length
      ? await models.predict({ source: { kind: 'run', runDir }, rows: usable, cleaned: true })
      : { labels: [], predictions: [] };
    if (regression) {
      return { kind: 'regression', actual: usable.map((r) => answerOf(r, label, true) as number), predicted: response.predictions.map((p) => Number(p.prediction)) };
    }
    return {
      kind: 'classification',
      labels: response.labels,
      actual: usable.map((r) => answerOf(r, label, false) as string),
      predicted: response.predictions.map((p) => String(p.prediction)),
    };
  } finally {
    models.dispose();
  }
}
