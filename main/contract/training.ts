/**
 * What crosses the contract about models and training: the catalog as the UI shows it, the
 * training settings, live progress events, and a run as stored in runs/<runId>/run.json.
 * One definition gives both the TypeScript type and the runtime check.
 */
import { z } from 'zod';
import { backendIdSchema, rungReasonSchema } from './schemas';
import { errorCodes } from './errors';
import { optimizerSchema, trainingSettingsShape } from './training-settings';

/** What the user wants to predict; the Needs step decides it, the catalog filters by it. */
export const taskIds = ['text-classification', 'tabular-classification', 'tabular-regression'] as const;
export const taskSchema = z.enum(taskIds);
export type TaskId = z.infer<typeof taskSchema>;

export const modelIds = ['text-lstm', 'text-bow', 'text-cnn', 'text-bigru', 'tabular-mlp', 'tabular-linear'] as const;
export const modelIdSchema = z.enum(modelIds);
export type ModelId = z.infer<typeof modelIdSchema>;

/** A string in every language the app speaks. */
export const localizedTextSchema = z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** One tunable knob of a model, with the range the UI's slider or field allows. */
export const hyperparameterSpecSchema = z.object({
  key: z.string().min(1),
  type: z.enum(['int', 'float']),
  default: z.number(),
  min: z.number(),
  max: z.number(),
  /** Log-scale sliders for rates and sizes that span orders of magnitude. */
  scale: z.enum(['linear', 'log']),
  label: localizedTextSchema,
  help: localizedTextSchema,
});
export type HyperparameterSpec = z.infer<typeof hyperparameterSpecSchema>;

export { optimizerIds, optimizerSchema } from './training-settings';

/** The settings a catalog entry recommends; the UI pre-fills the Training step with them. */
export const trainingDefaultsSchema = z.object({
  epochs: z.number().int().min(1),
  batchSize: z.number().int().min(1),
  learningRate: z.number().positive(),
  optimizer: optimizerSchema,
});

/** A catalog entry as the UI needs it (the builder stays on the Node side). */
export const modelCatalogEntrySchema = z.object({
  id: modelIdSchema,
  tasks: z.array(taskSchema).min(1),
  family: z.enum(['text', 'tabular']),
  name: localizedTextSchema,
  description: z.object({
    /** What it is, in one or two plain sentences. */
    what: localizedTextSchema,
    /** When to pick it. */
    when: localizedTextSchema,
    /** What you give up for what you get. */
    tradeoff: localizedTextSchema,
  }),
  /** Relative speed and capacity, for a quick visual comparison (1 = least, 5 = most). */
  speed: z.number().int().min(1).max(5),
  capacity: z.number().int().min(1).max(5),
  hyperparameters: z.array(hyperparameterSpecSchema),
  defaults: trainingDefaultsSchema,
});
export type ModelCatalogEntry = z.infer<typeof modelCatalogEntrySchema>;

/** Every training setting. Defaults apply to anything left out, so `{ modelId, task }` is a config. */
export const trainingConfigSchema = z.object({
  modelId: modelIdSchema,
  task: taskSchema,
  /** The model's own knobs (see its catalog entry); unknown keys are refused at start. */
  hyperparameters: z.record(z.string(), z.number()).default({}),
  ...trainingSettingsShape,
});
export type TrainingConfig = z.infer<typeof trainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof trainingConfigSchema>;

export const runStatusSchema = z.enum([
  'queued',
  'running',
  'paused',
  /** All epochs ran, or early stopping ended it. */
  'completed',
  /** The user stopped it; the best model so far is kept. */
  'stopped',
  /** The user threw it away: no model, no checkpoint. */
  'cancelled',
  'failed',
  /** The app or its worker went away while it ran; resumable from the last checkpoint. */
  'interrupted',
]);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Why a rung was skipped or used, beyond the file checks of `rungReasonSchema`. */
export const rungUseReasonSchema = z.enum([
  ...rungReasonSchema.options,
  /** The package is there but loading it threw. */
  'load_failed',
  /** It loaded, but a one-batch fit of this model failed or gave a non-finite loss. */
  'probe_failed',
  /** Native TensorFlow was loaded by an earlier compute worker; only a restart brings it back. */
  'native_lost',
  /** A higher rung works, so this one was not tried. */
  'not_needed',
]);

export const backendReportSchema = z.object({
  selected: backendIdSchema,
  forced: backendIdSchema.nullable(),
  rungs: z.array(
    z.object({
      id: backendIdSchema,
      used: z.boolean(),
      reason: rungUseReasonSchema,
      detail: z.string(),
    }),
  ),
});
export type BackendReport = z.infer<typeof backendReportSchema>;

/** Failure causes in run.json and events: the contract's error codes plus the worker's own. */
export const runFailureCodeSchema = z.enum([...errorCodes, 'worker_crashed', 'out_of_memory', 'training_diverged']);

export const runFailureSchema = z.object({
  code: runFailureCodeSchema,
  message: z.string(),
});
export type RunFailure = z.infer<typeof runFailureSchema>;

