import { z } from 'zod';
import {
  auditResultSchema,
  cellSchema,
  columnRoleSchema,
  dataProgressSchema,
  dataSourceSchema,
  detectionSchema,
  importOptionsSchema,
  recipeLineSchema,
  recipeStepSchema,
  splitSettingsSchema,
  splitSummarySchema,
  taskTypeSchema,
  columnRolesSchema,
} from './data';
import { sampleIdSchema } from './needs-channels';
import { projectIdSchema } from './schemas';

/**
 * The Data step's channels: import (with progress and cancel), the current state, and the edits
 * the user makes (roles, fixes, undo, split). Every edit answers with the whole new state, so the
 * page never has to merge partial updates.
 */

/** Names a long job so the page can follow its progress and cancel it; the page makes it up. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'not a job id' });

/** An upload folder's name under the host's uploads folder; never a path. */
export const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'not an upload id' });

/**
 * Where the data comes from: a file or folder the user chose in the desktop app (a path), one the
 * browser uploaded (an id), or the project's current source read again with other options.
 */
export const importSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }).strict(),
  z.object({ kind: z.literal('upload'), uploadId: uploadIdSchema }).strict(),
  z.object({ kind: z.literal('current') }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

/** data:import also reads a sample data set bundled with the app (resources/samples/). */
export const sampleSourceSchema = z.object({ kind: z.literal('sample'), sampleId: sampleIdSchema }).strict();
export const dataImportSourceSchema = z.discriminatedUnion('kind', [...importSourceSchema.options, sampleSourceSchema]);
export type DataImportSource = z.infer<typeof dataImportSourceSchema>;

/** Everything the Data step page shows, after the recipe and the split. */
export const dataStateSchema = z.object({
  source: dataSourceSchema,
  detection: detectionSchema,
  /** The reading options in force (the user's overrides; the rest was detected). */
  options: importOptionsSchema,
  roles: columnRolesSchema,
  labelColumn: z.string().nullable(),
  taskType: taskTypeSchema.nullable(),
  /** The first rows as the file has them, before any fix. */
  preview: z.array(z.array(cellSchema)),
  /** The audit of the data as the recipe leaves it (all rows, before the split). */
  audit: auditResultSchema,
  /** The accepted fixes, in order, as readable lines (each with the id to undo it by). */
  recipe: z.array(recipeLineSchema),
  split: splitSettingsSchema,
  splitSummary: splitSummarySchema,
  /** data:import only: identical content had been imported before, nothing was copied. */
  reused: z.boolean(),
});
export type DataState = z.infer<typeof dataStateSchema>;

const projectRef = { projectId: projectIdSchema };
/** Optional on the edits too: with a 1 GB file every edit re-reads it, and that shows progress. */
const optionalJob = { jobId: jobIdSchema.optional() };

export const dataChannels = {
  /** Imports a file or folder into the project, replacing its data source (roles and fixes start over). */
  'data:import': {
    payload: z.object({ ...projectRef, jobId: jobIdSchema, source: dataImportSourceSchema, options: importOptionsSchema.optional() }).strict(),
    result: dataStateSchema,
  },
  /** Cancels a running data job; nothing it was doing is kept. */
  'data:cancel': {
    payload: z.object({ jobId: jobIdSchema }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  /** The current state, or null when nothing has been imported yet. */
  'data:get': {
    payload: z.object({ ...projectRef, ...optionalJob }).strict(),
    result: dataStateSchema.nullable(),
  },
  'data:setRole': {
    payload: z.object({ ...projectRef, ...optionalJob, column: z.string().min(1).max(1000), role: columnRoleSchema }).strict(),
    result: dataStateSchema,
  },
  /** Appends a fix (usually an audit finding's `fix`) to the recipe. */
  'data:applyFix': {
    payload: z.object({ ...projectRef, ...optionalJob, step: recipeStepSchema }).strict(),
    result: dataStateSchema,
  },
  /** Removes one accepted fix by its id. */
  'data:undoFix': {
    payload: z.object({ ...projectRef, ...optionalJob, stepId: z.string().min(1).max(64) }).strict(),
    result: dataStateSchema,
  },
  'data:setSplit': {
    payload: z.object({ ...projectRef, ...optionalJob, split: splitSettingsSchema }).strict(),
    result: dataStateSchema,
  },
} as const;

export const dataEvents = {
  /** Progress of a data job, at most ~10 a second. */
  'data:progress': dataProgressSchema.extend({ jobId: jobIdSchema }),
} as const;
export type DataProgressEvent = z.infer<(typeof dataEvents)['data:progress']>;
