/** Projects on disk (a CSV imported into a temp project) for the tests of streamed training data. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SPLIT, type ColumnRoles, type Recipe, type SplitSettings } from '../../../main/contract/data';
import { loadRows } from '../../../main/core/data/dataset';
import { importDataset, rolesFor } from '../../../main/core/data/import-dataset';
import { createRng } from '../../../main/core/data/prng';
import { emptyRecipe } from '../../../main/core/data/recipe';
import { prepareSplits } from '../../../main/core/data/split';
import { resolveSetup, type DataSection } from '../../../main/core/training/project-setup';
import type { ProjectDataRef, TrainingData } from '../../../main/core/training/training-data';
import { tempDir } from '../data/helpers';

export type TableKind = 'classes' | 'number' | 'text';

/** A CSV: numbers (some missing), a category and a 3-class label; or a numeric target; or short reviews. */
export function csvOf(kind: TableKind, rows: number, seed = 3): string {
  const rng = createRng(seed);
  const lines = [kind === 'text' ? 'review,label' : 'age,spend,plan,label'];
  const words = ['the', 'box', 'price', 'good', 'bad', 'great', 'awful', 'it', 'was', '很好', '失望'];
  for (let i = 0; i < rows; i++) {
    if (kind === 'text') {
      const text = Array.from({ length: 2 + Math.floor(rng() * 8) }, () => words[Math.floor(rng() * words.length)]).join(' ');
      lines.push(`"${text}",${/good|great|很好/.test(text) ? 'pos' : 'neg'}`);
      continue;
    }
    const age = rng() < 0.1 ? '' : (18 + rng() * 60).toFixed(1);
    const spend = (rng() * 200).toFixed(2);
    const plan = rng() < 0.05 ? '' : ['basic', 'pro', 'team'][Math.floor(rng() * 3)];
    const score = Number(spend) / 40 + (plan === 'pro' ? 1 : 0) + rng();
    const label = kind === 'number' ? (score * 10).toFixed(3) : score > 4 ? 'churn' : score > 2 ? 'stay' : 'maybe';
    lines.push(`${age},${spend},${plan},${label}`);
  }
  return lines.join('\n') + '\n';
}

/** A project folder with `csv` imported and the data section the Data step would save. */
export async function projectOf(csv: string, options: { recipe?: Recipe; split?: SplitSettings; roles?: ColumnRoles } = {}): Promise<ProjectDataRef> {
  const projectDir = await tempDir('mp-stream-');
  const file = join(await tempDir('mp-stream-src-'), 'data.csv');
  await writeFile(file, csv);
  const imported = await importDataset(projectDir, file);
  const { roles, labelColumn, taskType } = rolesFor(imported.profile, { isFolder: false }, 'label');
  const section: DataSection = {
    source: imported.source,
    roles: options.roles ?? roles,
    labelColumn,
    taskType,
    recipe: options.recipe ?? emptyRecipe(),
    split: options.split ?? DEFAULT_SPLIT,
  };
  return { kind: 'project', projectDir, section };
}

/** The same project's rows as training received them before it streamed: every row in memory. */
export async function inMemory(ref: ProjectDataRef): Promise<TrainingData> {
  const { section } = ref;
  const setup = resolveSetup(section);
  const rows = await loadRows(ref.projectDir, section.source);
  const prepared = prepareSplits(rows, section.recipe, { ...section.split, labelColumn: section.labelColumn, taskType: section.taskType, inputColumns: setup.inputColumns });
  return { inputs: setup.inputs, label: section.labelColumn!, train: prepared.train, validation: prepared.validation.length ? prepared.validation : null };
}
