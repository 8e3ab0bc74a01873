/**
 * The Model and Training steps' channels: the catalog for the project's task with the recommended
 * model, calibrated estimates, the user's choice; the Training step's settings, runs and their
 * control; and the throttled `training:progress` event. Spread into `channels` / `events`.
 */
import { z } from 'zod';
import { appInfoSchema, projectIdSchema } from './schemas';
import {
  backendReportSchema,
  localizedTextSchema,
  metricNameSchema,
  modelCatalogEntrySchema,
  modelEstimateSchema,
  modelIdSchema,
  progressEventSchema,
  runSummarySchema,
  taskSchema,
} from './training';
import { trainingSettingsSchema } from './training-settings';

/** A run folder's name; never a path. */
export const runIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'not a run id' });

/** Why the recommended model is the recommended one; the UI words each code. */
export const recommendReasons = ['text_few_rows', 'text_many_rows', 'table_few_rows', 'table_many_rows'] as const;
export const recommendReasonSchema = z.enum(recommendReasons);
export type RecommendReason = z.infer<typeof recommendReasonSchema>;

export const recommendationSchema = z.object({
  modelId: modelIdSchema,
  reason: recommendReasonSchema,
  /** The training rows the choice was made for, and the row count where the choice changes. */
  rows: z.number().int().nonnegative(),
  threshold: z.number().int().positive(),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

/** Why a project cannot train yet; the UI words each code and points to the step that fixes it. */
export const setupProblems = ['no_data', 'no_label', 'no_inputs', 'text_regression'] as const;
export const setupProblemSchema = z.enum(setupProblems);
export type SetupProblem = z.infer<typeof setupProblemSchema>;

/** What the project's Data step makes of the task: which models apply and what they read. */
export const trainingSetupSchema = z.object({
  problem: setupProblemSchema.nullable(),
  task: taskSchema.nullable(),
  inputKind: z.enum(['text', 'table']).nullable(),
  labelColumn: z.string().nullable(),
  /** Columns the models of this task read. */
  inputColumns: z.array(z.string()),
  /** Input columns this kind of model cannot read (numbers beside a text, texts in a table). */
  ignoredColumns: z.array(z.string()),
  /** Rows in the training split (from the Data step's split; estimated from the shares before it ran). */
  trainRows: z.number().int().nonnegative(),
});
export type TrainingSetup = z.infer<typeof trainingSetupSchema>;

export const modelChoiceSchema = z.object({
  modelId: modelIdSchema,
  hyperparameters: z.record(z.string(), z.number()),
  /** False when the user has not chosen yet and this is the recommendation. */
  chosen: z.boolean(),
});
export type ModelChoice = z.infer<typeof modelChoiceSchema>;

/** The Model step's page. */
export const modelsViewSchema = z.object({
  setup: trainingSetupSchema,
  entries: z.array(modelCatalogEntrySchema.extend({ recommended: z.boolean() })),
  recommendation: recommendationSchema.nullable(),
  choice: modelChoiceSchema.nullable(),
  /** Estimates measured earlier on this same data (kept in the project's cache folder). */
  estimates: z.array(modelEstimateSchema),
  /** A run is training in this app: measuring waits for the compute worker until it ends. */
  trainingActive: z.boolean(),
});
export type ModelsView = z.infer<typeof modelsViewSchema>;

/** The Training step's page. */
export const trainingViewSchema = z.object({
  setup: trainingSetupSchema,
  /** The model a new run trains (the user's choice, else the recommendation); null when the setup has a problem. */
  model: modelChoiceSchema.extend({ metricName: metricNameSchema }).nullable(),
  /** The settings a new run uses (saved, else the model's defaults). */
  settings: trainingSettingsSchema,
  /** The chosen model's defaults, for "reset to recommended". */
  defaults: trainingSettingsSchema,
  runs: z.array(runSummarySchema),
  /** The compute backend the worker settled on, once a job has run in this app session. */
  backend: backendReportSchema.nullable(),
  /** A worker that had loaded native TensorFlow died: only a restart brings it back. */
  nativeLost: z.boolean(),
  /** Every catalog model's name, to label runs of any model. */
  modelNames: z.record(z.string(), localizedTextSchema),
});
export type TrainingView = z.infer<typeof trainingViewSchema>;

const projectRef = { projectId: projectIdSchema };
const runRef = z.object({ ...projectRef, runId: runIdSchema }).strict();
const accepted = z.object({ accepted: z.boolean() });

/** app:info plus what the compute worker found when it last ran a job (absent until then). */
export const appInfoWithComputeSchema = appInfoSchema.extend({
  computeBackend: backendReportSchema.optional(),
  computeNativeLost: z.boolean().optional(),
});

export const trainingChannels = {
  /** The catalog for the project's task, the recommended model (and why), the user's choice. */
  'models:catalog': { payload: z.object(projectRef).strict(), result: modelsViewSchema },
  /** Parameter count, memory and training time of models, measured on the project's own data in the compute worker. */
  'models:estimate': {
    payload: z.object({ ...projectRef, modelIds: z.array(modelIdSchema).min(1).max(16).optional() }).strict(),
    result: z.object({ estimates: z.array(modelEstimateSchema) }),
  },
  /** Saves the model choice (and its knobs, checked against the catalog's ranges) in project.json. */
  'models:choose': {
    payload: z.object({ ...projectRef, modelId: modelIdSchema, hyperparameters: z.record(z.string(), z.number()).optional() }).strict(),
    result: modelsViewSchema,
  },
  'training:get': { payload: z.object(projectRef).strict(), result: trainingViewSchema },
  /** Autosave of the settings form. */
  'training:saveSettings': { payload: z.object({ ...projectRef, settings: trainingSettingsSchema }).strict(), result: trainingViewSchema },
  /** Starts a run of the project's model on its training and validation splits (never the test split). */
  'training:start': { payload: z.object({ ...projectRef, settings: trainingSettingsSchema.optional() }).strict(), result: runSummarySchema },
  'training:pause': { payload: runRef, result: accepted },
  'training:resume': { payload: runRef, result: accepted },
  /** Stops after the current batch and keeps the best model so far. */
  'training:stop': { payload: runRef, result: accepted },
  /** Stops and throws the run's model away. */
  'training:cancel': { payload: runRef, result: accepted },
  /** Continues an interrupted, failed or stopped run from its last checkpoint (optionally to more epochs). */
  'training:resumeInterrupted': {
    payload: z.object({ ...projectRef, runId: runIdSchema, epochs: z.number().int().min(1).max(1000).optional() }).strict(),
    result: runSummarySchema,
  },
  'training:runs': { payload: z.object(projectRef).strict(), result: z.array(runSummarySchema) },
  /** A run and its history, to draw its charts again. */
  'training:metrics': {
    payload: runRef,
    result: z.object({ run: runSummarySchema, events: z.array(progressEventSchema) }),
  },
} as const;

export const trainingEvents = {
  /** Progress of a run: every epoch and status change, batches at most ~4 a second. */
  'training:progress': z.object({ projectId: projectIdSchema, runId: runIdSchema, event: progressEventSchema }),
} as const;
export type TrainingProgressEvent = z.infer<(typeof trainingEvents)['training:progress']>;
