/**
 * Targets ModelPilot suggests from the task and the cost of each kind of mistake, each with the
 * reason code the UI words ("blocking a real email is costly -> precision of spam >= 0.95").
 */
import type { CostLevel, ProjectNeeds, Target, TargetMetric } from '../../contract/needs';
import type { TargetSuggestion } from '../../contract/needs-channels';

const rank: Record<CostLevel, number> = { low: 0, medium: 1, high: 2 };

function target(id: string, metric: TargetMetric, threshold: number, label?: string): Target {
  return { id, metric, threshold, direction: metric === 'mae' || metric === 'rmse' ? 'at_most' : 'at_least', ...(label ? { label } : {}) };
}

/**
 * Suggestions for the need as it stands. `classes` are the data's classes when it has been
 * imported (the focus class is only suggested per class when the data has it, or has no classes yet).
 * `labelSpread` is the regression target's standard deviation, for an MAE in its own units.
 */
export function suggestTargets(needs: ProjectNeeds, classes: readonly string[] = [], labelSpread?: number): TargetSuggestion[] {
  if (!needs.task) return [];
  if (needs.task === 'tabular-regression') {
    const out: TargetSuggestion[] = [{ target: target('suggest-r2', 'r2', 0.7), reason: 'regression_fit' }];
    // Half the spread of the answers: clearly better than always guessing the average.
    if (labelSpread && labelSpread > 0) out.push({ target: target('suggest-mae', 'mae', roundNice(labelSpread / 2)), reason: 'regression_error' });
    return out;
  }
  const focus = needs.focusLabel.trim();
  const focusKnown = focus !== '' && (classes.length === 0 || classes.includes(focus));
  const fp = rank[needs.costs.falsePositive];
  const fn = rank[needs.costs.falseNegative];
  const out: TargetSuggestion[] = [];
  if (focusKnown && fp > fn) out.push({ target: target('suggest-precision', 'precision', 0.95, focus), reason: 'fp_costly' });
  else if (focusKnown && fn > fp) out.push({ target: target('suggest-recall', 'recall', 0.95, focus), reason: 'fn_costly' });
  else if (focusKnown && fp === 2 && fn === 2) out.push({ target: target('suggest-f1', 'f1', 0.9, focus), reason: 'both_costly' });
  if (classes.length > 2) out.push({ target: target('suggest-macro-f1', 'macro_f1', 0.8), reason: 'many_classes' });
  out.push({ target: target('suggest-accuracy', 'accuracy', 0.85), reason: 'balanced' });
  return out;
}

/** Two significant digits: a threshold a person would write (1234 -> 1200, 0.4567 -> 0.46). */
export function roundNice(value: number): number {
  return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(2)) : value;
}
