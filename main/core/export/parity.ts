/**
 * The parity check: after an export, the exported file is loaded again from disk and scores the
 * same rows as the run it came from; the two answers are compared. Same weights, same recipe
 * code, same backend: they should agree to the last bit, and the UI says so, or shows by how much
 * and on which rows they differ.
 */
import type { Row } from '../../contract/data';
import type { ModelSource, ParityResult, Prediction, PredictResponse } from '../../contract/export';

/** Differences at or below this are float noise between compute backends, not a different model. */
export const PARITY_TOLERANCE = 1e-6;

const MAX_EXAMPLES = 10;

/** How one prediction differs from another: the largest absolute difference of its numbers. */
function absDiff(a: Prediction, b: Prediction): number {
  if (typeof a.prediction === 'number' && typeof b.prediction === 'number') return Math.abs(a.prediction - b.prediction);
  const pa = a.probabilities ?? [];
  const pb = b.probabilities ?? [];
  if (pa.length !== pb.length) return Infinity;
  let max = 0;
  for (let k = 0; k < pa.length; k++) max = Math.max(max, Math.abs(pa[k] - pb[k]));
  return max;
}

/**
 * Compares two answer lists row by row. A regression row "disagrees" when its values differ
 * by more than the tolerance (relative to the value's size); a class row when the label differs.
 */
export function comparePredictions(inApp: readonly Prediction[], bundle: readonly Prediction[], tolerance = PARITY_TOLERANCE): ParityResult {
  if (inApp.length !== bundle.length) throw new Error(`parity: ${inApp.length} in-app answers but ${bundle.length} from the file`);
  let maxAbsDiff = 0;
  let disagreements = 0;
  let identical = true;
  const examples: ParityResult['examples'] = [];
  for (let i = 0; i < inApp.length; i++) {
    const a = inApp[i];
    const b = bundle[i];
    const diff = absDiff(a, b);
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    const regression = typeof a.prediction === 'number';
    const disagrees = regression ? diff > tolerance * Math.max(1, Math.abs(a.prediction as number)) : a.prediction !== b.prediction;
    if (disagrees) disagreements++;
    if (diff !== 0 || a.prediction !== b.prediction) {
      identical = false;
      if (examples.length < MAX_EXAMPLES && (disagrees || diff > tolerance)) examples.push({ row: i, inApp: a, bundle: b, absDiff: diff });
    }
  }
  return {
    rows: inApp.length,
    identical,
    maxAbsDiff,
    labelDisagreements: disagreements,
    tolerance,
    withinTolerance: disagreements === 0 && maxAbsDiff <= tolerance * Math.max(1, largestValue(inApp)),
    examples,
  };
}

function largestValue(predictions: readonly Prediction[]): number {
  let max = 0;
  for (const p of predictions) if (typeof p.prediction === 'number') max = Math.max(max, Math.abs(p.prediction));
  return max;
}

/** Scores rows with a model; the app passes its compute worker's `predict` (loading afresh). */
export type PredictFn = (request: { source: ModelSource; rows: Row[]; cleaned?: boolean; fresh?: boolean }) => Promise<PredictResponse>;

export interface ParityRequest {
  /** The run the file was exported from. */
  runDir: string;
  /** The exported `.mpmodel`. */
  bundlePath: string;
  /** Rows to score, e.g. the test split. */
  rows: Row[];
  /** The rows already went through the cleaning recipe (the prepared test split). */
  cleaned?: boolean;
  tolerance?: number;
}

/**
 * Scores `rows` with the run's model and with the exported file (both loaded afresh, not from a
 * cache), and compares the answers.
 */
export async function checkParity(predict: PredictFn, request: ParityRequest): Promise<ParityResult> {
  const common = { rows: request.rows, cleaned: request.cleaned ?? false, fresh: true };
  const inApp = await predict({ ...common, source: { kind: 'run', runDir: request.runDir } });
  const bundle = await predict({ ...common, source: { kind: 'bundle', path: request.bundlePath } });
  return comparePredictions(inApp.predictions, bundle.predictions, request.tolerance);
}
