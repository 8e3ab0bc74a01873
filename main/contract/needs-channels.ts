/**
 * The Needs step's channels (the requirement sheet, autosaved), the model advisor (the catalog
 * ranked for this need and this data), the large-model planner, and the sample projects.
 * Spread into `channels` in channels.ts.
 */
import { z } from 'zod';
import { projectNeedsSchema, scenarioSchema, targetSchema, errorCostsSchema } from './needs';
import { localizedTextSchema, modelIdSchema, taskSchema } from './training';
import { plannerAssumptionsSchema, plannerViewSchema } from './planner';
import { projectIdSchema, projectNameSchema, projectSchema } from './schemas';

/** Why a target is suggested; the UI words each code with the focus class. */
export const suggestionReasons = ['fp_costly', 'fn_costly', 'both_costly', 'balanced', 'many_classes', 'regression_fit', 'regression_error'] as const;
export const targetSuggestionSchema = z.object({ target: targetSchema, reason: z.enum(suggestionReasons) });
export type TargetSuggestion = z.infer<typeof targetSuggestionSchema>;

/** Whether the data can measure a target (see main/core/needs/data-check.ts for the rule). */
export const dataCheckCodes = ['ok', 'wrong_task', 'class_missing', 'too_few_test', 'one_mistake_fails', 'too_few_train'] as const;
export const targetDataCheckSchema = z.object({
  targetId: z.string(),
  code: z.enum(dataCheckCodes),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type TargetDataCheck = z.infer<typeof targetDataCheckSchema>;

export const needsGapSchema = z.enum(['goal', 'task', 'target']);
export type NeedsGap = z.infer<typeof needsGapSchema>;

export const scenarioInfoSchema = z.object({
  id: scenarioSchema,
  task: taskSchema.nullable(),
  coming: z.boolean(),
  large: z.boolean(),
});
export type ScenarioInfo = z.infer<typeof scenarioInfoSchema>;

/** The Needs step's page. */
export const needsViewSchema = z.object({
  needs: projectNeedsSchema,
  /** What is missing before "Mark done": a goal, a supported task, a target. */
  gaps: z.array(needsGapSchema),
  suggestions: z.array(targetSuggestionSchema),
  scenarios: z.array(scenarioInfoSchema),
  /** The data's classes once data is imported (for per-class targets); empty before. */
  classes: z.array(z.string()),
  /** The task the Data step found, when data is in: it should agree with the need's. */
  dataTask: taskSchema.nullable(),
  /** Per target: can the data measure it? Empty before the data is split. */
  dataChecks: z.array(targetDataCheckSchema),
  /** The need calls for the large-model planner. */
  largeModel: z.boolean(),
  /** requirements.md in the project folder (written on every save). */
  requirementsPath: z.string(),
  /** The sheet as it was written, for the printable view. */
  requirementsMarkdown: z.string(),
});
export type NeedsView = z.infer<typeof needsViewSchema>;

/** A change to the sheet: any of its fields (costs may be partial). */
// Built from the fields' own schemas without their defaults: zod 4 fills a default even inside
// .partial(), which would turn every small patch into a reset of the other fields.
const s = projectNeedsSchema.shape;
const c = errorCostsSchema.shape;
export const needsPatchSchema = z
  .object({
    goal: s.goal.removeDefault(),
    predictionUse: s.predictionUse.removeDefault(),
    scenario: s.scenario.removeDefault(),
    focusLabel: s.focusLabel.removeDefault(),
    costs: z
      .object({
        falsePositive: c.falsePositive.removeDefault(),
        falseNegative: c.falseNegative.removeDefault(),
        falsePositiveNote: c.falsePositiveNote.removeDefault(),
        falseNegativeNote: c.falseNegativeNote.removeDefault(),
      })
      .partial()
      .strict(),
    targets: s.targets.removeDefault(),
    /** null clears a limit. */
    maxLatencyMs: s.maxLatencyMs.unwrap().nullable(),
    maxModelSizeMB: s.maxModelSizeMB.unwrap().nullable(),
    needsWorldKnowledge: s.needsWorldKnowledge.removeDefault(),
    privacyAcknowledged: s.privacyAcknowledged.removeDefault(),
  })
  .partial()
  .strict();
export type NeedsPatch = z.input<typeof needsPatchSchema>;

/** Why the advisor moves a model up or down; the UI words each with its params. */
export const adviceReasonCodes = ['rule', 'few_rows', 'rows_ok', 'enough_rows', 'fast', 'slow', 'long_texts', 'high_target', 'many_columns', 'too_big', 'too_slow', 'measure_for_limits'] as const;
export const adviceReasonSchema = z.object({
  code: z.enum(adviceReasonCodes),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type AdviceReason = z.infer<typeof adviceReasonSchema>;

export const rankedModelSchema = z.object({
  modelId: modelIdSchema,
  rank: z.number().int().positive(),
  score: z.number(),
  fit: z.enum(['best', 'good', 'weak', 'ruled_out']),
  ruledOut: z.boolean(),
  reasons: z.array(adviceReasonSchema),
  /** From "Measure on my data"; null until measured. */
  sizeMB: z.number().nullable(),
  latencyMs: z.number().nullable(),
  paramCount: z.number().int().nullable(),
  memoryBytes: z.number().nullable(),
  totalSeconds: z.number().nullable(),
});
export type RankedModel = z.infer<typeof rankedModelSchema>;

/** The advisor's page section in the Model step. */
export const adviceViewSchema = z.object({
  /** Empty when the project cannot train yet (see models:catalog's setup problem). */
  ranking: z.array(rankedModelSchema),
  facts: z.object({
    trainRows: z.number().int(),
    testRows: z.number().int().nullable(),
    classes: z.number().int(),
    meanTextLength: z.number().nullable(),
    inputColumns: z.number().int(),
  }),
  targets: z.array(targetSchema),
  dataChecks: z.array(targetDataCheckSchema),
  maxLatencyMs: z.number().nullable(),
  maxModelSizeMB: z.number().nullable(),
  /** The need's task disagrees with the task the data makes (e.g. a number to predict for a "spam" need). */
  needsTask: taskSchema.nullable(),
  largeModel: z.boolean(),
});
export type AdviceView = z.infer<typeof adviceViewSchema>;

export const sampleIds = ['support-tickets-en', 'support-tickets-zh', 'sentiment-en', 'sentiment-zh', 'churn'] as const;
export const sampleIdSchema = z.enum(sampleIds);
export type SampleId = z.infer<typeof sampleIdSchema>;

export const sampleInfoSchema = z.object({
  id: sampleIdSchema,
  name: localizedTextSchema,
  description: localizedTextSchema,
  scenario: scenarioSchema,
  rows: z.number().int(),
  language: z.enum(['en', 'zh-CN', 'none']),
});
export type SampleInfo = z.infer<typeof sampleInfoSchema>;

const projectRef = { projectId: projectIdSchema };

export const needsChannels = {
  'needs:get': { payload: z.object(projectRef).strict(), result: needsViewSchema },
  /** Autosave of the Needs step: merges the patch, writes project.json and requirements.md. */
  'needs:update': { payload: z.object({ ...projectRef, patch: needsPatchSchema }).strict(), result: needsViewSchema },
  /** The catalog ranked for this need and this data, with reasons, and whether the data can measure each target. */
  'advisor:rank': { payload: z.object(projectRef).strict(), result: adviceViewSchema },
  /** What a large model would take; defaults from the project's data when no assumptions are given. */
  'planner:estimate': {
    payload: z.object({ projectId: projectIdSchema.optional(), assumptions: plannerAssumptionsSchema.optional() }).strict(),
    result: plannerViewSchema,
  },
  'samples:list': { payload: z.undefined(), result: z.array(sampleInfoSchema) },
  /** Creates a project and imports a bundled sample data set into it through the data core. */
  'projects:createFromSample': {
    payload: z.object({ sampleId: sampleIdSchema, name: projectNameSchema.optional() }).strict(),
    result: projectSchema,
  },
} as const;
