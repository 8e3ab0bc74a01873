import type { StepId } from '../../main/contract/schemas';

/**
 * The wizard's steps in order, numbered from 1. Kept here rather than importing `stepIds` from
 * the contract so the renderer bundle does not pull in zod; `satisfies` keeps the two in sync.
 */
const stepNumbers = {
  needs: 1,
  data: 2,
  model: 3,
  training: 4,
  evaluation: 5,
  deployment: 6,
} as const satisfies Record<StepId, number>;

export const steps = Object.keys(stepNumbers) as StepId[];

export function stepNumber(id: StepId): number {
  return stepNumbers[id];
}

/** The step after `id`, or null for the last one. */
export function nextStep(id: StepId): StepId | null {
  return steps[steps.indexOf(id) + 1] ?? null;
}
