/**
 * A project's rows as training needs them: read from the imported source, cleaned by the Data
 * step's recipe (fitted on the training split only) and split as the Data step split them. The
 * test split is returned apart and never reaches training. A run keeps the data section it was
 * trained from (runs/<id>/data.json), so it can be resumed or evaluated on the same rows after
 * the Data step changed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { dataSourceSchema, columnRolesSchema, recipeSchema, splitSettingsSchema, taskTypeSchema, type Recipe, type Row } from '../../contract/data';
import type { JobControl } from '../data/byte-source';
import { loadRows } from '../data/dataset';
import { prepareSplits } from '../data/split';
import { CoreError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic-write';
import { resolveSetup, type DataSection, type ResolvedSetup } from './project-setup';
import type { TrainingData } from './training-data';

export const DATA_SNAPSHOT_FILE = 'data.json';

const dataSnapshotSchema = z.object({
  source: dataSourceSchema,
  roles: columnRolesSchema,
  labelColumn: z.string().nullable(),
  taskType: taskTypeSchema.nullable(),
  recipe: recipeSchema,
  split: splitSettingsSchema,
});

export interface ProjectSplits {
  setup: ResolvedSetup;
  /** Training and validation rows (validation null when the split has none: the trainer holds some out). */
  data: TrainingData;
  /** The test split, for evaluation only. */
  test: Row[];
  /** The data section with the recipe fitted on these training rows. */
  snapshot: DataSection;
}

/** Throws the contract error that says why a setup cannot train (no data, no label…). */
export function assertTrainable(setup: ResolvedSetup): asserts setup is ResolvedSetup & { task: NonNullable<ResolvedSetup['task']> } {
  if (!setup.problem && setup.task) return;
  if (setup.problem === 'no_data') throw new CoreError('data_not_imported', 'no data has been imported into this project yet');
  throw new CoreError('training_data_invalid', `this project cannot train yet: ${setup.problem}`, { reason: setup.problem ?? 'unknown' });
}

/** Reads, cleans and splits a project's data for training (see the module note). */
export async function loadProjectSplits(projectDir: string, section: DataSection, control: JobControl = {}): Promise<ProjectSplits> {
  const setup = resolveSetup(section);
  assertTrainable(setup);
  const rows = await loadRows(projectDir, section.source, control);
  const prepared = prepareSplits(rows, section.recipe, {
    ...section.split,
    labelColumn: section.labelColumn,
    taskType: section.taskType,
    inputColumns: setup.inputColumns,
  });
  const counted = { ...setup, trainRows: prepared.train.length };
  return {
    setup: counted,
    data: {
      inputs: setup.inputs,
      label: section.labelColumn!,
      train: prepared.train,
      validation: prepared.validation.length > 0 ? prepared.validation : null,
    },
    test: prepared.test,
    snapshot: { ...pick(section), recipe: prepared.recipe },
  };
}

/** Saves the data section a run trains on beside its run.json. */
export function writeDataSnapshot(runDir: string, snapshot: DataSection): Promise<void> {
  return writeJsonAtomic(join(runDir, DATA_SNAPSHOT_FILE), pick(snapshot));
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
function pick(section: DataSection): DataSection {
  const { source, roles, labelColumn, taskType, recipe, split } = section;
  return { source, roles, labelColumn, taskType, recipe: recipe as Recipe, split };
}
