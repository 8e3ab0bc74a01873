/**
 * The Evaluation step's channels: a run's evaluation on its test split (computed in the compute
 * worker when missing, with `evaluation:progress`), the decision threshold, the examples behind a
 * confusion-matrix cell, "try it", and the runs side by side with the one chosen to ship.
 * Spread into `channels` / `events`.
 */
import { z } from 'zod';
import { compareViewSchema, evaluationViewSchema, exampleRowSchema } from './evaluation';
import { predictionSchema, rowSchema } from './export';
import { projectIdSchema } from './schemas';
import { runIdSchema } from './training-channels';

const projectRef = { projectId: projectIdSchema };

/** Which test rows to list: a confusion-matrix cell (true class, answer), or the largest misses of a number model. */
export const exampleFilterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cell'), actual: z.string().max(1000), predicted: z.string().max(1000) }).strict(),
  z.object({ kind: z.literal('misses') }).strict(),
]);

const thresholdSchema = z.number().min(0).max(1);

export const evaluationChannels = {
  /**
   * The Evaluation step's page for a run (default: the chosen run, else the latest with a model).
   * Scores its test split first when it has no current evaluation; `evaluation:progress` follows.
   */
  'evaluation:get': { payload: z.object({ ...projectRef, runId: runIdSchema.optional() }).strict(), result: evaluationViewSchema },
  /** Saves a binary run's decision threshold (exports and predictions use it); answers with the page. */
  'evaluation:setThreshold': {
    payload: z.object({ ...projectRef, runId: runIdSchema, threshold: thresholdSchema }).strict(),
    result: evaluationViewSchema,
  },
  /** The test rows behind a filter, with the confidence of each answer (`threshold`: as the slider shows it, unsaved). */
  'evaluation:examples': {
    payload: z
      .object({ ...projectRef, runId: runIdSchema, filter: exampleFilterSchema, threshold: thresholdSchema.optional(), limit: z.number().int().min(1).max(200).default(50) })
      .strict(),
    result: z.object({ total: z.number().int(), rows: z.array(exampleRowSchema) }),
  },
  /** One answer for a text (text models) or a row of values the user typed. */
  'evaluation:tryIt': {
    payload: z
      .object({ ...projectRef, runId: runIdSchema, text: z.string().max(100_000).optional(), row: rowSchema.optional() })
      .strict()
      .refine((p) => (p.text === undefined) !== (p.row === undefined), { message: 'give a text or a row', path: ['text'] }),
    result: z.object({ labels: z.array(z.string()), prediction: predictionSchema }),
  },
  /** The project's runs side by side. */
  'evaluation:compare': { payload: z.object(projectRef).strict(), result: compareViewSchema },
  /** "Use this run": the run the Deployment step exports and serves, saved in project.json. */
  'evaluation:chooseRun': { payload: z.object({ ...projectRef, runId: runIdSchema }).strict(), result: compareViewSchema },
} as const;

export const evaluationProgressSchema = z.object({
  projectId: projectIdSchema,
  runId: runIdSchema,
  /** Test rows scored so far, of `total`. */
  done: z.number().int(),
  total: z.number().int(),
  /** Nothing scored yet because a training run holds the compute worker: scoring starts after it. */
  waiting: z.boolean(),
});
export type EvaluationProgress = z.infer<typeof evaluationProgressSchema>;

export const evaluationEvents = {
  /** Scoring a run's test split: after every chunk of rows. */
  'evaluation:progress': evaluationProgressSchema,
} as const;
