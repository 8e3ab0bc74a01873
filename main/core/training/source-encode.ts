/**
 * The last pass over a project's source: every training and validation row encoded with the
 * fitted preprocessing and handed to a sink (the run's cache files, or a sample in memory for
 * estimates), in file order, exactly the rows prepareData would encode. Test rows are skipped as
 * soon as their split is known: they never reach an encoder.
 */
import type { Row } from '../../contract/data';
import type { JobControl } from '../data/byte-source';
import { scanPlanned, type SplitPlan } from '../data/split-plan';
import { TEST, VALIDATION } from '../data/split';
import { hasLabel, type InputPlan, type RowEncoder } from './preprocessing-fit';
import { RowPicker, pickedRows, type SourceFit } from './source-fit';
import type { DataFingerprint } from './training-data';

export type EncodedSide = 'train' | 'validation';

/**
 * Streams the rows to `onRow` with the split each goes to. `fingerprint`, when given, gets the
 * validation split's rows after their count (it already has the training rows from fitSource).
 */
export async function encodeSource(
  split: SplitPlan,
  plan: InputPlan,
  encoder: RowEncoder,
  fit: SourceFit,
  columns: readonly string[],
  onRow: (side: EncodedSide, row: Row) => void,
  options: { fingerprint?: DataFingerprint | null; control?: JobControl } = {},
): Promise<void> {
  const fingerprint = options.fingerprint ?? null;
  fingerprint?.section('validation', split.counts.validation);
  // A validation class never seen in training cannot be predicted; it is left out of the score.
  const scorable = (row: Row) => plan.regression || encoder.answer(row) >= 0;
  let j = 0;
  await scanPlanned(
    split,
    pickedRows(new RowPicker(columns), (row, s) => {
      if (s === TEST) return;
      if (s === VALIDATION) {
        fingerprint?.row(row);
        if (hasLabel(plan, row) && scorable(row)) onRow('validation', row);
        return;
      }
      if (!hasLabel(plan, row)) return;
      if (!fit.held || !fit.held[j++]) onRow('train', row);
      else if (scorable(row)) onRow('validation', row);
    }),
    options.control,
  );
}
