/**
 * A project's rows as training and evaluation need them: read from the imported source, cleaned
 * by the Data step's recipe (fitted on the training split only) and split as the Data step split
 * them. Training streams the training and validation rows in the compute worker
 * (prepare-source.ts); the test split is read here, for evaluation only, and never reaches
 * training. A run keeps the data section it was trained from (runs/<id>/data.json, with the
 * fitted recipe), so it can be resumed or evaluated on the same rows after the Data step changed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { dataSourceSchema, columnRolesSchema, recipeSchema, splitSettingsSchema, taskTypeSchema, type Recipe, type Row } from '../../contract/data';
import type { JobControl } from '../data/byte-source';
import { TEST } from '../data/split';
import { loadPlannedRows, planSplit } from '../data/split-plan';
import { CoreError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic-write';
import { resolveSetup, type DataSection, type ResolvedSetup } from './project-setup';

export const DATA_SNAPSHOT_FILE = 'data.json';

const dataSnapshotSchema = z.object({
  source: dataSourceSchema,
  roles: columnRolesSchema,
  labelColumn: z.string().nullable(),
  taskType: taskTypeSchema.nullable(),
  recipe: recipeSchema,
  split: splitSettingsSchema,
});

/** Throws the contract error that says why a setup cannot train (no data, no label…). */
export function assertTrainable(setup: ResolvedSetup): asserts setup is ResolvedSetup & { task: NonNullable<ResolvedSetup['task']> } {
  if (!setup.problem && setup.task) return;
  if (setup.problem === 'no_data') throw new CoreError('data_not_imported', 'no data has been imported into this project yet');
  throw new CoreError('training_data_invalid', `this project cannot train yet: ${setup.problem}`, { reason: setup.problem ?? 'unknown' });
}

/**
 * The test split's rows, cleaned by the recipe fitted on the training split: two streaming passes
 * (split, then collect), holding only the test rows, the smallest split.
 */
export async function loadTestRows(projectDir: string, section: DataSection, control: JobControl = {}): Promise<Row[]> {
  assertTrainable(resolveSetup(section));
  const plan = await planSplit(projectDir, section, control);
  return loadPlannedRows(plan, TEST, control);
}

/** Saves the data section a run trains on beside its run.json. */
export function writeDataSnapshot(runDir: string, snapshot: DataSection): Promise<void> {
  return writeJsonAtomic(join(runDir, DATA_SNAPSHOT_FILE), dataSectionOf(snapshot));
}

/** The data section a run was trained on; `run_corrupt` when missing or damaged. */
export async function readDataSnapshot(runDir: string): Promise<DataSection> {
  const path = join(runDir, DATA_SNAPSHOT_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CoreError('run_corrupt', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
  const parsed = dataSnapshotSchema.safeParse(raw);
  if (!parsed.success) throw new CoreError('run_corrupt', `${path}: ${parsed.error.issues[0]?.message}`, { path });
  return parsed.data;
}

/** Only the fields training depends on (a ProjectData also carries detection and options). */
export function dataSectionOf(section: DataSection): DataSection {
  const { source, roles, labelColumn, taskType, recipe, split } = section;
  return { source, roles, labelColumn, taskType, recipe: recipe as Recipe, split };
}
