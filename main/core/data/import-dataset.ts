import { basename, extname, join } from 'node:path';
import type { Cell, ColumnRoles, DataSource, ImportOptions, ImportResult, TableProfile, TaskType } from '../../contract/data';
import { importOptionsSchema } from '../../contract/data';
import { CoreError } from '../errors';
import { ProgressReporter, type JobControl } from './byte-source';
import { TableProfiler } from './column-profile';
import { copyTextFolder, HashedFileCopy } from './copy-into-project';
import { inferRole, inferRoles, taskTypeFor } from './infer-roles';
import { detectSource, scanTable, type SourceSniff } from './read-table';
import { assertTwoClasses } from './text-folder';

const KNOWN_EXT = /^\.(csv|tsv|tab|txt|json|jsonl|ndjson|xlsx|xlsm)$/;

/**
 * Imports a file or a text folder into a project: detects how to read it (overrides in
 * `options` win), copies it into `<project>/data/` under its sha256 (atomically, in the same
 * streaming pass that profiles it), infers column roles and the task. Nothing is written unless
 * the whole file reads cleanly: any `data_*` error or a cancel leaves data/ as it was.
 */
export async function importDataset(projectDir: string, sourcePath: string, options: ImportOptions = {}, control: JobControl = {}): Promise<ImportResult> {
  const parsed = importOptionsSchema.safeParse(options);
  if (!parsed.success) throw new CoreError('invalid_payload', `import options: ${parsed.error.issues[0]?.message}`, { field: 'options' });
  const sniff = await detectSource(sourcePath, parsed.data);
  const dataDir = join(projectDir, 'data');
  const progress = new ProgressReporter('import', sniff.bytes, control.onProgress);

  let copied: { sha256: string; name: string; bytes: number; reused: boolean };
  let profiler: TableProfiler;
  let columns: string[];
  let replacementChars: number;
  if (sniff.isFolder) {
    assertTwoClasses(sniff.listing!, sourcePath);
    copied = await copyTextFolder(sourcePath, sniff.listing!, dataDir, { signal: control.signal, progress });
    profiler = new TableProfiler();
    const summary = await scanTable(join(dataDir, copied.name), sniff.spec, profiler, { signal: control.signal });
    columns = summary.columns;
    replacementChars = summary.replacementChars;
  } else {
    const ext = extname(sourcePath).toLowerCase();
    const copy = await HashedFileCopy.start(dataDir, KNOWN_EXT.test(ext) ? ext : `.${sniff.spec.format === 'tsv' ? 'tsv' : sniff.spec.format}`);
    profiler = new TableProfiler();
    try {
      const summary = await scanTable(sourcePath, sniff.spec, profiler, { signal: control.signal, progress, tap: copy.tap });
      columns = summary.columns;
      replacementChars = summary.replacementChars;
      assertUsable(profiler, sourcePath);
      copied = await copy.commit();
    } catch (error) {
      await copy.abort();
      throw error;
    }
  }
  progress.rows = profiler.rows;
  progress.report(true);

  const profile = profiler.finish(replacementChars);
  const spec = { ...sniff.spec, columns };
  const { roles, labelColumn, taskType } = rolesFor(profile, sniff);
  const source: DataSource = {
    file: `data/${copied.name}`,
    originalName: basename(sourcePath),
    sha256: copied.sha256,
    bytes: copied.bytes,
    importedAt: new Date().toISOString(),
    rows: profile.rows,
    spec,
  };
  return {
    source,
    detection: sniff.detection,
    profile,
    roles,
    labelColumn,
    taskType,
    preview: profiler.preview.map((r) => r.map((c: Cell | undefined) => c ?? null)),
    reused: copied.reused,
  };
}

/** `data_empty` for a header without rows, `data_no_columns` when every column is empty. */
export function assertUsable(profiler: TableProfiler, path: string): void {
  const file = basename(path);
  if (profiler.rows === 0) throw new CoreError('data_empty', `${file} has a header but no data rows`, { path, file });
  if (profiler.columns.every((c) => c.count === 0)) {
    const why = profiler.columns.length === 0 ? 'its records have no fields' : 'every column is empty';
    throw new CoreError('data_no_columns', `${file} has no usable column: ${why}`, { path, file, columns: profiler.columns.length });
  }
}

/**
 * Roles after import: a text folder is text + label; a table gets inferred roles, and a label
 * guessed from a column name only when it has at least two classes (otherwise it is no target).
 */
export function rolesFor(profile: TableProfile, sniff: Pick<SourceSniff, 'isFolder'>, label?: string | null): { roles: ColumnRoles; labelColumn: string | null; taskType: TaskType | null } {
  if (sniff.isFolder) {
    const labelProfile = profile.columns.find((c) => c.name === 'label')!;
    return { roles: { text: 'text', label: 'label' }, labelColumn: 'label', taskType: taskTypeFor(labelProfile) };
  }
  const { roles, labelColumn } = inferRoles(profile, label);
  if (!labelColumn) return { roles, labelColumn: null, taskType: null };
  const col = profile.columns.find((c) => c.name === labelColumn)!;
  const taskType = taskTypeFor(col);
  if (taskType === null && !label) {
    roles[labelColumn] = inferRole(col); // a guessed label with one value is not a target
    return { roles, labelColumn: null, taskType: null };
  }
  return { roles, labelColumn, taskType };
}