/** Accuracy for classification; mean absolute error (in the target's own units) for regression. */
export const metricNameSchema = z.enum(['accuracy', 'mae']);

const epochMetricsSchema = z.object({
  loss: z.number(),
  metric: z.number().nullable(),
  valLoss: z.number().nullable(),
  valMetric: z.number().nullable(),
});

/**
 * What the worker does with a project's data before training: share the rows out into the splits,
 * learn the preprocessing (vocabulary, scales, categories) from the training rows, and write the
 * encoded rows that training reads.
 */
export const PREPARE_STAGES = ['split', 'fit', 'encode'] as const;
export const prepareStageSchema = z.enum(PREPARE_STAGES);
export type PrepareStage = z.infer<typeof prepareStageSchema>;

const progressBase = {
  runId: z.string(),
  /** ISO time the worker emitted it. */
  at: z.string(),
};

/**
 * Pushed while a run trains. Batch events are throttled (at most ~5 a second); every epoch and
 * every status change is sent. Epochs and batches count from 1.
 */
export const progressEventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...progressBase,
    kind: z.literal('status'),
    status: runStatusSchema,
    backend: backendReportSchema.optional(),
    failure: runFailureSchema.optional(),
  }),
  z.object({
    ...progressBase,
    /** Before the first pass, while the worker reads a project's data into the run's copy (not saved). */
    kind: z.literal('preparing'),
    stage: prepareStageSchema,
    /** Of the file read in this stage's current pass (a stage may read the file twice). */
    bytesRead: z.number(),
    totalBytes: z.number(),
    rows: z.number(),
  }),
  z.object({
    ...progressBase,
    kind: z.literal('batch'),
    epoch: z.number().int(),
    epochs: z.number().int(),
    batch: z.number().int(),
    batchesPerEpoch: z.number().int(),
    loss: z.number(),
    metric: z.number().nullable(),
    samplesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    elapsedSeconds: z.number(),
  }),
  z.object({
    ...progressBase,
    ...epochMetricsSchema.shape,
    kind: z.literal('epoch'),
    epoch: z.number().int(),
    epochs: z.number().int(),
    samplesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    elapsedSeconds: z.number(),
    /** This epoch is the best so far (its weights are now in model/). */
    improved: z.boolean(),
    bestEpoch: z.number().int().nullable(),
  }),
]);
export type ProgressEvent = z.infer<typeof progressEventSchema>;

export const RUN_FORMAT_VERSION = 1;

/** runs/<runId>/run.json. */
export const runFileSchema = z.object({
  formatVersion: z.literal(RUN_FORMAT_VERSION),
  runId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  status: runStatusSchema,
  /** The settings as they were when the run started (a snapshot; later edits do not change it). */
  config: trainingConfigSchema,
  metricName: metricNameSchema,
  /** Class labels in output order; empty for regression. */
  labels: z.array(z.string()),
  data: z
    .object({
      trainRows: z.number().int(),
      validationRows: z.number().int(),
      /** sha-256 of the training data, so a resume refuses different data. */
      fingerprint: z.string(),
    })
    .nullable(),
  backend: backendReportSchema.nullable(),
  paramCount: z.number().int().nullable(),
  epochsCompleted: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  best: epochMetricsSchema.nullable(),
  /** Epochs in the checkpoint/ folder; null when there is none. */
  checkpointEpoch: z.number().int().nullable(),
  /** model/ holds a usable model. */
  hasModel: z.boolean(),
  stopReason: z.enum(['epochs_done', 'early_stopping', 'user_stop']).nullable(),
  failure: runFailureSchema.nullable(),
  /** A checkpoint exists and the status allows picking the run up again. */
  resumable: z.boolean(),
  resumeCount: z.number().int().default(0),
  /**
   * Binary models: the decision threshold chosen in the Evaluation step (the positive label is
   * answered above it). Absent: 0.5. Exports and predictions of this run use it.
   */
  decisionThreshold: z.number().min(0).max(1).optional(),
});
export type RunFile = z.infer<typeof runFileSchema>;

/** A run in a list: run.json plus where it lives. */
export const runSummarySchema = runFileSchema.extend({ dir: z.string() });
export type RunSummary = z.infer<typeof runSummarySchema>;

/** Cost of training one catalog model on the user's data, measured on this machine. */
export const modelEstimateSchema = z.object({
  modelId: modelIdSchema,
  paramCount: z.number().int(),
  /** Rough peak memory of a training run: weights, optimizer state, one batch's activations, data. */
  memoryBytes: z.number(),
  /** null when calibration could not run (then only size and memory are known). */
  samplesPerSecond: z.number().nullable(),
  secondsPerEpoch: z.number().nullable(),
  totalSeconds: z.number().nullable(),
  backend: backendIdSchema.nullable(),
  /** Batches timed after the warm-up batches. */
  calibrationBatches: z.number().int(),
  error: z.string().nullable(),
});
export type ModelEstimate = z.infer<typeof modelEstimateSchema>;
