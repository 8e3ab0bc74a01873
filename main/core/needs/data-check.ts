/**
 * "Is the data big enough for this target?" — a rule of thumb, pure, shown as a warning in the
 * Model step (and the Needs step once data is in).
 *
 * The rule: a score measured on n test examples is a share, and its 95% margin of error is about
 * 1.96 · sqrt(t(1 − t) / n) around a true score t (normal approximation). For the test to tell
 * "meets t" from "misses t by 5 points" that margin must be at most 0.05, so
 *     n ≥ 1.96² · t(1 − t) / 0.05²      (at least 30; e.g. 73 examples for t = 0.95, 139 for 0.9)
 * test examples of the class a per-class target is about (for recall: examples that are that
 * class; precision counts predictions of it, about as many), or of the smallest class for accuracy
 * and macro F1 (the whole test split for accuracy). Below 1 / (1 − t) examples a single mistake
 * already misses the target. To learn a class at all, the training split should hold at least 50
 * examples of it; a number prediction at least 100 rows, and 30 test rows to measure its error.
 */
import type { Target, TargetMetric } from '../../contract/needs';
import type { TargetDataCheck } from '../../contract/needs-channels';
import type { TaskId } from '../../contract/training';

export const MARGIN = 0.05;
export const Z95 = 1.96;
export const MIN_TEST = 30;
export const MIN_TRAIN_PER_CLASS = 50;
export const MIN_TRAIN_REGRESSION = 100;

export interface SplitFacts {
  task: TaskId | null;
  counts: { train: number; validation: number; test: number };
  /** Per class: rows in each split (classification). */
  perClass: Record<string, { train: number; validation: number; test: number }> | null;
}

/** Test examples needed to measure a score near `threshold` within ±5 points (see the rule above). */
export function testExamplesNeeded(threshold: number, metric: TargetMetric): number {
  if (metric === 'mae' || metric === 'rmse' || metric === 'r2') return MIN_TEST;
  const t = Math.min(Math.max(threshold, 0), 1);
  return Math.max(MIN_TEST, Math.ceil((Z95 * Z95 * t * (1 - t)) / (MARGIN * MARGIN)));
}

const CLASS_METRICS = new Set<TargetMetric>(['accuracy', 'macro_f1', 'precision', 'recall', 'f1']);

/**
 * One finding per target, the most serious first: the wrong kind of metric for the task, a class
 * the data does not have, too few training examples, too few test examples, too coarse a test.
 */
export function checkDataForTargets(targets: readonly Target[], facts: SplitFacts): TargetDataCheck[] {
  return targets.map((target) => ({ targetId: target.id, ...checkOne(target, facts) }));
}

function checkOne(target: Target, facts: SplitFacts): Omit<TargetDataCheck, 'targetId'> {
  const regression = facts.task === 'tabular-regression';
  if (facts.task && regression === CLASS_METRICS.has(target.metric)) return { code: 'wrong_task', params: {} };
  if (regression) {
    if (facts.counts.train < MIN_TRAIN_REGRESSION) return { code: 'too_few_train', params: { have: facts.counts.train, need: MIN_TRAIN_REGRESSION } };
    if (facts.counts.test < MIN_TEST) return { code: 'too_few_test', params: { have: facts.counts.test, need: MIN_TEST } };
    return { code: 'ok', params: {} };
  }
  const classes = Object.entries(facts.perClass ?? {});
  const perClass = target.label !== undefined && target.metric !== 'accuracy' && target.metric !== 'macro_f1';
  let counts: { train: number; test: number };
  let label = '';
  if (perClass) {
    const found = classes.find(([name]) => name === target.label);
    if (classes.length > 0 && !found) return { code: 'class_missing', params: { label: target.label! } };
    counts = found ? found[1] : { train: facts.counts.train, test: facts.counts.test };
    label = target.label!;
  } else if (target.metric === 'accuracy' || classes.length === 0) {
    counts = { train: facts.counts.train, test: facts.counts.test };
    if (classes.length > 0) counts.train = Math.min(...classes.map(([, c]) => c.train));
  } else {
    // Macro scores and unlabelled per-class scores are only as sure as their smallest class.
    const [name, smallest] = classes.reduce((a, b) => (b[1].test < a[1].test ? b : a));
    counts = smallest;
    label = name;
  }
  if (classes.length > 0 && counts.train < MIN_TRAIN_PER_CLASS) {
    return { code: 'too_few_train', params: { have: counts.train, need: MIN_TRAIN_PER_CLASS, label } };
  }
  const need = testExamplesNeeded(target.threshold, target.metric);
  const share = facts.counts.test / Math.max(1, facts.counts.train + facts.counts.validation + facts.counts.test);
  if (counts.test < need) {
    // Rows of that class the whole data set needs for the test split, at today's test share.
    const total = share > 0 ? Math.ceil(need / share) : need;
    return { code: 'too_few_test', params: { have: counts.test, need, label, total, testShare: Math.round(share * 100) } };
  }
  if (target.threshold < 1 && counts.test < 1 / (1 - target.threshold)) {
    return { code: 'one_mistake_fails', params: { have: counts.test, label } };
  }
  return { code: 'ok', params: {} };
}
