import { describe, expect, it } from 'vitest';
import { projectNeedsSchema, targetSchema, type Target } from '../../../main/contract/needs';
import { actualFor, allTargetsMet, checkTargets, meets } from '../../../main/core/needs/targets';

const perClass = [
  { label: 'ham', precision: 0.9, recall: 0.8, f1: 0.847 },
  { label: 'spam', precision: 0.96, recall: 0.94, f1: 0.95 },
];

describe('checkTargets', () => {
  it('checks per-class recall and precision of a named class', () => {
    const targets: Target[] = [
      { id: 't1', metric: 'recall', label: 'spam', threshold: 0.95, direction: 'at_least' },
      { id: 't2', metric: 'precision', label: 'spam', threshold: 0.95, direction: 'at_least' },
    ];
    expect(checkTargets(targets, { accuracy: 0.9, perClass })).toEqual([
      { targetId: 't1', met: false, actual: 0.94, status: 'missed' },
      { targetId: 't2', met: true, actual: 0.96, status: 'met' },
    ]);
  });

  it('averages a per-class metric over classes when no class is named', () => {
    const [check] = checkTargets([{ id: 'a', metric: 'recall', threshold: 0.85, direction: 'at_least' }], { perClass });
    expect(check.actual).toBeCloseTo(0.87, 10);
    expect(check.met).toBe(true);
  });

  it('reads macro F1 in either spelling, or from the classes', () => {
    const target: Target = { id: 'm', metric: 'macro_f1', threshold: 0.8, direction: 'at_least' };
    expect(actualFor(target, { macroF1: 0.81 })).toBe(0.81);
    expect(actualFor(target, { macro_f1: 0.79 })).toBe(0.79);
    expect(actualFor(target, { perClass })).toBeCloseTo((0.847 + 0.95) / 2, 10);
  });

  it('checks "at most" targets for errors', () => {
    const targets: Target[] = [
      { id: 'mae', metric: 'mae', threshold: 3, direction: 'at_most' },
      { id: 'r2', metric: 'r2', threshold: 0.7, direction: 'at_least' },
    ];
    expect(checkTargets(targets, { mae: 3, rmse: 4.1, r2: 0.65 }).map((c) => c.status)).toEqual(['met', 'missed']);
  });

  it('meets a threshold equal to the score despite floating-point noise', () => {
    expect(meets(0.1 + 0.2, { threshold: 0.3, direction: 'at_most' })).toBe(true);
    expect(meets(0.95 - 1e-12, { threshold: 0.95, direction: 'at_least' })).toBe(true);
    expect(meets(0.949, { threshold: 0.95, direction: 'at_least' })).toBe(false);
  });

  it('reports unknown, not met, for a class or metric the run does not have', () => {
    const checks = checkTargets(
      [
        { id: 'x', metric: 'recall', label: 'urgent', threshold: 0.5, direction: 'at_least' },
        { id: 'y', metric: 'mae', threshold: 1, direction: 'at_most' },
      ],
      { accuracy: 0.9, perClass },
    );
    expect(checks).toEqual([
      { targetId: 'x', met: false, actual: null, status: 'unknown' },
      { targetId: 'y', met: false, actual: null, status: 'unknown' },
    ]);
    expect(allTargetsMet(checks)).toBe(false);
    expect(allTargetsMet([])).toBe(false);
  });
});

describe('needs schema', () => {
  it('fills an empty section with defaults', () => {
    const needs = projectNeedsSchema.parse({});
    expect(needs).toMatchObject({ goal: '', scenario: null, task: null, targets: [], privacyAcknowledged: false });
    expect(needs.costs).toEqual({ falsePositive: 'medium', falseNegative: 'medium', falsePositiveNote: '', falseNegativeNote: '' });
  });

  it('refuses unknown metrics and directions', () => {
    expect(targetSchema.safeParse({ id: 'a', metric: 'auc', threshold: 1, direction: 'at_least' }).success).toBe(false);
    expect(targetSchema.safeParse({ id: 'a', metric: 'mae', threshold: 1, direction: 'below' }).success).toBe(false);
    expect(targetSchema.safeParse({ id: 'a b', metric: 'mae', threshold: 1, direction: 'at_most' }).success).toBe(false);
  });
});
