/**
 * The Needs step's section of project.json: what the business wants from the model, in the
 * user's words, and the measurable acceptance targets the Evaluation step checks every run
 * against (see `checkTargets` in main/core/needs/targets.ts). One definition gives the type and
 * the runtime check.
 */
import { z } from 'zod';
import type { TaskId } from './training';

// Its own copy of the task list: schemas.ts imports this file, and training.ts imports schemas.ts,
// so a value import of training.ts here would be a cycle. The `satisfies` keeps the two equal.
const needsTaskIds = ['text-classification', 'tabular-classification', 'tabular-regression'] as const satisfies readonly TaskId[];
const taskSchema = z.enum(needsTaskIds);
type MissingTask = Exclude<TaskId, (typeof needsTaskIds)[number]>;
const everyTask: MissingTask extends never ? true : false = true;
void everyTask;

/**
 * Metrics a target can name. `precision`, `recall` and `f1` are per class when `label` is set
 * (e.g. recall of "spam"), else the unweighted mean over classes. `mae`, `rmse`, `r2` are for
 * number predictions.
 */
export const targetMetrics = ['accuracy', 'macro_f1', 'precision', 'recall', 'f1', 'mae', 'rmse', 'r2'] as const;
export const targetMetricSchema = z.enum(targetMetrics);
export type TargetMetric = z.infer<typeof targetMetricSchema>;

/** Metrics that score one class; a target may name the class in `label`. */
export const perClassMetrics = ['precision', 'recall', 'f1'] as const satisfies readonly TargetMetric[];
/** Metrics of number predictions (regression); the rest are for classes. */
export const regressionMetrics = ['mae', 'rmse', 'r2'] as const satisfies readonly TargetMetric[];

export const targetDirectionSchema = z.enum(['at_least', 'at_most']);
export type TargetDirection = z.infer<typeof targetDirectionSchema>;

export const targetIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'not a target id' });

/** One acceptance target: "recall of spam at least 0.95", "MAE at most 3". */
export const targetSchema = z.object({
  id: targetIdSchema,
  metric: targetMetricSchema,
  /** The class a per-class metric scores (precision/recall/f1 only). */
  label: z.string().trim().min(1).max(200).optional(),
  threshold: z.number().finite(),
  direction: targetDirectionSchema,
});
export type Target = z.infer<typeof targetSchema>;

/**
 * The situations the Needs step offers, each with an example. Supported ones map to a task;
 * `image`, `recommendation` and `generation` are shown as "coming" (generation points to the
 * large-model planner).
 */
export const scenarioIds = [
  'spam',
  'ticket_routing',
  'sentiment',
  'other_text',
  'churn',
  'other_table_class',
  'price',
  'other_table_number',
  'image',
  'recommendation',
  'generation',
] as const;
export const scenarioSchema = z.enum(scenarioIds);
export type ScenarioId = z.infer<typeof scenarioSchema>;

/** How much a kind of mistake hurts the business. */
export const costLevelSchema = z.enum(['low', 'medium', 'high']);
export type CostLevel = z.infer<typeof costLevelSchema>;

export const errorCostsSchema = z.object({
  /** The model says "yes, it is <focus class>" and it is not (a real email blocked as spam). */
  falsePositive: costLevelSchema.default('medium'),
  /** The model misses a real <focus class> (a spam email reaches the inbox). */
  falseNegative: costLevelSchema.default('medium'),
  /** What each mistake costs, in the user's words. */
  falsePositiveNote: z.string().max(1000).default(''),
  falseNegativeNote: z.string().max(1000).default(''),
});
export type ErrorCosts = z.infer<typeof errorCostsSchema>;

/** project.json `needs`: the requirement sheet. Every field has a default, so `{}` is a valid (empty) sheet. */
export const projectNeedsSchema = z.object({
  /** The business goal, in the user's words. */
  goal: z.string().max(2000).default(''),
  /** What one prediction is used for (who sees it, what happens next). */
  predictionUse: z.string().max(2000).default(''),
  scenario: scenarioSchema.nullable().default(null),
  /** The task the scenario maps to; null for scenarios not supported yet. */
  task: taskSchema.nullable().default(null),
  /** The class the mistakes are about ("spam"); the positive class of precision and recall. */
  focusLabel: z.string().trim().max(200).default(''),
  costs: errorCostsSchema.default({ falsePositive: 'medium', falseNegative: 'medium', falsePositiveNote: '', falseNegativeNote: '' }),
  targets: z.array(targetSchema).max(20).default([]),
  /** Longest acceptable time for one prediction on this machine, in milliseconds. */
  maxLatencyMs: z.number().positive().max(3_600_000).optional(),
  /** Largest acceptable exported model, in megabytes. */
  maxModelSizeMB: z.number().positive().max(100_000).optional(),
  /** The need calls for knowledge the data does not hold, or for writing text: a small local model may not do. */
  needsWorldKnowledge: z.boolean().default(false),
  /** The user read that data and model stay on this machine. */
  privacyAcknowledged: z.boolean().default(false),
});
export type ProjectNeeds = z.infer<typeof projectNeedsSchema>;
export type ProjectNeedsInput = z.input<typeof projectNeedsSchema>;

/** What a run scored, as `checkTargets` reads it (keys of the Evaluation step / manifest metrics). */
export interface TargetMetricsInput {
  accuracy?: number;
  /** Either spelling is read. */
  macroF1?: number;
  macro_f1?: number;
  mae?: number;
  rmse?: number;
  r2?: number;
  perClass?: readonly { label: string; precision: number; recall: number; f1: number }[];
}

export const targetCheckSchema = z.object({
  targetId: targetIdSchema,
  /** True when the actual score meets the threshold; false when it misses or cannot be scored. */
  met: z.boolean(),
  /** The score the target is about; null when the metrics do not have it (unknown class, wrong task). */
  actual: z.number().nullable(),
  status: z.enum(['met', 'missed', 'unknown']),
});
export type TargetCheck = z.infer<typeof targetCheckSchema>;
