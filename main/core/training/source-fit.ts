/**
 * Fits a model's preprocessing on a project's training rows as they stream from its source file
 * (split-plan.ts gives each cleaned row its split): the same rows, the same order and the same
 * fitting as prepareData on rows in memory. When the split keeps no validation rows, a first pass
 * counts the labelled training rows so the seeded hold-out can pick the same rows prepareData
 * would; the hold-out costs one byte per labelled training row.
 */
import type { Cell, Row } from '../../contract/data';
import type { TrainingConfig } from '../../contract/training';
import type { JobControl } from '../data/byte-source';
import { scanPlanned, type PlannedSink, type SplitPlan } from '../data/split-plan';
import { TRAIN, VALIDATION } from '../data/split';
import { holdOut } from './prepare';
import { PreprocessingFitter, hasLabel, labelText, type InputPlan } from './preprocessing-fit';
import type { Preprocessing } from './preprocessing';
import type { DataFingerprint } from './training-data';

/** Picks the columns training reads out of a cleaned row, as a small Row. */
export class RowPicker {
  private idx: number[] = [];

  constructor(private readonly columns: readonly string[]) {}

  onColumns(names: readonly string[]): void {
    this.idx = this.columns.map((c) => names.indexOf(c));
  }

  row(cells: readonly (Cell | undefined)[]): Row {
    const row: Row = {};
    for (let k = 0; k < this.columns.length; k++) row[this.columns[k]] = this.idx[k] < 0 ? null : (cells[this.idx[k]] ?? null);
    return row;
  }
}

/** A sink over the picked rows of one pass. */
export function pickedRows(picker: RowPicker, onRow: (row: Row, split: number) => void): PlannedSink {
  return { onColumns: (names) => picker.onColumns(names), onRow: (cells, split) => onRow(picker.row(cells), split) };
}

export interface SourceFit {
  preprocessing: Preprocessing;
  /** Per labelled training row, in file order: 1 when held out for validation; null when the split has validation rows. */
  held: Uint8Array | null;
  /** Rows training and validation will get (validation: only classes training has). */
  trainRows: number;
  validationRows: number;
}

/**
 * Fits on the training rows (see the module note). `fingerprint`, when given, is fed the training
 * rows in order, after their count (the validation rows follow in the encoding pass).
 */
export async function fitSource(
  split: SplitPlan,
  plan: InputPlan,
  columns: readonly string[],
  config: TrainingConfig,
  options: { fitted?: Preprocessing; fingerprint?: DataFingerprint | null; control?: JobControl } = {},
): Promise<SourceFit> {
  const picker = new RowPicker(columns);
  let held: Uint8Array | null = null;
  if (split.counts.validation === 0) {
    let labelled = 0;
    await scanPlanned(split, pickedRows(picker, (row, s) => (labelled += s === TRAIN && hasLabel(plan, row) ? 1 : 0)), options.control);
    held = holdOut(labelled, config);
  }
  const fingerprint = options.fingerprint ?? null;
  fingerprint?.section('train', split.counts.train);
  const fitter = new PreprocessingFitter(plan, options.fitted);
  // Validation rows per class, to count those whose class training has once the classes are known.
  const validation = new Map<string, number>();
  const validate = (row: Row) => {
    const key = plan.regression ? '' : labelText(row, plan.label);
    validation.set(key, (validation.get(key) ?? 0) + 1);
  };
  let j = 0;
  await scanPlanned(
    split,
    pickedRows(picker, (row, s) => {
      if (s === VALIDATION && hasLabel(plan, row)) validate(row);
      if (s !== TRAIN) return;
      fingerprint?.row(row);
      if (!hasLabel(plan, row)) return;
      if (held && held[j++]) validate(row);
      else fitter.add(row);
    }),
    options.control,
  );
  const preprocessing = fitter.finish();
  const known = plan.regression ? null : new Set(preprocessing.labels);
  let validationRows = 0;
  for (const [key, n] of validation) if (!known || known.has(key)) validationRows += n;
  return { preprocessing, held, trainRows: fitter.rows, validationRows };
}
