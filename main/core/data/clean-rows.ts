import type { Cell, RecipeStep } from '../../contract/data';
import { cellText, isMissing } from './cells';
import { hash64, KEY_SEPARATOR } from './hash64';
import { HashTable64 } from './hash-table64';
import { needsFitting, transformCell } from './recipe';
import type { RowSink } from './row-sink';

/**
 * The recipe applied to rows as they stream by (prepare-stream.ts runs the passes): filters,
 * text steps and dropped columns in recipe order, and a replay of the steps that change values.
 */

export const TEXT_OPS = new Set<RecipeStep['op']>(['trim', 'lowercase', 'strip_html']);

/** A row's key over some columns as the recipe compares rows (every spelling of "missing" is ''). */
export function keyOf(row: readonly (Cell | undefined)[], idx: readonly number[]): string {
  let key = '';
  for (let k = 0; k < idx.length; k++) {
    const v = idx[k] < 0 ? undefined : row[idx[k]];
    key += (k ? KEY_SEPARATOR : '') + (isMissing(v) ? '' : cellText(v));
  }
  return key;
}

/** A step with its columns resolved to positions in the current header (-1: not there). */
interface Plan {
  step: RecipeStep;
  idx: number[];
  /** drop_conflicts: the label's position. */
  label: number;
  seen: HashTable64 | null;
  classes: Set<string> | null;
}

/**
 * Runs the recipe's steps over one row at a time, like applyUnfitted: filters drop the row,
 * text steps rewrite cells, dropped columns read as missing for the steps after them. One Cleaner
 * per pass (its duplicate tables start empty), so every pass sees the same rows in the same order.
 */
export class Cleaner {
  names: readonly string[] = [];
  dropped = new Set<string>();
  private plans: Plan[] = [];

  constructor(
    private readonly steps: RecipeStep[],
    private readonly conflicts: (HashTable64 | null)[],
    /** Run steps [0, until) only (the pre-pass of a conflict step). */
    private readonly until = steps.length,
  ) {}

  setColumns(names: readonly string[]): void {
    this.names = names;
    const at = (c: string) => names.indexOf(c);
    const dropped = new Set<string>();
    const previous = this.plans;
    this.plans = this.steps.slice(0, this.until).map((step, k) => {
      const plan: Plan = { step, idx: [], label: -1, seen: previous[k]?.seen ?? null, classes: null };
      switch (step.op) {
        case 'drop_duplicates':
          plan.idx = (step.columns ?? names.filter((n) => !dropped.has(n)).sort()).map(at);
          plan.seen ??= new HashTable64(false);
          break;
        case 'drop_conflicts':
          plan.idx = step.inputColumns.map(at);
          plan.label = at(step.labelColumn);
          break;
        case 'drop_classes':
          plan.idx = [at(step.column)];
          plan.classes = new Set(step.classes);
          break;
        case 'drop_missing':
        case 'drop_columns':
        case 'trim':
        case 'lowercase':
        case 'strip_html':
          plan.idx = step.columns.map(at);
          if (step.op === 'drop_columns') for (const c of step.columns) dropped.add(c);
          break;
        default:
          plan.idx = [at(step.column)];
      }
      return plan;
    });
    this.dropped = new Set(this.steps.slice(0, this.until).flatMap((s) => (s.op === 'drop_columns' ? s.columns : [])));
  }

