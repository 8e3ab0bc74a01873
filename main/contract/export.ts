/**
 * What crosses the contract about using a trained model outside training: the exported model
 * file (`.mpmodel`) and its manifest, predictions, the parity check, and the local prediction
 * API. One definition gives both the TypeScript type and the runtime check; channels that carry
 * these are wired in channels.ts / api.ts by the Evaluation and Deployment step.
 */
import { z } from 'zod';
import { cellSchema } from './data';
import { localeSchema } from './schemas';
import { taskSchema } from './training';

// ---------------------------------------------------------------------------------------------
// The model file

/** `format` of every manifest.json we write; anything else is not one of our files. */
export const BUNDLE_FORMAT = 'modelpilot-model';
/** Bumped when an older app could not read what a newer one writes. */
export const BUNDLE_FORMAT_VERSION = 1;
export const BUNDLE_EXTENSION = '.mpmodel';

/** One column the model reads, as a caller must supply it. */
export const inputColumnSchema = z.discriminatedUnion('type', [
  /** Free text; several text columns are joined with a newline before tokenizing. */
  z.object({ name: z.string(), type: z.literal('text') }),
  /** A number (numeric text is read as a number; missing becomes the training mean). */
  z.object({ name: z.string(), type: z.literal('numeric') }),
  /** One of `categories` (anything else, missing included, counts as "other"). */
  z.object({ name: z.string(), type: z.literal('categorical'), categories: z.array(z.string()) }),
]);
export type InputColumn = z.infer<typeof inputColumnSchema>;

export const inputSchemaSchema = z.object({
  kind: z.enum(['text', 'tabular']),
  columns: z.array(inputColumnSchema).min(1),
});
export type InputSchema = z.infer<typeof inputSchemaSchema>;

export const outputKindSchema = z.enum(['binary', 'multiclass', 'regression']);

/** Metric name -> value, e.g. { accuracy: 0.91, macroF1: 0.88 } or { mae: 3.2, rmse: 4.1, r2: 0.7 }. */
export const metricValuesSchema = z.record(z.string(), z.number());

/** manifest.json at the root of a `.mpmodel` (and of an exported TF.js folder). */
export const bundleManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int().min(1),
  createdAt: z.string(),
  app: z.object({ name: z.string(), version: z.string() }),
  /** What the user called it (the project name, else the run id). */
  name: z.string(),
  task: taskSchema,
  outputKind: outputKindSchema,
  /** Catalog model id (a string: a newer app may know models this one does not). */
  modelId: z.string(),
  labelColumn: z.string(),
  /** Class labels in the model's output order; empty for regression. */
  labels: z.array(z.string()),
  /**
   * Binary models: the second label is answered when its probability is above this (tuned in the
   * Evaluation step; recipe.json carries the same value). Null or absent: 0.5.
   */
  decisionThreshold: z.number().min(0).max(1).nullable().optional(),
  input: inputSchemaSchema,
  metrics: z.object({
    /** From training: the best epoch's validation scores. */
    validation: metricValuesSchema,
    /** From the Evaluation step on the held-out test rows, when it ran. */
    test: metricValuesSchema.nullable(),
  }),
  training: z.object({
    runId: z.string(),
    trainRows: z.number().int().nullable(),
    validationRows: z.number().int().nullable(),
    epochs: z.number().int(),
    bestEpoch: z.number().int().nullable(),
    paramCount: z.number().int().nullable(),
    /** Compute backend the model was trained on (tfjs-node, wasm …). */
    backend: z.string().nullable(),
  }),
  /** Language of model-card.md / model-card.html. */
  language: localeSchema,
  /** Every other file in the bundle with its size and sha-256, so damage is found on load. */
  files: z.record(z.string(), z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;

export const exportFormatSchema = z.enum([
  /** One `.mpmodel` zip: model, recipe, model card, examples. */
  'mpmodel',
  /** A folder with model.json + weights (any TF.js can load it), recipe.json and manifest.json. */
  'tfjs-folder',
]);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const exportRequestSchema = z.object({
  /** runs/<runId>/ of a run that has a model. */
  runDir: z.string().min(1),
  /** The .mpmodel file to write, or the folder for 'tfjs-folder'. Replaced atomically. */
  outPath: z.string().min(1),
  format: exportFormatSchema.default('mpmodel'),
  /** Language of the model card. */
  language: localeSchema.default('en'),
  /** Shown as the model's name; default: the project's name, else the run id. */
  name: z.string().min(1).max(200).optional(),
  /** Scores on the test rows from the Evaluation step, written into the manifest and model card. */
  testMetrics: metricValuesSchema.optional(),
});
export type ExportRequest = z.input<typeof exportRequestSchema>;

export const exportResultSchema = z.object({
  path: z.string(),
  format: exportFormatSchema,
  /** Size of the .mpmodel, or of all files in the folder. */
  bytes: z.number().int(),
  manifest: bundleManifestSchema,
  /**
   * Where the cleaning recipe came from: the run's own snapshot, the project's current data step
   * (the run kept none: right only if the recipe did not change since), or none (no cleaning).
   */
  cleaningRecipeSource: z.enum(['run', 'project', 'none']),
  /** Paths inside the bundle or folder. */
  files: z.array(z.string()),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

// ---------------------------------------------------------------------------------------------
// Predictions

export const rowSchema = z.record(z.string(), cellSchema);

/** Where a model comes from: a training run inside a project, or an exported file. */
export const modelSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runDir: z.string().min(1) }),
  z.object({ kind: z.literal('bundle'), path: z.string().min(1) }),
]);
export type ModelSource = z.infer<typeof modelSourceSchema>;

