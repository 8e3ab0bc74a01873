/**
 * The project side of `modelpilot train`: which project folder to use (given, or a new one), and
 * the data section after importing the file into it. What the CLI saves is what the app shows
 * when the project is opened there.
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { DEFAULT_SPLIT, type ProjectData } from '../contract/data';
import { PROJECT_FORMAT_VERSION, type ProjectFile } from '../contract/schemas';
import { assertLabel } from '../core/data/dataset';
import { importDataset, rolesFor } from '../core/data/import-dataset';
import { emptyRecipe } from '../core/data/recipe';
import { CoreError } from '../core/errors';
import { exists } from '../core/fs/exists';
import { resolveHome } from '../core/home';
import { PROJECT_FILE, readProjectFile, writeProjectFile } from '../core/projects/project-file';
import { ProjectStore } from '../core/projects/project-store';
import { UsageError } from './cli-error';

export interface CliProject {
  store: ProjectStore;
  id: string;
  dir: string;
  created: boolean;
}

/**
 * `--project DIR`: that folder (made a project if it is not one yet). Without it, a new project
 * under MODELPILOT_HOME when that is set (so the app lists it), else in the system temp folder.
 */
export async function openCliProject(projectDir: string | undefined, input: string): Promise<CliProject> {
  if (projectDir) {
    const dir = resolve(projectDir);
    const store = new ProjectStore(dirname(dir));
    const id = basename(dir);
    if (await exists(join(dir, PROJECT_FILE))) {
      await readProjectFile(dir); // a damaged or too-new project is reported, never written
      return { store, id, dir, created: false };
    }
    for (const sub of ['data', 'runs', 'exports']) await mkdir(join(dir, sub), { recursive: true });
    const now = new Date().toISOString();
    const file: ProjectFile = { formatVersion: PROJECT_FORMAT_VERSION, name: id.slice(0, 80), description: '', createdAt: now, updatedAt: now, currentStep: 'training', completedSteps: [] };
    await writeProjectFile(dir, file);
    return { store, id, dir, created: true };
  }
  const home = process.env.MODELPILOT_HOME?.trim() ? resolveHome() : join(tmpdir(), 'modelpilot-train');
  const store = new ProjectStore(home);
  const project = await store.create(`Train ${basename(resolve(input))}`.slice(0, 80), 'Made by modelpilot train');
  return { store, id: project.id, dir: project.dir, created: true };
}

/**
 * Imports `input` into the project and saves the data section. Importing the same content with
 * the same label again keeps the roles, fixes and split the project already has.
 */
export async function importForTraining(project: CliProject, input: string, label: string | undefined): Promise<ProjectData> {
  const imported = await importDataset(project.dir, resolve(input));
  const isFolder = imported.detection.format === 'text-folder';
  if (label && !isFolder) assertLabel(imported.profile, label);
  const { roles, labelColumn, taskType } = rolesFor(imported.profile, { isFolder }, isFolder ? undefined : label);
  if (!labelColumn || !taskType) {
    const columns = imported.source.spec.columns.join(', ');
    throw new UsageError(`say which column to predict with --label COL (columns: ${columns})`);
  }
  const current = (await readProjectFile(project.dir)).data;
  const same = current && current.source.sha256 === imported.source.sha256 && current.labelColumn === labelColumn;
  const data: ProjectData = same
    ? current
    : {
        source: imported.source,
        detection: imported.detection,
        options: {},
        roles,
        labelColumn,
        taskType,
        recipe: emptyRecipe(),
        split: current?.split ?? DEFAULT_SPLIT,
      };
  if (!same) await project.store.updateData(project.id, () => data);
  if (!data.labelColumn) throw new CoreError('training_data_invalid', 'the data has no column to predict', { reason: 'no_label' });
  return data;
}
