import { describe, expect, it } from 'vitest';
import { plannerAssumptionsSchema, type PlannerAssumptions } from '../../../main/contract/planner';
import { defaultAssumptions, GPU_PRESETS, planLargeModel, tokensForChars } from '../../../main/core/planner/plan';

const a100 = { id: 'a100-80', tflops: 312, memoryGB: 80, pricePerHour: 2 } as const;

function assumptions(overrides: Partial<PlannerAssumptions> = {}): PlannerAssumptions {
  return {
    paramsBillions: 7,
    method: 'full',
    examples: 1_000_000,
    tokensPerExample: 500,
    epochs: 2,
    gpu: a100,
    utilization: 0.4,
    servingBytesPerParam: 2,
    overheadHours: 0,
    ...overrides,
  };
}

describe('planLargeModel (numbers worked out by hand)', () => {
  it('full fine-tuning of 7B parameters on 1 billion tokens', () => {
    const plan = planLargeModel(assumptions());
    // tokens = 1,000,000 examples × 500 tokens × 2 passes = 1e9
    expect(plan.tokens).toBe(1e9);
    expect(plan.params).toBe(7e9);
    // FLOPs = 6 × 7e9 × 1e9 = 4.2e19
    expect(plan.flops).toBe(4.2e19);
    // one A100 really does 312e12 × 0.4 = 1.248e14 FLOP/s
    expect(plan.effectiveFlopsPerSecond).toBeCloseTo(1.248e14, 0);
    // 4.2e19 / 1.248e14 = 336,538.46 s = 93.483 GPU-hours; × $2 = $186.97
    expect(plan.gpuHours).toBeCloseTo(93.483, 3);
    expect(plan.cost).toBeCloseTo(186.97, 2);
    // training memory = 7e9 × 16 B × 1.3 = 145.6 GB -> 2 GPUs of 80 GB; 46.7415 h on both
    expect(plan.trainingMemoryGB).toBeCloseTo(145.6, 6);
    expect(plan.trainingGpus).toBe(2);
    expect(plan.wallClockHours).toBeCloseTo(46.7415, 3);
    // serving = 7e9 × 2 B × 1.2 = 16.8 GB -> 1 GPU
    expect(plan.servingMemoryGB).toBeCloseTo(16.8, 6);
    expect(plan.servingGpus).toBe(1);
  });

  it('LoRA: 4 FLOPs per parameter-token and the frozen weights in 16 bits', () => {
    const plan = planLargeModel(assumptions({ method: 'lora' }));
    expect(plan.flops).toBe(2.8e19); // 4 × 7e9 × 1e9
    expect(plan.gpuHours).toBeCloseTo(62.322, 3); // 2.8e19 / 1.248e14 / 3600
    expect(plan.trainingMemoryGB).toBeCloseTo(21.84, 6); // 7e9 × 2.4 B × 1.3
    expect(plan.trainingGpus).toBe(1);
  });

  it('a 70B model served in 4 bits on 24 GB cards', () => {
    const plan = planLargeModel(assumptions({ paramsBillions: 70, servingBytesPerParam: 0.5, gpu: { id: 'custom', tflops: 100, memoryGB: 24, pricePerHour: 1 } }));
    expect(plan.servingMemoryGB).toBeCloseTo(42, 6); // 70e9 × 0.5 × 1.2
    expect(plan.servingGpus).toBe(2);
    expect(plan.trainingMemoryGB).toBeCloseTo(1456, 6); // 70e9 × 16 × 1.3
    expect(plan.trainingGpus).toBe(61); // ceil(1456 / 24)
  });

  it('has sensible defaults and valid presets', () => {
    const start = defaultAssumptions(2000, 50);
    expect(plannerAssumptionsSchema.safeParse(start).success).toBe(true);
    expect(start.examples).toBe(2000);
    expect(GPU_PRESETS.map((g) => g.id)).toContain(start.gpu.id);
    const plan = planLargeModel(start);
    // 4 × 7e9 × (2000 × 50 × 3) = 8.4e15 FLOPs; 312e12 × 0.35 = 1.092e14 FLOP/s -> 76.92 s
    expect(plan.flops).toBe(8.4e15);
    expect(plan.computeGpuHours * 3600).toBeCloseTo(76.923, 3);
    // plus 1 hour of setup on the one GPU it needs (7e9 × 2.4 × 1.3 = 21.84 GB): 1.02137 GPU-hours, × $2.5
    expect(plan.trainingGpus).toBe(1);
    expect(plan.gpuHours).toBeCloseTo(1 + 76.923 / 3600, 5);
    expect(plan.cost).toBeCloseTo(2.5534, 4);
  });

  it('adds the setup hours on every GPU the training needs', () => {
    const plan = planLargeModel(assumptions({ overheadHours: 2 }));
    // 93.483 compute GPU-hours + 2 h × 2 GPUs = 97.483; wall clock 48.7415 h; × $2 = $194.97
    expect(plan.gpuHours).toBeCloseTo(97.483, 3);
    expect(plan.wallClockHours).toBeCloseTo(48.7415, 3);
    expect(plan.cost).toBeCloseTo(194.97, 2);
  });

  it('counts tokens roughly: 4 English characters or 1.5 Chinese characters a token', () => {
    expect(tokensForChars(400)).toBe(100);
    expect(tokensForChars(300, 1)).toBe(200);
  });
});
