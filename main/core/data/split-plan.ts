/**
 * A project's imported source cleaned and split for training without holding its rows: one pass
 * (plus one per "drop conflicting labels" step) learns which split each cleaned row falls in and
 * fits the recipe's learning steps on the training rows, with the Data step's streaming machinery
 * (prepare-stream.ts) and the split prepareSplits gives rows in memory (stratified by the section's
 * label unless its task is a number); later passes replay the fitted recipe and hand each cleaned
 * row over with its split. Kept per row: its split, one byte (its class, 4 bytes, until the split
 * is decided).
 */
import { RECIPE_VERSION, type Cell, type ColumnRoles, type DataSource, type Recipe, type Row, type SplitSettings, type TableSpec, type TaskType } from '../../contract/data';
import { CoreError } from '../errors';
import { ProgressReporter, type JobControl } from './byte-source';
import { Cleaner, CleanedRows, type CleanedSink } from './clean-rows';
import { sourcePath } from './dataset';
import type { HashTable64 } from './hash-table64';
import { findConflicts, fitSteps } from './prepare-stream';
import { scanTable } from './read-table';
import { needsFitting } from './recipe';
import type { RowSink } from './row-sink';
import { detach, MAX_FIT_VALUES, SplitCollector } from './split-collector';

/**
 * Bytes read at a time by these passes. A 1 MB chunk decodes into a string V8 allocates straight
 * in the old generation, and its parsed rows live long enough to be promoted there too: pass after
 * pass that garbage piles up until a full collection, so peak memory grew with the file. 64 KB
 * chunks die young (and read faster): a million rows peak like a hundred thousand.
 */
const PASS_CHUNK_BYTES = 64 * 1024;

/** What a plan needs from the Data step's section of project.json. */
export interface SplitPlanInput {
  source: DataSource;
  roles: ColumnRoles;
  labelColumn: string | null;
  taskType: TaskType | null;
  recipe: Recipe;
  split: SplitSettings;
}

export interface SplitPlan {
  path: string;
  spec: TableSpec;
  bytes: number;
  /** The recipe with its learning steps fitted on this split's training rows. */
  recipe: Recipe;
  conflicts: (HashTable64 | null)[];
  /** 0 train, 1 validation, 2 test for each cleaned row, in file order. */
  assignment: Uint8Array;
  counts: { train: number; validation: number; test: number };
}

/** Receives the cleaned rows of a planned source with the split of each. */
export interface PlannedSink {
  onColumns(names: readonly string[]): void;
  onRow(cells: readonly (Cell | undefined)[], split: number): void;
}

/** Splits a source and fits its recipe (see the module note). */
export async function planSplit(projectDir: string, section: SplitPlanInput, control: JobControl = {}, fitValues = MAX_FIT_VALUES): Promise<SplitPlan> {
  const path = sourcePath(projectDir, section.source);
  const { spec, bytes } = section.source;
  const scan = (sink: RowSink) => scanTable(path, spec, sink, { signal: control.signal, progress: new ProgressReporter('split', bytes, control.onProgress), chunkBytes: PASS_CHUNK_BYTES });
  const steps = section.recipe.steps;
  const conflicts = await findConflicts(steps, scan);
  // The Data step's label column is the one stratified on, whatever other roles say.
  const roles: ColumnRoles = Object.fromEntries(Object.entries(section.roles).map(([c, r]) => [c, r === 'label' ? 'ignore' : r]));
  if (section.labelColumn) roles[section.labelColumn] = 'label';
  const fittedColumns = [...new Set(steps.filter(needsFitting).map((s) => (s as { column: string }).column))];
  const splitter = new SplitCollector(roles, fittedColumns, fitValues, { overlap: false, taskType: section.taskType });
  await scan(new CleanedRows(new Cleaner(steps, conflicts), [splitter], true));
  const { assignment, counts } = splitter.assign(section.split);
  const fitted = fittedColumns.length ? fitSteps(steps, splitter.trainValues(assignment)) : steps;
  return { path, spec, bytes, recipe: { version: RECIPE_VERSION, steps: fitted, fittedOn: { rows: counts.train } }, conflicts, assignment, counts };
}

/**
 * One more pass over a planned source: every cleaned row, with the fitted recipe replayed, and its
 * split. Refuses a source that no longer gives the rows it was planned on.
 */
export async function scanPlanned(plan: SplitPlan, sink: PlannedSink, control: JobControl = {}): Promise<void> {
  let k = 0;
  const counting: CleanedSink = {
    onColumns: (names) => sink.onColumns(names),
    onRow: (cells) => {
      if (k >= plan.assignment.length) throw changed(plan);
      sink.onRow(cells, plan.assignment[k++]);
    },
  };
  const progress = new ProgressReporter('split', plan.bytes, control.onProgress);
  await scanTable(plan.path, plan.spec, new CleanedRows(new Cleaner(plan.recipe.steps, plan.conflicts), [counting], true, true), { signal: control.signal, progress, chunkBytes: PASS_CHUNK_BYTES });
  if (k !== plan.assignment.length) throw changed(plan);
}

/** The rows of one split as objects keyed by column (evaluation's test split: the small one). */
export async function loadPlannedRows(plan: SplitPlan, split: number, control: JobControl = {}): Promise<Row[]> {
  const rows: Row[] = [];
  let names: readonly string[] = [];
  await scanPlanned(
    plan,
    {
      onColumns: (n) => (names = n),
      onRow: (cells, s) => {
        if (s !== split) return;
        const row: Row = {};
        // Detached: a kept cell must not pin the whole chunk of the file it was parsed from.
        for (let i = 0; i < names.length; i++) row[names[i]] = detach(cells[i]) ?? null;
        rows.push(row);
      },
    },
    control,
  );
  return rows;
}

function changed(plan: SplitPlan): CoreError {
  return new CoreError('data_unreadable', `${plan.path} changed while it was being read`, { path: plan.path, file: plan.path.split(/[\\/]/).pop() ?? '', reason: 'changed' });
}
