/**
 * The training settings the user sees in the Training step, and the Model and Training sections
 * of project.json. Depends on zod only: schemas.ts (project.json) imports it, and training.ts
 * builds the full training config from the same fields, so there is one definition of each range.
 */
import { z } from 'zod';

export const optimizerIds = ['adam', 'sgd'] as const;
export const optimizerSchema = z.enum(optimizerIds);
export type OptimizerId = z.infer<typeof optimizerSchema>;

const positiveWeightSchema = z.number().positive().max(1000);

export const earlyStoppingSchema = z.object({
  enabled: z.boolean().default(true),
  /** Epochs without a better validation loss before training stops. */
  patience: z.number().int().min(1).max(100).default(3),
  /** Keep the best epoch's weights as the model, not the last epoch's. */
  restoreBestWeights: z.boolean().default(true),
});

/** Every setting of a run except the model and the task. Defaults apply to anything left out. */
export const trainingSettingsShape = {
  epochs: z.number().int().min(1).max(1000).default(10),
  batchSize: z.number().int().min(1).max(4096).default(32),
  learningRate: z.number().positive().max(10).default(0.001),
  optimizer: optimizerSchema.default('adam'),
  /** SGD only. */
  momentum: z.number().min(0).max(0.999).default(0.9),
  dropout: z.number().min(0).max(0.9).default(0),
  l1: z.number().min(0).max(1).default(0),
  l2: z.number().min(0).max(1).default(0),
  earlyStopping: earlyStoppingSchema.default({ enabled: true, patience: 3, restoreBestWeights: true }),
  /** 'balanced' weighs each class by rows / (classes × its rows); or explicit weights by label. */
  classWeights: z.union([z.enum(['none', 'balanced']), z.record(z.string(), positiveWeightSchema)]).default('none'),
  /** Fixes weight initialization, batch order and the held-out split. Dropout masks are not seeded. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  /** Share of the training rows held out for validation when no validation split is given. */
  validationFraction: z.number().min(0.05).max(0.5).default(0.1),
};

export const trainingSettingsSchema = z.object(trainingSettingsShape);
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;
export type TrainingSettingsInput = z.input<typeof trainingSettingsSchema>;

/**
 * project.json `model`: the model the user chose in the Model step and its knobs. The id is kept
 * as a plain string so a project from a newer app with a model this one lacks still opens (the
 * choice is then ignored and the recommendation used).
 */
export const projectModelSchema = z.object({
  modelId: z.string().min(1).max(64),
  hyperparameters: z.record(z.string(), z.number()).default({}),
  chosenAt: z.string(),
});
export type ProjectModel = z.infer<typeof projectModelSchema>;

/** project.json `training`: the Training step's settings as last edited (autosaved), and for which model. */
export const projectTrainingSchema = z.object({
  settings: trainingSettingsSchema,
  /** The model these settings were made for; another model starts from its own defaults. */
  modelId: z.string().min(1).max(64),
  updatedAt: z.string(),
});
export type ProjectTraining = z.infer<typeof projectTrainingSchema>;
