/**
 * What crosses the contract about evaluating a model: the classification report (per class,
 * averages, confusion matrix, ROC and precision-recall curves, the threshold sweep), the
 * regression report (errors and residuals), the diagnosis of the training curves, and the
 * runs compared side by side. One definition gives both the TypeScript type and the check.
 */
import { z } from 'zod';
import { inputSchemaSchema } from './export';
import { targetCheckSchema, targetSchema } from './needs';
import { backendIdSchema } from './schemas';
import { localizedTextSchema, modelIdSchema, runStatusSchema, taskSchema } from './training';

// ---------------------------------------------------------------------------------------------
// Classification

export const classScoresSchema = z.object({
  label: z.string(),
  /** Of the rows answered with this class, the share that really are. */
  precision: z.number(),
  /** Of the rows that really are this class, the share answered so. */
  recall: z.number(),
  f1: z.number(),
  /** Test rows whose true class is this one. */
  support: z.number().int(),
});
export type ClassScoresView = z.infer<typeof classScoresSchema>;

export const averagesSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });
export type Averages = z.infer<typeof averagesSchema>;

/** `matrix[actual][predicted]`: how often each true class got each answer, in `labels` order. */
export const confusionSchema = z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) });

/** Every score of a set of answers: at one decision threshold (binary), or the most probable class. */
export const classificationScoresSchema = z.object({
  /** The binary decision threshold these answers were made at; null for more than two classes. */
  threshold: z.number().nullable(),
  accuracy: z.number(),
  /** Every model class (support 0 included), then any class of the answers the model never learned. */
  perClass: z.array(classScoresSchema),
  /** Unweighted mean over the classes in the answers or the predictions: every class counts the same. */
  macro: averagesSchema,
  /** Mean weighted by support: common classes count more. */
  weighted: averagesSchema,
  confusion: confusionSchema,
});
export type ClassificationScores = z.infer<typeof classificationScoresSchema>;

/** A point of a curve: x and y (false positive rate and recall, or recall and precision) and the threshold there. */
export const curvePointSchema = z.object({ x: z.number(), y: z.number(), threshold: z.number() });
export type CurvePoint = z.infer<typeof curvePointSchema>;

/** ROC and precision-recall curves of one class against the rest (binary: the positive class). */
export const classCurvesSchema = z.object({
  label: z.string(),
  /** Test rows of this class. */
  positives: z.number().int(),
  /** x: false positive rate, y: true positive rate (recall). */
  roc: z.array(curvePointSchema),
  /** Area under the ROC curve; null when the test rows hold only one side (no positives or no negatives). */
  auc: z.number().nullable(),
  /** x: recall, y: precision. */
  pr: z.array(curvePointSchema),
  /** Precision averaged over the recall steps (scikit-learn's average precision); null without positives. */
  averagePrecision: z.number().nullable(),
});
export type ClassCurves = z.infer<typeof classCurvesSchema>;

export const classificationReportSchema = z.object({
  kind: z.literal('classification'),
  outputKind: z.enum(['binary', 'multiclass']),
  /** The model's classes, in output order (binary: [negative, positive]). */
  labels: z.array(z.string()),
  rows: z.number().int(),
  /** Test rows whose true class the model never learned: they are always misses. */
  unknownLabels: z.number().int(),
  /** The scores at the run's decision threshold. */
  scores: classificationScoresSchema,
  curves: z.array(classCurvesSchema),
  /** Binary: the scores at every threshold of the slider (0.01 … 0.99); empty otherwise. */
  sweep: z.array(classificationScoresSchema),
});
export type ClassificationReport = z.infer<typeof classificationReportSchema>;

// ---------------------------------------------------------------------------------------------
// Regression

export const residualPointSchema = z.object({ actual: z.number(), predicted: z.number() });

export const regressionReportSchema = z.object({
  kind: z.literal('regression'),
  rows: z.number().int(),
  mae: z.number(),
  rmse: z.number(),
  r2: z.number(),
  /** Mean of predicted − actual: above 0 the model guesses high on average. */
  bias: z.number(),
  /** Half the predictions miss by less than this. */
  medianAbsoluteError: z.number(),
  /** Up to 500 test rows (evenly picked) for the residual plot. */
  points: z.array(residualPointSchema),
});
export type RegressionReport = z.infer<typeof regressionReportSchema>;

export const evaluationReportSchema = z.discriminatedUnion('kind', [classificationReportSchema, regressionReportSchema]);
export type EvaluationReport = z.infer<typeof evaluationReportSchema>;

// ---------------------------------------------------------------------------------------------
// Over- and underfitting, read from the training curves

export const fitVerdicts = ['good_fit', 'overfitting', 'underfitting', 'not_enough_history'] as const;
export const fitVerdictSchema = z.enum(fitVerdicts);
export type FitVerdict = z.infer<typeof fitVerdictSchema>;

/** What the curves show; the UI words each code with its params. */
export const fitFindingCodes = ['val_loss_rising', 'train_val_gap', 'train_score_low', 'still_improving', 'no_validation', 'few_epochs', 'curves_close'] as const;
export const fitFindingSchema = z.object({ code: z.enum(fitFindingCodes), params: z.record(z.string(), z.number()) });
export type FitFinding = z.infer<typeof fitFindingSchema>;

