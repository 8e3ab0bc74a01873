/**
 * The Deployment step's channels: export a run (a `.mpmodel` or a TF.js folder, with the parity
 * check), save or download the export, open any `.mpmodel` to try it or to score it on a new
 * labelled file, and the local prediction API (start, stop, status, snippets). Models are named
 * by reference (a run, an export, an opened file), never by a path the page makes up.
 * Spread into `channels` / `events`.
 */
import { z } from 'zod';
import { uploadIdSchema } from './data-channels';
import { evaluableRunSchema, evaluationReportSchema } from './evaluation';
import {
  bundleManifestSchema,
  DEFAULT_SERVING_PORT,
  exportFormatSchema,
  exportResultSchema,
  MAX_API_ROWS,
  modelInfoSchema,
  parityResultSchema,
  predictResponseSchema,
  rowSchema,
  servingSnippetsSchema,
  servingStatusSchema,
} from './export';
import { localeSchema, projectIdSchema } from './schemas';
import { localizedTextSchema } from './training';
import { runIdSchema } from './training-channels';

/** A file or folder name inside the project's exports/ folder; never a path. */
export const exportNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((name) => !/[\\/\0]/.test(name) && !name.startsWith('.'), { message: 'not an export name' });

/** A file the user picked: a path in the desktop app, an upload in the browser (as sourceFromFiles makes it). */
export const pickedSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }).strict(),
  z.object({ kind: z.literal('upload'), uploadId: uploadIdSchema }).strict(),
]);
export type PickedSource = z.infer<typeof pickedSourceSchema>;

/** A model the page refers to: a run of the project, one of its exports, or a file the user opened. */
export const modelRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), runId: runIdSchema }).strict(),
  z.object({ kind: z.literal('export'), name: exportNameSchema }).strict(),
  z.object({ kind: z.literal('opened'), id: z.string().regex(/^[a-f0-9]{16}$/, { message: 'not an opened model id' }) }).strict(),
]);
export type ModelRef = z.infer<typeof modelRefSchema>;

/** One export in the project's exports/ folder. */
export const exportEntrySchema = z.object({
  name: z.string(),
  format: exportFormatSchema,
  bytes: z.number().int(),
  modifiedAt: z.string(),
  /** Where the browser downloads it (a folder comes as a zip); null in the desktop app, which saves with a dialog. */
  downloadUrl: z.string().nullable(),
});
export type ExportEntry = z.infer<typeof exportEntrySchema>;

/** The local prediction API as the page shows it. */
export const servingViewSchema = z.object({
  status: servingStatusSchema,
  /** The project and model served (null when stopped). */
  projectId: projectIdSchema.nullable(),
  ref: modelRefSchema.nullable(),
  model: modelInfoSchema.nullable(),
  snippets: servingSnippetsSchema.nullable(),
});
export type ServingView = z.infer<typeof servingViewSchema>;

export const deploymentViewSchema = z.object({
  /** Runs with a model, newest first. */
  runs: z.array(evaluableRunSchema),
  /** The run to export by default: the one chosen in the Evaluation step, else the latest. */
  runId: z.string().nullable(),
  /** The run picked in the Evaluation step ("use this run"), if any. */
  chosenRunId: z.string().nullable(),
  modelNames: z.record(z.string(), localizedTextSchema),
  exports: z.array(exportEntrySchema),
  serving: servingViewSchema,
  /** This host serves exports for download (the browser); the desktop app saves them with a dialog. */
  downloads: z.boolean(),
});
export type DeploymentView = z.infer<typeof deploymentViewSchema>;

/** What an opened `.mpmodel` is: its reference for later calls, and its manifest's story. */
export const openedModelSchema = z.object({
  ref: modelRefSchema,
  fileName: z.string(),
  info: modelInfoSchema,
  manifest: bundleManifestSchema.pick({ name: true, createdAt: true, app: true, labelColumn: true, metrics: true, decisionThreshold: true, language: true }),
});
export type OpenedModel = z.infer<typeof openedModelSchema>;

const projectRef = { projectId: projectIdSchema };
const none = z.undefined();

export const deploymentChannels = {
  'deployment:get': { payload: z.object(projectRef).strict(), result: deploymentViewSchema },
  /**
   * Exports a run into the project's exports/ folder, then (for a `.mpmodel`) loads the file again
   * afresh and re-scores the test split: `parity` says whether it reproduces the app's answers.
   */
  'deployment:export': {
    payload: z.object({ ...projectRef, runId: runIdSchema, format: exportFormatSchema.default('mpmodel'), language: localeSchema.default('en') }).strict(),
    result: z.object({ entry: exportEntrySchema, result: exportResultSchema, parity: parityResultSchema.nullable() }),
  },
  /** Desktop only: copies an export to where the save dialog said. */
  'deployment:saveAs': {
    payload: z.object({ ...projectRef, name: exportNameSchema, path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ path: z.string() }),
  },
  /** Opens a `.mpmodel` (a path in the desktop app, an upload in the browser) and checks it. */
  'deployment:openModel': {
    payload: z.object({ ...projectRef, source: pickedSourceSchema }).strict(),
    result: openedModelSchema,
  },
  /** Answers for texts (text models) or rows, with any of the project's models. */
  'deployment:predict': {
    payload: z
      .object({ ...projectRef, model: modelRefSchema, texts: z.array(z.string().max(100_000)).min(1).max(MAX_API_ROWS).optional(), rows: z.array(rowSchema).min(1).max(MAX_API_ROWS).optional() })
      .strict()
      .refine((p) => (p.texts === undefined) !== (p.rows === undefined), { message: 'give texts or rows', path: ['texts'] }),
    result: predictResponseSchema,
  },
  /**
   * Scores a model on a new labelled file. Without `label` the model's own answer column is
   * used; when the file has no such column the answer is `choose_label` with the file's columns.
   */
  'deployment:evaluateFile': {
    payload: z.object({ ...projectRef, model: modelRefSchema, source: pickedSourceSchema, label: z.string().min(1).max(500).optional() }).strict(),
    result: z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('report'),
        fileName: z.string(),
        label: z.string(),
        /** Rows scored, and rows skipped for having no answer. */
        rows: z.number().int(),
        skipped: z.number().int(),
        report: evaluationReportSchema,
      }),
      z.object({ kind: z.literal('choose_label'), fileName: z.string(), expected: z.string(), columns: z.array(z.string()) }),
    ]),
  },
  /** Starts the local prediction API on 127.0.0.1 for a model (a running one is stopped first). */
  'deployment:serve': {
    payload: z.object({ ...projectRef, model: modelRefSchema, port: z.number().int().min(0).max(65535).default(DEFAULT_SERVING_PORT) }).strict(),
    result: servingViewSchema,
  },
  'deployment:stopServing': { payload: none, result: servingViewSchema },
  'deployment:servingStatus': { payload: none, result: servingViewSchema },
} as const;

export const deploymentEvents = {
  /** The local API started, stopped or answered requests (at most a few a second). */
  'deployment:serving': servingViewSchema,
} as const;
