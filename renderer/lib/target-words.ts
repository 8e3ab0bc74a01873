import type { Target, TargetMetric } from '../../main/contract/needs';
import type { TargetDataCheck } from '../../main/contract/needs-channels';
import { t } from '../i18n/i18n.svelte';
import { formatCount } from './training-format';

/** The glossary entry of each metric, for its hover hint. */
export const metricGlossary: Record<TargetMetric, 'accuracy' | 'macroF1' | 'precision' | 'recall' | 'f1' | 'mae' | 'rmse' | 'r2'> = {
  accuracy: 'accuracy',
  macro_f1: 'macroF1',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  mae: 'mae',
  rmse: 'rmse',
  r2: 'r2',
};

export const isPerClass = (metric: TargetMetric): boolean => metric === 'precision' || metric === 'recall' || metric === 'f1';
export const isRegressionMetric = (metric: TargetMetric): boolean => metric === 'mae' || metric === 'rmse' || metric === 'r2';

/** "Recall of “spam”", "Accuracy". */
export function metricLabel(target: Pick<Target, 'metric' | 'label'>): string {
  const name = t(`metric.${target.metric}`);
  return target.label && isPerClass(target.metric) ? t('target.of', { metric: name, label: target.label }) : name;
}

/** "Recall of “spam” at least 0.95". */
export function describeTarget(target: Target): string {
  return t('target.describe', {
    metric: metricLabel(target),
    direction: target.direction === 'at_least' ? t('needs.targets.atLeast') : t('needs.targets.atMost'),
    threshold: target.threshold,
  });
}

/** A data check in words (the "all" wording when the check is not about one class). */
export function describeCheck(check: TargetDataCheck): string {
  const params = Object.fromEntries(Object.entries(check.params).map(([k, v]) => [k, typeof v === 'number' ? formatCount(v) : v]));
  if ((check.code === 'too_few_test' || check.code === 'too_few_train') && !params.label) return t(`check.${check.code}.all`, params);
  return t(`check.${check.code}`, params);
}