  /** The row after the steps that learn nothing, or null when one of them drops it. */
  clean(cells: Cell[]): (Cell | undefined)[] | null {
    let row: (Cell | undefined)[] = cells;
    let own = false;
    const write = (i: number, v: Cell | undefined) => {
      if (!own) {
        row = row.slice();
        own = true;
      }
      row[i] = v;
    };
    for (let k = 0; k < this.plans.length; k++) {
      const { step, idx, label, seen, classes } = this.plans[k];
      switch (step.op) {
        case 'drop_duplicates': {
          const [lo, hi] = hash64(keyOf(row, idx), 7);
          if (!seen!.add(lo, hi)) return null;
          break;
        }
        case 'drop_missing':
          for (const i of idx) if (i < 0 || isMissing(row[i])) return null;
          break;
        case 'drop_conflicts': {
          const table = this.conflicts[k];
          if (!table || label < 0) break;
          const [lo, hi] = hash64(keyOf(row, idx), 8);
          const slot = table.find(lo, hi);
          if (slot >= 0 && table.getB(slot) === 1) return null;
          break;
        }
        case 'drop_classes': {
          const v = idx[0] < 0 ? undefined : row[idx[0]];
          if (!isMissing(v) && classes!.has(cellText(v).trim())) return null;
          break;
        }
        case 'drop_columns':
          for (const i of idx) if (i >= 0 && row[i] !== undefined) write(i, undefined);
          break;
        case 'trim':
        case 'lowercase':
        case 'strip_html':
          for (const i of idx) if (i >= 0 && typeof row[i] === 'string') write(i, transformCell(step, row[i]));
          break;
        default:
          break; // steps that learn values wait for the split (replay)
      }
    }
    return row;
  }

  /** Replays every step that changes values, in order, with fitted values (apply() without the filters). */
  replay(input: (Cell | undefined)[]): (Cell | undefined)[] {
    const row = input.slice();
    for (const { step, idx } of this.plans) {
      const drop = step.op === 'drop_columns';
      if (!drop && !TEXT_OPS.has(step.op) && !needsFitting(step)) continue;
      for (const i of idx) if (i >= 0) row[i] = drop ? undefined : transformCell(step, row[i]);
    }
    return row;
  }
}

/** Something that receives cleaned rows: the full-width row, or only the columns that survive. */
export interface CleanedSink {
  onColumns(names: readonly string[]): void;
  onRow(cells: (Cell | undefined)[]): void;
}

/** A RowSink that cleans each row and hands the survivors to its sinks. */
export class CleanedRows implements RowSink {
  private keep: number[] = [];

  constructor(
    private readonly cleaner: Cleaner,
    private readonly sinks: CleanedSink[],
    /** Leave out the columns a step dropped (what the audit and the split see). */
    private readonly project: boolean,
    private readonly replay = false,
  ) {}

  onColumns(names: readonly string[]): void {
    this.cleaner.setColumns(names);
    const dropped = this.cleaner.dropped;
    this.keep = names.map((n, i) => (this.project && dropped.has(n) ? -1 : i)).filter((i) => i >= 0);
    const out = this.keep.map((i) => names[i]);
    for (const sink of this.sinks) sink.onColumns(out);
  }

  onRow(cells: Cell[]): void {
    let row = this.cleaner.clean(cells);
    if (!row) return;
    if (this.replay) row = this.cleaner.replay(row);
    const out = this.project ? this.keep.map((i) => row![i]) : row;
    for (const sink of this.sinks) sink.onRow(out);
  }
}

/** Which inputs appear with more than one label (B lane 1), as drop_conflicts defines it. */
export class ConflictCollector implements CleanedSink {
  readonly table = new HashTable64(true);
  private idx: number[] = [];
  private label = -1;

  constructor(
    private readonly inputColumns: string[],
    private readonly labelColumn: string,
  ) {}

  onColumns(names: readonly string[]): void {
    this.idx = this.inputColumns.map((c) => names.indexOf(c));
    this.label = names.indexOf(this.labelColumn);
  }

  onRow(row: (Cell | undefined)[]): void {
    const v = this.label < 0 ? undefined : row[this.label];
    if (isMissing(v)) return;
    const labelHash = hash64(cellText(v).trim(), 3)[0] | 0;
    const [lo, hi] = hash64(keyOf(row, this.idx), 8);
    const slot = this.table.upsert(lo, hi);
    if (slot < 0) this.table.setA(-slot - 1, labelHash);
    else if (this.table.getA(slot) !== labelHash) this.table.setB(slot, 1);
  }
}
