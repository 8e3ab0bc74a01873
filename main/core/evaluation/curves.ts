/**
 * ROC and precision-recall curves of a score against a yes/no truth, with the area under the
 * ROC curve and the average precision; one-vs-rest for more than two classes. The definitions
 * are scikit-learn's (roc_curve / roc_auc_score with ties as one step, average_precision_score
 * without interpolation), so the numbers can be checked against it.
 */
import type { ClassCurves, CurvePoint } from '../../contract/evaluation';

/** Points a curve keeps for drawing; the areas are computed on every point first. */
export const MAX_CURVE_POINTS = 200;

interface Step {
  /** Lowest score flagged at this step: every row scoring this or more counts as "yes". */
  threshold: number;
  tp: number;
  fp: number;
}

/**
 * The cumulative counts as the threshold falls through the distinct scores, highest first.
 * Rows with equal scores enter together (one step), so ties never depend on row order.
 */
function steps(scores: readonly number[], truth: readonly boolean[]): { steps: Step[]; positives: number; negatives: number } {
  if (scores.length !== truth.length) throw new Error(`curves: ${scores.length} scores but ${truth.length} answers`);
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  const out: Step[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (truth[order[i]]) tp++;
    else fp++;
    const score = scores[order[i]];
    if (i === order.length - 1 || scores[order[i + 1]] !== score) out.push({ threshold: score, tp, fp });
  }
  return { steps: out, positives: tp, negatives: fp };
}

/** Keeps at most `max` points, evenly spread, always the first and the last. */
export function thinCurve(points: readonly CurvePoint[], max = MAX_CURVE_POINTS): CurvePoint[] {
  if (points.length <= max) return [...points];
  const out: CurvePoint[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]);
  return out;
}

/** Area under a curve of points sorted by x, by the trapezoid rule. */
function trapezoid(points: readonly CurvePoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i].x - points[i - 1].x) * (points[i].y + points[i - 1].y)) / 2;
  return area;
}

/**
 * ROC curve: false positive rate (x) against true positive rate (y) as the threshold falls, from
 * (0, 0) to (1, 1), and its area (the chance that a random positive scores above a random
 * negative, ties counting half). Null area and no points without positives or negatives.
 */
export function rocCurve(scores: readonly number[], truth: readonly boolean[]): { points: CurvePoint[]; auc: number | null } {
  const { steps: s, positives, negatives } = steps(scores, truth);
  if (positives === 0 || negatives === 0) return { points: [], auc: null };
  const points: CurvePoint[] = [{ x: 0, y: 0, threshold: 1 }, ...s.map((p) => ({ x: p.fp / negatives, y: p.tp / positives, threshold: p.threshold }))];
  return { points, auc: trapezoid(points) };
}

/**
 * Precision-recall curve: recall (x) against precision (y) as the threshold falls, starting at
 * (0, 1), and the average precision Σ (Rₖ − Rₖ₋₁)·Pₖ over the steps. Null without positives.
 */
export function precisionRecallCurve(scores: readonly number[], truth: readonly boolean[]): { points: CurvePoint[]; averagePrecision: number | null } {
  const { steps: s, positives } = steps(scores, truth);
  if (positives === 0) return { points: [], averagePrecision: null };
  const points: CurvePoint[] = [{ x: 0, y: 1, threshold: 1 }];
  let averagePrecision = 0;
  let previousRecall = 0;
  for (const p of s) {
    const recall = p.tp / positives;
    const precision = p.tp / (p.tp + p.fp);
    averagePrecision += (recall - previousRecall) * precision;
    previousRecall = recall;
    points.push({ x: recall, y: precision, threshold: p.threshold });
  }
  return { points, averagePrecision };
}

/** Both curves of one class against the rest, thinned for drawing. */
export function classCurves(label: string, scores: readonly number[], truth: readonly boolean[]): ClassCurves {
  const roc = rocCurve(scores, truth);
  const pr = precisionRecallCurve(scores, truth);
  return {
    label,
    positives: truth.filter(Boolean).length,
    roc: thinCurve(roc.points),
    auc: roc.auc,
    pr: thinCurve(pr.points),
    averagePrecision: pr.averagePrecision,
  };
}

/**
 * The curves of a classifier: for two classes, the positive (second) class's; for more, every
 * class against the rest. `probabilities[i][k]` is row i's probability of `labels[k]`.
 */
export function curvesFor(labels: readonly string[], actual: readonly string[], probabilities: readonly (readonly number[])[]): ClassCurves[] {
  const classes = labels.length === 2 ? [1] : labels.map((_, k) => k);
  return classes.map((k) =>
    classCurves(
      labels[k],
      probabilities.map((p) => p[k]),
      actual.map((a) => a === labels[k]),
    ),
  );
}
