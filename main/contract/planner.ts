/**
 * The large-model planner's inputs and outputs: what fine-tuning or training a large model would
 * take (parameters, tokens, compute, GPU memory, GPU-hours, cost) from editable assumptions.
 * The arithmetic lives in main/core/planner/; every figure it derives is in the result so the UI
 * can show the formula beside the number.
 */
import { z } from 'zod';

export const gpuPresetIds = ['t4', 'l4', 'rtx4090', 'a10g', 'a100-80', 'h100'] as const;
export const gpuPresetIdSchema = z.enum(gpuPresetIds);
export type GpuPresetId = z.infer<typeof gpuPresetIdSchema>;

export const gpuSchema = z.object({
  /** A preset's id, or 'custom' once the user edits a figure. */
  id: z.union([gpuPresetIdSchema, z.literal('custom')]),
  /** Peak dense 16-bit throughput, in TFLOPS (10^12 operations a second). */
  tflops: z.number().positive().max(100_000),
  memoryGB: z.number().positive().max(10_000),
  /** Rental price per GPU per hour, in US dollars. */
  pricePerHour: z.number().nonnegative().max(10_000),
});
export type Gpu = z.infer<typeof gpuSchema>;

/** Full fine-tuning updates every weight; LoRA trains small adapters beside frozen weights. */
export const plannerMethodSchema = z.enum(['full', 'lora']);
export type PlannerMethod = z.infer<typeof plannerMethodSchema>;

export const plannerAssumptionsSchema = z.object({
  /** Model parameters, in billions. */
  paramsBillions: z.number().positive().max(10_000),
  method: plannerMethodSchema,
  /** Training examples, their average length in tokens, and passes over them. */
  examples: z.number().int().positive().max(1e12),
  tokensPerExample: z.number().positive().max(1e7),
  epochs: z.number().positive().max(1000),
  gpu: gpuSchema,
  /** Share of the GPU's peak a real training run achieves (model FLOPs utilization), 0.05-1. */
  utilization: z.number().min(0.01).max(1),
  /** Bytes per parameter when serving: 2 (16-bit), 1 (8-bit), 0.5 (4-bit). */
  servingBytesPerParam: z.number().positive().max(8),
  /** Hours each GPU spends beyond the arithmetic: setting up, loading the weights, evaluating. */
  overheadHours: z.number().nonnegative().max(10_000).default(1),
});
export type PlannerAssumptions = z.infer<typeof plannerAssumptionsSchema>;

export const planSchema = z.object({
  params: z.number(),
  tokens: z.number(),
  /** FLOPs per parameter per token: 6 for full training (2 forward + 4 backward), 4 for LoRA. */
  flopsPerParamToken: z.number(),
  flops: z.number(),
  /** Bytes per parameter held while training (weights, gradients, optimizer state). */
  trainingBytesPerParam: z.number(),
  /** Share added for activations (a rule of thumb). */
  activationShare: z.number(),
  trainingMemoryGB: z.number(),
  servingMemoryGB: z.number(),
  /** Share added when serving for the attention cache and runtime. */
  servingOverhead: z.number(),
  /** GPUs needed to hold training, and serving, in memory. */
  trainingGpus: z.number().int(),
  servingGpus: z.number().int(),
  /** Operations a second one GPU really does: TFLOPS × 10^12 × utilization. */
  effectiveFlopsPerSecond: z.number(),
  /** GPU-hours of pure computation: FLOPs ÷ effective FLOP/s ÷ 3600. */
  computeGpuHours: z.number(),
  /** computeGpuHours + overheadHours × trainingGpus. */
  gpuHours: z.number(),
  /** Hours on `trainingGpus` GPUs working together. */
  wallClockHours: z.number(),
  cost: z.number(),
});
export type Plan = z.infer<typeof planSchema>;

export const gpuPresetSchema = gpuSchema.extend({ id: gpuPresetIdSchema, name: z.string() });
export type GpuPreset = z.infer<typeof gpuPresetSchema>;

/** The project's own small model, for the comparison: measured on this machine when it was. */
export const localModelFactsSchema = z.object({
  modelId: z.string(),
  paramCount: z.number().int().nullable(),
  memoryBytes: z.number().nullable(),
  totalSeconds: z.number().nullable(),
  trainRows: z.number().int(),
});
export type LocalModelFacts = z.infer<typeof localModelFactsSchema>;

export const plannerViewSchema = z.object({
  assumptions: plannerAssumptionsSchema,
  presets: z.array(gpuPresetSchema),
  plan: planSchema,
  local: localModelFactsSchema.nullable(),
});
export type PlannerView = z.infer<typeof plannerViewSchema>;
