/**
 * Evaluates a trained run on its test split: every test row goes through the run's model by the
 * shared inference path (in the app: the compute worker, in chunks, with progress), and the
 * answers become the classification or regression report. The report, each row's answer and
 * probabilities (so the threshold can move without predicting again) and what was measured on
 * this machine are saved as runs/<id>/evaluation.json, atomically.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Row } from '../../contract/data';
import { evaluationReportSchema, type ClassificationReport, type EvaluationReport, type ExampleRow } from '../../contract/evaluation';
import { inputSchemaSchema, outputKindSchema, type Prediction } from '../../contract/export';
import { cellText, isMissing } from '../data/cells';
import { CoreError } from '../errors';
import type { PredictFn } from '../export/parity';
import { writeJsonAtomic } from '../fs/atomic-write';
import { runModelKey } from '../inference/model-cache';
import { readRunModelRecipe } from '../inference/model-recipe';
import { DEFAULT_DECISION_THRESHOLD, inputSchemaOf, textOfRow } from '../inference/preprocess';
import type { Preprocessing } from '../training/prepare';
import { MODEL_DIR, readRun } from '../training/run-store';
import { reportLabels, scoreAnswers } from './classification-report';
import { curvesFor } from './curves';
import { answerOf, hasAnswer } from './labelled-rows';
import { buildRegressionReport } from './regression-report';
import { answersAt, scoresAtThreshold, thresholdSweep } from './threshold';

export const EVALUATION_FILE = 'evaluation.json';
export const EVALUATION_FORMAT_VERSION = 1;
/** Rows per prediction call: small enough for steady progress, large enough to be quick. */
export const EVALUATION_CHUNK_ROWS = 256;
/** Characters of a row's input kept to show it as an example. */
const PREVIEW_CHARS = 300;

const storedPredictionSchema = z.object({
  actual: z.union([z.string(), z.number()]),
  predicted: z.union([z.string(), z.number()]),
  confidence: z.number().nullable(),
  probabilities: z.array(z.number()).nullable(),
  text: z.string(),
});
export type StoredPrediction = z.infer<typeof storedPredictionSchema>;

/** runs/<id>/evaluation.json. */
export const evaluationFileSchema = z.object({
  formatVersion: z.literal(EVALUATION_FORMAT_VERSION),
  runId: z.string(),
  evaluatedAt: z.string(),
  /** The model files it scored (see runModelKey): a resumed run's new model makes it stale. */
  modelKey: z.string(),
  labelColumn: z.string(),
  outputKind: outputKindSchema,
  labels: z.array(z.string()),
  input: inputSchemaSchema,
  threshold: z.number().nullable(),
  latencyMs: z.number().nullable(),
  modelBytes: z.number().int(),
  report: evaluationReportSchema,
  predictions: z.array(storedPredictionSchema),
});
export type EvaluationFile = z.infer<typeof evaluationFileSchema>;

export interface EvaluateRunRequest {
  runDir: string;
  /** The test split, already cleaned by the run's recipe (the Data step's prepared rows). */
  rows: readonly Row[];
  /** Scores rows with a model: the compute worker's `predict` in the app. */
  predict: PredictFn;
  onProgress?: (done: number, total: number) => void;
  chunkRows?: number;
  now?: Date;
}

/** A row's input as one line of text, for the examples list. */
export function previewOf(row: Row, pre: Preprocessing): string {
  const text =
    pre.kind === 'text'
      ? textOfRow(row, pre.textColumns)
      : pre.features.columns.map((c) => `${c.name}: ${isMissing(row[c.name]) ? '–' : cellText(row[c.name])}`).join(', ');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

/** Size of a run's kept model on disk. */
async function modelBytes(runDir: string): Promise<number> {
  const dir = join(runDir, MODEL_DIR);
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) total += (await stat(join(dir, name)).catch(() => null))?.size ?? 0;
  return total;
}

/** One row's time through `predict`: the median of three calls after the test rows warmed the model up. */
async function measureLatency(predict: PredictFn, runDir: string, row: Row): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await predict({ source: { kind: 'run', runDir }, rows: [row], cleaned: true });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[1];
}

/**
 * The report of a set of answers. Binary answers are re-made from the probabilities at
 * `threshold` (the same decision rule inference uses), so every number matches the threshold.
 */
export function buildReport(outputKind: EvaluationFile['outputKind'], labels: readonly string[], actual: readonly (string | number)[], predictions: readonly Prediction[], threshold: number | null): EvaluationReport {
  if (outputKind === 'regression') {
    return buildRegressionReport(
      actual as number[],
      predictions.map((p) => Number(p.prediction)),
    );
  }
  const truth = actual as string[];
  const probabilities = predictions.map((p) => p.probabilities ?? []);
  const listed = reportLabels(labels, truth);
  const binary = outputKind === 'binary';
  const positive = probabilities.map((p) => p[1]);
  const scores = binary
    ? scoresAtThreshold(truth, positive, labels, listed, threshold ?? DEFAULT_DECISION_THRESHOLD)
    : scoreAnswers(
        truth,
        predictions.map((p) => String(p.prediction)),
        listed,
        null,
      );
  const known = new Set(labels);
  return {
    kind: 'classification',
    outputKind,
    labels: [...labels],
    rows: truth.length,
    unknownLabels: truth.filter((a) => !known.has(a)).length,
    scores,
    curves: curvesFor(labels, truth, probabilities),
    sweep: binary ? thresholdSweep(truth, positive, labels, listed) : [],
  };
}

