import { z } from 'zod';
import { projectDataSchema } from './data';
import { projectNeedsSchema } from './needs';
import { projectEvaluationSchema } from './evaluation-settings';
import { projectModelSchema, projectTrainingSchema } from './training-settings';

/** The six wizard steps, in order. */
export const stepIds = ['needs', 'data', 'model', 'training', 'evaluation', 'deployment'] as const;
export const stepIdSchema = z.enum(stepIds);
export type StepId = z.infer<typeof stepIdSchema>;

export const localeSchema = z.enum(['en', 'zh-CN']);
export type Locale = z.infer<typeof localeSchema>;

/** Folder name of a project inside the home folder; never a path. */
export const projectIdSchema = z
  .string()
  .min(1)
  .max(120)
  .refine((s) => !/[\\/]/.test(s) && s !== '.' && s !== '..', { message: 'not a project id' });

export const projectNameSchema = z.string().trim().min(1).max(80);

export const PROJECT_FORMAT_VERSION = 1;

/** project.json, format version 1. Later wizard steps add their own optional sections. */
export const projectFileSchema = z.object({
  formatVersion: z.literal(PROJECT_FORMAT_VERSION),
  name: projectNameSchema,
  description: z.string().max(2000).default(''),
  createdAt: z.string(),
  updatedAt: z.string(),
  currentStep: stepIdSchema.default('needs'),
  completedSteps: z.array(stepIdSchema).default([]),
  /** The Needs step's requirement sheet: absent until the user answers a question. */
  needs: projectNeedsSchema.optional(),
  /** The Data step: absent until a file or folder has been imported. */
  data: projectDataSchema.optional(),
  /** The Model step's choice and the Training step's settings: absent until the user makes them. */
  model: projectModelSchema.optional(),
  training: projectTrainingSchema.optional(),
  /** The Evaluation step's choice of the run to ship: absent until the user picks one. */
  evaluation: projectEvaluationSchema.optional(),
});
export type ProjectFile = z.infer<typeof projectFileSchema>;

export const projectSchema = projectFileSchema.extend({
  id: projectIdSchema,
  dir: z.string(),
});
export type Project = z.infer<typeof projectSchema>;

/** One row of the project home. A damaged project is listed, with why, never hidden or rewritten. */
export const projectSummarySchema = z.object({
  id: projectIdSchema,
  dir: z.string(),
  status: z.enum(['ok', 'corrupt', 'too_new']),
  name: z.string(),
  updatedAt: z.string().nullable(),
  openedAt: z.string().nullable(),
  completedSteps: z.array(stepIdSchema),
  problem: z.string().nullable(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

export const backendIds = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export const backendIdSchema = z.enum(backendIds);
export type BackendId = z.infer<typeof backendIdSchema>;

/** Why a rung of the backend ladder is or is not usable; the UI words each code. */
export const rungReasonSchema = z.enum([
  'available',
  'not_installed',
  'no_cuda',
  'unsupported_platform',
  'forced_off',
  'missing_files',
]);

export const backendRungSchema = z.object({
  id: backendIdSchema,
  available: z.boolean(),
  reason: rungReasonSchema,
  detail: z.string(),
});
export type BackendRung = z.infer<typeof backendRungSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  home: z.string(),
  backends: z.array(backendRungSchema),
  selectedBackend: backendIdSchema,
  forcedBackend: backendIdSchema.nullable(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const settingsSchema = z.object({
  locale: localeSchema.default('en'),
});
export type Settings = z.infer<typeof settingsSchema>;

export const fileFilterSchema = z.object({ name: z.string(), extensions: z.array(z.string()) });
