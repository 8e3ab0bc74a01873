/**
 * Acceptance targets against a run's scores: pure functions the Evaluation step, the model card
 * and the CLI share, so "met" means the same everywhere.
 */
import type { Target, TargetCheck, TargetMetric, TargetMetricsInput } from '../../contract/needs';

// Scores are rounded for display; a score shown as 0.95 must meet "at least 0.95".
const TOLERANCE = 1e-9;

/** The score a target is about, or null when these metrics do not have it. */
export function actualFor(target: Pick<Target, 'metric' | 'label'>, metrics: TargetMetricsInput): number | null {
  const value = pick(target.metric, target.label, metrics);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function pick(metric: TargetMetric, label: string | undefined, m: TargetMetricsInput): number | undefined {
  switch (metric) {
    case 'accuracy':
    case 'mae':
    case 'rmse':
    case 'r2':
      return m[metric];
    case 'macro_f1':
      return m.macroF1 ?? m.macro_f1 ?? (m.perClass?.length ? mean(m.perClass.map((c) => c.f1)) : undefined);
    case 'precision':
    case 'recall':
    case 'f1': {
      if (!m.perClass?.length) return metric === 'f1' && label === undefined ? (m.macroF1 ?? m.macro_f1) : undefined;
      // Without a class, the unweighted mean over classes (every class counts the same).
      if (label === undefined) return mean(m.perClass.map((c) => c[metric]));
      return m.perClass.find((c) => c.label === label)?.[metric];
    }
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Whether a score meets a threshold in the target's direction. */
export function meets(actual: number, target: Pick<Target, 'threshold' | 'direction'>): boolean {
  return target.direction === 'at_least' ? actual >= target.threshold - TOLERANCE : actual <= target.threshold + TOLERANCE;
}

/**
 * Checks every target against a run's metrics, in the targets' order. A target the metrics cannot
 * score (a class the model never saw, MAE of a classifier) is `unknown` and not met.
 */
export function checkTargets(targets: readonly Target[], metrics: TargetMetricsInput): TargetCheck[] {
  return targets.map((target) => {
    const actual = actualFor(target, metrics);
    if (actual === null) return { targetId: target.id, met: false, actual: null, status: 'unknown' };
    const met = meets(actual, target);
    return { targetId: target.id, met, actual, status: met ? 'met' : 'missed' };
  });
}

/** True when every target is met (and there is at least one). */
export function allTargetsMet(checks: readonly TargetCheck[]): boolean {
  return checks.length > 0 && checks.every((c) => c.met);
}
