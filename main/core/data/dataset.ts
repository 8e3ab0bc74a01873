import { join } from 'node:path';
import type { AuditResult, Cell, ColumnRoles, DataSource, ImportOptions, Row, SplitOptions, SplitSummary, TableProfile, TableSpec, Detection } from '../../contract/data';
import { CoreError } from '../errors';
import { auditTable, isUnused } from './audit';
import { ProgressReporter, type JobControl } from './byte-source';
import { cellText, isMissing } from './cells';
import { TableProfiler } from './column-profile';
import { hash64, KEY_SEPARATOR } from './hash64';
import { HashTable64 } from './hash-table64';
import { assertUsable, rolesFor } from './import-dataset';
import { assertUsableLabel, taskTypeFor } from './infer-roles';
import { detectSource, scanTable } from './read-table';
import { assignSplits, overlapWarnings, TEST, TRAIN, VALIDATION } from './split';
import { assertTwoClasses } from './text-folder';

/** Absolute path of an imported source inside its project. */
export function sourcePath(projectDir: string, source: DataSource): string {
  return join(projectDir, ...source.file.split('/'));
}

/** Audits an imported source with the roles the user confirmed (one streaming pass). */
export async function auditDataset(projectDir: string, source: DataSource, roles: ColumnRoles, control: JobControl = {}): Promise<AuditResult> {
  return (await auditTable(sourcePath(projectDir, source), source.spec, roles, control, source.bytes)).audit;
}

/**
 * Reads an imported source as rows keyed by column name, for the recipe and the split. Rows are
 * held in memory: pass `limit` for a sample of a very large source.
 */
export async function loadRows(projectDir: string, source: DataSource, options: { limit?: number } & JobControl = {}): Promise<Row[]> {
  return readRows(sourcePath(projectDir, source), source.spec, options);
}

/** Rows of any table as objects (see loadRows). */
export async function readRows(path: string, spec: TableSpec, options: { limit?: number } & JobControl = {}): Promise<Row[]> {
  const rows: Row[] = [];
  let names: readonly string[] = spec.columns;
  await scanTable(
    path,
    spec,
    {
      onColumns: (n) => (names = [...n]),
      onRow: (cells: Cell[]) => {
        const row: Row = {};
        for (let i = 0; i < names.length; i++) row[names[i]] = cells[i] ?? null;
        rows.push(row);
      },
    },
    { signal: options.signal, limit: options.limit, progress: new ProgressReporter('profile', 0, options.onProgress) },
  );
  return rows;
}

/**
 * Splits a large imported source without loading its rows: one pass keeps, per row, the class
 * (for stratifying) and a 64-bit hash of the input (for the overlap check), about 20 bytes a row.
 * Returns the per-row assignment (0 train, 1 validation, 2 test, in file order) and the summary.
 */
export async function splitDataset(
  projectDir: string,
  source: DataSource,
  roles: ColumnRoles,
  options: SplitOptions = {},
  control: JobControl = {},
): Promise<{ assignment: Uint8Array; summary: SplitSummary }> {
  const names = source.spec.columns;
  const labelColumn = Object.entries(roles).find(([, r]) => r === 'label')?.[0] ?? null;
  const inputIdx = names.map((n, i) => (isUnused(roles[n]) || roles[n] === 'label' ? -1 : i)).filter((i) => i >= 0);
  const labelIdx = labelColumn ? names.indexOf(labelColumn) : -1;
  const labels: (string | null)[] = [];
  const hashLo: number[] = [];
  const hashHi: number[] = [];
  const profiler = new TableProfiler(0);
  await scanTable(
    sourcePath(projectDir, source),
    source.spec,
    {
      onColumns: (n) => profiler.onColumns(n),
      onRow: (cells) => {
        if (labelIdx >= 0) {
          const v = cells[labelIdx];
          labels.push(isMissing(v) ? null : cellText(v).trim());
          profiler.columns[labelIdx].add(v);
        }
        let key = '';
        for (let k = 0; k < inputIdx.length; k++) key += (k ? KEY_SEPARATOR : '') + cellText(cells[inputIdx[k]]);
        const [lo, hi] = hash64(key, 2);
        hashLo.push(lo);
        hashHi.push(hi);
      },
    },
    { signal: control.signal, progress: new ProgressReporter('split', source.bytes, control.onProgress) },
  );
  const taskType = labelIdx >= 0 ? taskTypeFor(profiler.columns[labelIdx].finish()) : null;
  const stratify = (options.stratify ?? true) && labelIdx >= 0 && taskType !== 'regression';
  const { assignment, counts, perClass, seed, stratified } = assignSplits(stratify ? labels : hashLo.length, { ...options, stratify });
  const train = new HashTable64(false, counts.train * 2);
  for (let i = 0; i < assignment.length; i++) if (assignment[i] === TRAIN) train.add(hashLo[i], hashHi[i]);
  const overlap = { validation: 0, test: 0 };
  for (let i = 0; i < assignment.length; i++) {
    if (assignment[i] === TRAIN || !train.has(hashLo[i], hashHi[i])) continue;
    if (assignment[i] === VALIDATION) overlap.validation++;
    else if (assignment[i] === TEST) overlap.test++;
  }
  const inputColumns = inputIdx.map((i) => names[i]);
  return { assignment, summary: { seed, stratified, counts, perClass, overlap, warnings: overlapWarnings(overlap, inputColumns) } };
}

/** What `modelpilot audit` reports: how the file was read, the roles used and the audit. */
export interface FileAudit {
  detection: Detection;
  spec: TableSpec;
  profile: TableProfile;
  roles: ColumnRoles;
  audit: AuditResult;
}

/**
 * Audits a file or text folder in place (nothing is copied): detect, profile and infer roles
 * (first pass), then audit (second pass). With `label`, that column is the target and must have
 * at least two classes (`data_one_class` otherwise); a text folder's label is its subfolders.
 */
export async function auditFile(path: string, options: { label?: string | null; import?: ImportOptions } & JobControl = {}): Promise<FileAudit> {
  const sniff = await detectSource(path, options.import ?? {});
  if (sniff.listing) assertTwoClasses(sniff.listing, path);
  const profiler = new TableProfiler(0);
  const summary = await scanTable(path, sniff.spec, profiler, {
    signal: options.signal,
    progress: new ProgressReporter('profile', sniff.bytes, options.onProgress),
  });
  assertUsable(profiler, path);
  const firstProfile = profiler.finish(summary.replacementChars);
  const spec = { ...sniff.spec, columns: summary.columns };
  const label = sniff.isFolder ? 'label' : options.label ?? null;
  const { roles, labelColumn } = rolesFor(firstProfile, sniff, label);
  if (labelColumn && (label || sniff.isFolder)) assertUsableLabel(firstProfile.columns.find((c) => c.name === labelColumn)!);
  const { audit, profile } = await auditTable(path, spec, roles, { signal: options.signal, onProgress: options.onProgress }, sniff.bytes);
  return { detection: sniff.detection, spec, profile, roles, audit };
}

/** Guards a user's choice of target column: it must exist and hold at least two classes. */
export function assertLabel(profile: TableProfile, column: string): void {
  const col = profile.columns.find((c) => c.name === column);
  if (!col) throw new CoreError('data_column_not_found', `there is no column "${column}"`, { column });
  assertUsableLabel(col);
}