/**
 * Evaluates a run (see the module note) and saves evaluation.json. `run_has_no_model` when the
 * run kept no model; `evaluation_no_test_rows` when no test row has an answer.
 */
export async function evaluateRun(request: EvaluateRunRequest): Promise<EvaluationFile> {
  const { runDir, predict } = request;
  const run = await readRun(runDir);
  if (!run.hasModel) throw new CoreError('run_has_no_model', `run ${run.runId} has no saved model`, { runId: run.runId });
  const { recipe } = await readRunModelRecipe(runDir);
  const pre = recipe.preprocessing;
  const label = pre.labelColumn;
  const regression = pre.outputKind === 'regression';
  // The rows training would have scored: an answer present (and a number, for regression).
  const usable = request.rows.filter((r) => hasAnswer(r, label, regression));
  if (usable.length === 0) throw new CoreError('evaluation_no_test_rows', `no test row of run ${run.runId} has an answer in "${label}"`, { runId: run.runId, column: label });

  const chunk = request.chunkRows ?? EVALUATION_CHUNK_ROWS;
  const predictions: Prediction[] = [];
  request.onProgress?.(0, usable.length);
  for (let start = 0; start < usable.length; start += chunk) {
    const response = await predict({ source: { kind: 'run', runDir }, rows: usable.slice(start, start + chunk), cleaned: true });
    predictions.push(...response.predictions);
    request.onProgress?.(predictions.length, usable.length);
  }
  const actual = usable.map((r) => answerOf(r, label, regression));
  const threshold = pre.outputKind === 'binary' ? (recipe.decisionThreshold ?? DEFAULT_DECISION_THRESHOLD) : null;
  const file: EvaluationFile = {
    formatVersion: EVALUATION_FORMAT_VERSION,
    runId: run.runId,
    evaluatedAt: (request.now ?? new Date()).toISOString(),
    modelKey: await runModelKey(runDir),
    labelColumn: label,
    outputKind: pre.outputKind,
    labels: pre.labels,
    input: inputSchemaOf(pre),
    threshold,
    latencyMs: await measureLatency(predict, runDir, usable[0]),
    modelBytes: await modelBytes(runDir),
    report: buildReport(pre.outputKind, pre.labels, actual, predictions, threshold),
    predictions: predictions.map((p, i) => ({ actual: actual[i], predicted: p.prediction, confidence: p.confidence, probabilities: p.probabilities, text: previewOf(usable[i], pre) })),
  };
  await writeEvaluation(runDir, file);
  return file;
}

export function writeEvaluation(runDir: string, file: EvaluationFile): Promise<void> {
  return writeJsonAtomic(join(runDir, EVALUATION_FILE), file);
}

/**
 * The saved evaluation of a run, or null when there is none, it is damaged (it is only a cache
 * of what evaluateRun computes) or it scored a model the run has since replaced.
 */
export async function readEvaluation(runDir: string): Promise<EvaluationFile | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(runDir, EVALUATION_FILE), 'utf8'));
  } catch {
    return null;
  }
  const parsed = evaluationFileSchema.safeParse(raw);
  if (!parsed.success) return null;
  return parsed.data.modelKey === (await runModelKey(runDir)) ? parsed.data : null;
}

/** A binary evaluation at another threshold: answers and scores re-made from the saved probabilities. */
export function withThreshold(file: EvaluationFile, threshold: number): EvaluationFile {
  if (file.outputKind !== 'binary' || file.report.kind !== 'classification') throw new CoreError('invalid_payload', 'only a model with two classes has a decision threshold', { field: 'threshold' });
  const positive = file.predictions.map((p) => p.probabilities?.[1] ?? 0);
  const answers = answersAt(positive, file.labels, threshold);
  const report: ClassificationReport = {
    ...file.report,
    scores: scoresAtThreshold(
      file.predictions.map((p) => String(p.actual)),
      positive,
      file.labels,
      file.report.scores.confusion.labels,
      threshold,
    ),
  };
  return {
    ...file,
    threshold,
    report,
    predictions: file.predictions.map((p, i) => {
      const k = answers[i] === file.labels[1] ? 1 : 0;
      return { ...p, predicted: answers[i], confidence: p.probabilities ? p.probabilities[k] : p.confidence };
    }),
  };
}

/** Which test rows to list: those of a confusion-matrix cell, or the largest misses of a number model. */
export type ExampleFilter = { kind: 'cell'; actual: string; predicted: string } | { kind: 'misses' };

/**
 * The test rows behind a filter, with the model's confidence. Mistakes come most confident
 * first (the ones to worry about), right answers least confident first (the near misses),
 * number predictions by the size of the miss.
 */
export function examplesOf(file: EvaluationFile, filter: ExampleFilter, limit: number): { total: number; rows: ExampleRow[] } {
  const rows: ExampleRow[] = file.predictions.map((p, row) => ({ row, text: p.text, actual: p.actual, predicted: p.predicted, confidence: p.confidence }));
  let picked: ExampleRow[];
  if (filter.kind === 'misses') {
    picked = rows.filter((r) => typeof r.actual === 'number').sort((a, b) => Math.abs(Number(b.predicted) - Number(b.actual)) - Math.abs(Number(a.predicted) - Number(a.actual)));
  } else {
    const right = filter.actual === filter.predicted;
    picked = rows
      .filter((r) => String(r.actual) === filter.actual && String(r.predicted) === filter.predicted)
      .sort((a, b) => (right ? (a.confidence ?? 0) - (b.confidence ?? 0) : (b.confidence ?? 0) - (a.confidence ?? 0)));
  }
  return { total: picked.length, rows: picked.slice(0, limit) };
}