/** One row's answer. */
export const predictionSchema = z.object({
  /** The label name (classification) or the predicted value (regression). */
  prediction: z.union([z.string(), z.number()]),
  /** Probability of the predicted label, 0..1; null for regression. */
  confidence: z.number().nullable(),
  /** Probability of every label, in `labels` order; null for regression. */
  probabilities: z.array(z.number()).nullable(),
});
export type Prediction = z.infer<typeof predictionSchema>;

/** Rows one prediction call may carry (larger files go through the CLI or in chunks). */
export const MAX_PREDICT_ROWS = 10_000;

export const predictRequestSchema = z.object({
  source: modelSourceSchema,
  rows: z.array(rowSchema).min(1).max(MAX_PREDICT_ROWS),
  /**
   * The rows already went through the Data step's cleaning recipe (the prepared test split);
   * by default rows are raw, as a user or the API gives them, and are cleaned first.
   */
  cleaned: z.boolean().default(false),
});
export type PredictRequest = z.input<typeof predictRequestSchema>;

export const predictResponseSchema = z.object({
  outputKind: outputKindSchema,
  labels: z.array(z.string()),
  predictions: z.array(predictionSchema),
});
export type PredictResponse = z.infer<typeof predictResponseSchema>;

/** What a loaded model is, for the Deployment step and the API's GET /v1/model. */
export const modelInfoSchema = z.object({
  source: modelSourceSchema,
  name: z.string(),
  task: taskSchema,
  modelId: z.string(),
  outputKind: outputKindSchema,
  labels: z.array(z.string()),
  input: inputSchemaSchema,
  /** The column the model answers (its name in the training data). */
  labelColumn: z.string(),
  /** Binary models: the decision threshold it answers with (0.5 unless tuned); null otherwise. */
  decisionThreshold: z.number().nullable(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

// ---------------------------------------------------------------------------------------------
// Parity: does the exported file reproduce the in-app predictions?

export const parityResultSchema = z.object({
  rows: z.number().int().nonnegative(),
  /** Every probability (or regression value) equal to the last bit, every label the same. */
  identical: z.boolean(),
  /** Largest absolute difference of any probability (classification) or value (regression). */
  maxAbsDiff: z.number(),
  /** Rows whose predicted label (or, for regression, value beyond the tolerance) differs. */
  labelDisagreements: z.number().int().nonnegative(),
  tolerance: z.number(),
  /** maxAbsDiff <= tolerance and no label disagrees. */
  withinTolerance: z.boolean(),
  /** The first rows that differ (at most 10), for the UI to show. */
  examples: z.array(z.object({ row: z.number().int(), inApp: predictionSchema, bundle: predictionSchema, absDiff: z.number() })),
});
export type ParityResult = z.infer<typeof parityResultSchema>;

// ---------------------------------------------------------------------------------------------
// The local prediction API (POST /v1/predict on 127.0.0.1)

export const DEFAULT_SERVING_PORT = 8731;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Rows one HTTP request may carry. */
export const MAX_API_ROWS = 1000;

/** The JSON body of POST /v1/predict: rows, or for a text model just its text(s). */
export const apiPredictRequestSchema = z.union([
  z.object({ rows: z.array(rowSchema).min(1).max(MAX_API_ROWS) }).strict(),
  z.object({ text: z.string() }).strict(),
  z.object({ texts: z.array(z.string()).min(1).max(MAX_API_ROWS) }).strict(),
]);
export type ApiPredictRequest = z.infer<typeof apiPredictRequestSchema>;

export const apiPredictResponseSchema = z.object({
  model: z.object({ name: z.string(), task: taskSchema }),
  labels: z.array(z.string()),
  predictions: z.array(predictionSchema),
});
export type ApiPredictResponse = z.infer<typeof apiPredictResponseSchema>;

/** Error body of the API: a stable code and a sentence for a developer. */
export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const servingStartRequestSchema = z.object({
  source: modelSourceSchema,
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(DEFAULT_SERVING_PORT),
  maxBodyBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(DEFAULT_MAX_BODY_BYTES),
});
export type ServingStartRequest = z.input<typeof servingStartRequestSchema>;

export const servingStatusSchema = z.object({
  running: z.boolean(),
  /** Always 127.0.0.1: the API is never reachable from other machines. */
  host: z.literal('127.0.0.1'),
  port: z.number().int().nullable(),
  url: z.string().nullable(),
  source: modelSourceSchema.nullable(),
  startedAt: z.string().nullable(),
  /** Requests answered since start (errors included). */
  requests: z.number().int().nonnegative(),
  maxBodyBytes: z.number().int(),
});
export type ServingStatus = z.infer<typeof servingStatusSchema>;

/** Ready-to-paste calls of the API for one model. */
export const servingSnippetsSchema = z.object({ curl: z.string(), javascript: z.string(), python: z.string() });
export type ServingSnippets = z.infer<typeof servingSnippetsSchema>;
