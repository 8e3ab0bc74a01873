import {
  RECIPE_VERSION,
  type AuditResult,
  type Cell,
  type ColumnRoles,
  type DataSource,
  type Recipe,
  type RecipeStep,
  type SplitSettings,
  type SplitSummary,
  type TableProfile,
  type TableSpec,
} from '../../contract/data';
import { AuditSink } from './audit';
import { buildAudit } from './audit-warnings';
import { ProgressReporter, type JobControl } from './byte-source';
import { Cleaner, CleanedRows, ConflictCollector, TEXT_OPS } from './clean-rows';
import { TableProfiler } from './column-profile';
import { sourcePath } from './dataset';
import type { HashTable64 } from './hash-table64';
import { scanTable } from './read-table';
import { fitOnValues, needsFitting, transformCell } from './recipe';
import type { RowSink } from './row-sink';
import { MAX_FIT_VALUES, SplitCollector } from './split-collector';

export { MAX_FIT_VALUES };

/**
 * The recipe applied to a whole source in streaming passes, so the Data step can show the audit
 * and the split of the cleaned data for a file of any size. It follows prepareSplits (split.ts):
 * steps that learn nothing run on every row in order, then the rows are split, then the steps
 * that learn values are fitted on the training rows only, then replayed on every row. Memory
 * grows with distinct rows (64-bit hashes, as in the audit) and with the values of the columns a
 * fitted step learns from, never with the bytes of the file.
 *
 * Passes: one per "drop conflicting labels" step (which rows conflict is known only after all of
 * them are seen), then one pass when no step learns values, else two (split + collect, then audit).
 * Where prepareSplits replays row filters inside each split after fitting, this does not; the two
 * agree unless a filter follows a step that changes the values it compares. Fitted steps learn
 * from all training rows up to MAX_FIT_VALUES rows, from a uniform sample of them past that.
 */

/** What the Data step shows: the audit of the cleaned rows, their profile, the split and the fitted recipe. */
export interface PreparedView {
  audit: AuditResult;
  profile: TableProfile;
  split: SplitSummary;
  /** The recipe with every step fitted on this split's training rows. */
  recipe: Recipe;
}

/** The raw profile of a source and its first rows (what import reported), read again. */
export interface SourceProfile {
  profile: TableProfile;
  preview: Cell[][];
}

/** Prepares an imported source (see analyzeTable). */
export function analyzeDataset(
  projectDir: string,
  source: DataSource,
  roles: ColumnRoles,
  recipe: Recipe,
  split: SplitSettings,
  control: JobControl = {},
): Promise<PreparedView> {
  return analyzeTable(sourcePath(projectDir, source), source.spec, roles, recipe, split, control, source.bytes);
}

/** Profiles an imported source again (one pass) with its first 20 rows, for when the cached profile is gone. */
export async function profileSource(projectDir: string, source: DataSource, control: JobControl = {}): Promise<SourceProfile> {
  const profiler = new TableProfiler();
  const summary = await scanTable(sourcePath(projectDir, source), source.spec, profiler, {
    signal: control.signal,
    progress: new ProgressReporter('profile', source.bytes, control.onProgress),
  });
  return { profile: profiler.finish(summary.replacementChars), preview: profiler.preview.map((r) => r.map((c) => c ?? null)) };
}

/** The recipe's effect on a table, audited and split, in streaming passes (see the module note). */
export async function analyzeTable(
  path: string,
  spec: TableSpec,
  roles: ColumnRoles,
  recipe: Recipe,
  split: SplitSettings,
  control: JobControl = {},
  totalBytes = 0,
  fitValues = MAX_FIT_VALUES,
): Promise<PreparedView> {
  const steps = recipe.steps;
  const scan = (sink: RowSink, phase: 'audit' | 'split') =>
    scanTable(path, spec, sink, { signal: control.signal, progress: new ProgressReporter(phase, totalBytes, control.onProgress) });
  const conflicts = await findConflicts(steps, (sink) => scan(sink, 'audit'));

  const fittedColumns = [...new Set(steps.filter(needsFitting).map((s) => (s as { column: string }).column))];
  const splitter = new SplitCollector(roles, fittedColumns, fitValues);
  let fitted = steps;
  let audit: AuditSink;
  let replacementChars: number;
  if (fittedColumns.length === 0) {
    audit = new AuditSink(roles);
    replacementChars = (await scan(new CleanedRows(new Cleaner(steps, conflicts), [splitter, audit], true), 'audit')).replacementChars;
  } else {
    await scan(new CleanedRows(new Cleaner(steps, conflicts), [splitter], true), 'split');
    fitted = fitSteps(steps, splitter.trainValues(splitter.assign(split).assignment));
    audit = new AuditSink(roles);
    const cleaner = new Cleaner(fitted, conflicts);
    replacementChars = (await scan(new CleanedRows(cleaner, [audit], true, true), 'audit')).replacementChars;
  }
  const summary = splitter.summary(split);
  const profile = audit.profiler.finish(replacementChars);
  return {
    audit: buildAudit(profile, roles, audit),
    profile,
    split: summary,
    recipe: { version: RECIPE_VERSION, steps: fitted, fittedOn: { rows: summary.counts.train } },
  };
}

/**
 * The inputs with more than one label, per "drop conflicting labels" step (null for other steps):
 * one pass per such step, since which rows conflict is known only after all of them are seen.
 */
export async function findConflicts(steps: RecipeStep[], scan: (sink: RowSink) => Promise<unknown>): Promise<(HashTable64 | null)[]> {
  const conflicts: (HashTable64 | null)[] = steps.map(() => null);
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k];
    if (step.op !== 'drop_conflicts') continue;
    const collector = new ConflictCollector(step.inputColumns, step.labelColumn);
    await scan(new CleanedRows(new Cleaner(steps, conflicts, k), [collector], false));
    conflicts[k] = collector.table;
  }
  return conflicts;
}

/**
 * Fits the steps that learn values, in recipe order, on the training values of their columns: each
 * sees its column as the steps before it left it (fit() in recipe.ts, one column at a time).
 */
export function fitSteps(steps: RecipeStep[], values: Map<string, (Cell | undefined)[]>): RecipeStep[] {
  return steps.map((step) => {
    if (needsFitting(step)) {
      const column = (step as { column: string }).column;
      const done = fitOnValues(step, values.get(column) ?? []);
      values.set(column, (values.get(column) ?? []).map((v) => transformCell(done, v)));
      return done;
    }
    if (TEXT_OPS.has(step.op)) {
      for (const c of (step as { columns: string[] }).columns) {
        const column = values.get(c);
        if (column) values.set(c, column.map((v) => transformCell(step, v)));
      }
    } else if (step.op === 'drop_columns') {
      for (const c of step.columns) if (values.has(c)) values.set(c, []);
    }
    return step;
  });
}