/** What to do about it, in plain words (the UI words each code). */
export const fitAdviceCodes = ['more_data', 'augmentation', 'regularization', 'early_stopping', 'smaller_model', 'train_longer', 'bigger_model', 'check_labels'] as const;
export const fitAdviceSchema = z.enum(fitAdviceCodes);
export type FitAdvice = z.infer<typeof fitAdviceSchema>;

export const fitDiagnosisSchema = z.object({
  verdict: fitVerdictSchema,
  findings: z.array(fitFindingSchema),
  advice: z.array(fitAdviceSchema),
});
export type FitDiagnosis = z.infer<typeof fitDiagnosisSchema>;

// ---------------------------------------------------------------------------------------------
// A run's evaluation, as the Evaluation step shows it

export const targetResultSchema = targetCheckSchema.extend({ target: targetSchema });
export type TargetResult = z.infer<typeof targetResultSchema>;

/** A limit of the Needs step (time per prediction, model size) against what was measured here. */
export const limitCheckSchema = z.object({
  limit: z.enum(['latency', 'size']),
  /** Milliseconds, or megabytes. */
  max: z.number(),
  actual: z.number().nullable(),
  met: z.boolean(),
});
export type LimitCheck = z.infer<typeof limitCheckSchema>;

export const evaluationSchema = z.object({
  runId: z.string(),
  /** When the test rows were scored. */
  evaluatedAt: z.string(),
  modelId: modelIdSchema,
  task: taskSchema,
  labelColumn: z.string(),
  /** What the model reads (for the "try it" box). */
  input: inputSchemaSchema,
  report: evaluationReportSchema,
  diagnosis: fitDiagnosisSchema,
  /** Binary: the decision threshold saved with the run (0.5 until tuned); null otherwise. */
  threshold: z.number().nullable(),
  /** The class "precision" and "recall" are about: the Needs step's focus class, else the positive (second) label. */
  focusLabel: z.string().nullable(),
  /** One prediction's time through the app's engine, measured here (median of a few). */
  latencyMs: z.number().nullable(),
  /** Size of the model's weights on disk. */
  modelBytes: z.number().int(),
  /** The Needs step's targets against these scores. */
  targets: z.array(targetResultSchema),
  limits: z.array(limitCheckSchema),
});
export type Evaluation = z.infer<typeof evaluationSchema>;

/** A run the Evaluation step can show: it finished (or was stopped) with a model. */
export const evaluableRunSchema = z.object({
  runId: z.string(),
  createdAt: z.string(),
  modelId: modelIdSchema,
  status: runStatusSchema,
  /** Its evaluation.json is there and current. */
  evaluated: z.boolean(),
});
export type EvaluableRun = z.infer<typeof evaluableRunSchema>;

export const evaluationViewSchema = z.object({
  runs: z.array(evaluableRunSchema),
  /** The run on screen (the one asked for, else the chosen one, else the latest). */
  runId: z.string().nullable(),
  /** The run picked to ship ("use this run"), if any. */
  chosenRunId: z.string().nullable(),
  evaluation: evaluationSchema.nullable(),
  modelNames: z.record(z.string(), localizedTextSchema),
});
export type EvaluationView = z.infer<typeof evaluationViewSchema>;

/** A test row behind a confusion-matrix cell (or a large miss), with the model's confidence. */
export const exampleRowSchema = z.object({
  /** Position in the test split. */
  row: z.number().int(),
  /** The row's input as text (texts shortened, table rows as "column: value" pairs). */
  text: z.string(),
  actual: z.union([z.string(), z.number()]),
  predicted: z.union([z.string(), z.number()]),
  /** Probability of the answer given; null for numbers. */
  confidence: z.number().nullable(),
});
export type ExampleRow = z.infer<typeof exampleRowSchema>;

// ---------------------------------------------------------------------------------------------
// Runs side by side

export const compareRowSchema = z.object({
  runId: z.string(),
  createdAt: z.string(),
  status: runStatusSchema,
  modelId: modelIdSchema,
  hasModel: z.boolean(),
  epochs: z.number().int(),
  epochsCompleted: z.number().int(),
  batchSize: z.number().int(),
  learningRate: z.number(),
  dropout: z.number(),
  /** Wall time spent training (pauses excluded), from its last epoch; null before the first epoch. */
  trainingSeconds: z.number().nullable(),
  backend: backendIdSchema.nullable(),
  paramCount: z.number().int().nullable(),
  /** The kept epoch's validation score (accuracy, or average error for numbers). */
  validationScore: z.number().nullable(),
  /** Test scores when the run has been evaluated: accuracy, macroF1 (classes) or mae, rmse, r2. */
  test: z.record(z.string(), z.number()).nullable(),
});
export type CompareRow = z.infer<typeof compareRowSchema>;

export const compareViewSchema = z.object({
  rows: z.array(compareRowSchema),
  metricName: z.enum(['accuracy', 'mae']),
  chosenRunId: z.string().nullable(),
  modelNames: z.record(z.string(), localizedTextSchema),
});
export type CompareView = z.infer<typeof compareViewSchema>;
