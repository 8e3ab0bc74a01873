/**
 * What fine-tuning or training a large model would take, as plain arithmetic on editable
 * assumptions. Every constant is a rule of thumb, named and explained, and shown in the UI.
 */
import type { GpuPreset, Plan, PlannerAssumptions } from '../../contract/planner';

/**
 * Training FLOPs per parameter per token: a forward pass is ~2 (one multiply-add per weight),
 * the backward pass ~4 (gradients for activations and for weights): 6 · N · T in all
 * (Kaplan et al. 2020). LoRA skips the frozen weights' gradients: ~4 · N · T.
 */
export const FLOPS_PER_PARAM_TOKEN = { full: 6, lora: 4 } as const;

/**
 * Bytes held per parameter while training with Adam in mixed precision: 16-bit weights (2) and
 * gradients (2), plus 32-bit master weights (4) and Adam's two moments (4 + 4) = 16. LoRA keeps
 * the frozen 16-bit weights (2) and a small share for the adapters and their optimizer state.
 */
export const TRAINING_BYTES_PER_PARAM = { full: 16, lora: 2.4 } as const;

/** Activations kept for the backward pass, as a share of the above (batch and length vary it a lot). */
export const ACTIVATION_SHARE = 0.3;

/** Serving adds the attention (KV) cache and the runtime: ~20% over the weights. */
export const SERVING_OVERHEAD = 0.2;

const GB = 1e9;

/** The plan for these assumptions. Pure: the same inputs always give the same numbers. */
export function planLargeModel(a: PlannerAssumptions): Plan {
  const params = a.paramsBillions * 1e9;
  const tokens = a.examples * a.tokensPerExample * a.epochs;
  const flopsPerParamToken = FLOPS_PER_PARAM_TOKEN[a.method];
  const flops = flopsPerParamToken * params * tokens;
  const trainingBytesPerParam = TRAINING_BYTES_PER_PARAM[a.method];
  const trainingMemoryGB = (params * trainingBytesPerParam * (1 + ACTIVATION_SHARE)) / GB;
  const servingMemoryGB = (params * a.servingBytesPerParam * (1 + SERVING_OVERHEAD)) / GB;
  const effectiveFlopsPerSecond = a.gpu.tflops * 1e12 * a.utilization;
  const computeGpuHours = flops / effectiveFlopsPerSecond / 3600;
  const trainingGpus = Math.max(1, Math.ceil(trainingMemoryGB / a.gpu.memoryGB));
  const gpuHours = computeGpuHours + (a.overheadHours ?? 0) * trainingGpus;
  return {
    params,
    tokens,
    flopsPerParamToken,
    flops,
    trainingBytesPerParam,
    activationShare: ACTIVATION_SHARE,
    trainingMemoryGB,
    servingMemoryGB,
    servingOverhead: SERVING_OVERHEAD,
    trainingGpus,
    servingGpus: Math.max(1, Math.ceil(servingMemoryGB / a.gpu.memoryGB)),
    effectiveFlopsPerSecond,
    computeGpuHours,
    gpuHours,
    wallClockHours: gpuHours / trainingGpus,
    cost: gpuHours * a.gpu.pricePerHour,
  };
}

/**
 * GPU presets: peak dense 16-bit tensor throughput from the makers' data sheets, memory, and a
 * typical on-demand cloud price (they vary a lot by provider: edit them).
 */
export const GPU_PRESETS: readonly GpuPreset[] = [
  { id: 't4', name: 'NVIDIA T4', tflops: 65, memoryGB: 16, pricePerHour: 0.5 },
  { id: 'l4', name: 'NVIDIA L4', tflops: 121, memoryGB: 24, pricePerHour: 0.8 },
  { id: 'rtx4090', name: 'NVIDIA RTX 4090', tflops: 165, memoryGB: 24, pricePerHour: 0.5 },
  { id: 'a10g', name: 'NVIDIA A10G', tflops: 125, memoryGB: 24, pricePerHour: 1.0 },
  { id: 'a100-80', name: 'NVIDIA A100 80GB', tflops: 312, memoryGB: 80, pricePerHour: 2.5 },
  { id: 'h100', name: 'NVIDIA H100 SXM', tflops: 989, memoryGB: 80, pricePerHour: 4.0 },
];

/** Model sizes the UI offers as one-click choices, in billions of parameters. */
export const MODEL_SIZE_PRESETS = [0.125, 1, 3, 7, 13, 70] as const;

/** A sensible start: a 7B model fine-tuned with LoRA on the project's examples, on one A100. */
export function defaultAssumptions(examples = 10_000, tokensPerExample = 200): PlannerAssumptions {
  const a100 = GPU_PRESETS.find((g) => g.id === 'a100-80')!;
  return {
    paramsBillions: 7,
    method: 'lora',
    examples: Math.max(1, Math.round(examples)),
    tokensPerExample: Math.max(1, Math.round(tokensPerExample)),
    epochs: 3,
    gpu: { id: a100.id, tflops: a100.tflops, memoryGB: a100.memoryGB, pricePerHour: a100.pricePerHour },
    utilization: 0.35,
    servingBytesPerParam: 2,
    overheadHours: 1,
  };
}

/**
 * Tokens in a text, roughly: English averages ~4 characters per token; Chinese ~1.5 characters
 * per token in current tokenizers. `cjkShare` is the share of CJK characters.
 */
export function tokensForChars(chars: number, cjkShare = 0): number {
  return chars * ((1 - cjkShare) / 4 + cjkShare / 1.5);
}
