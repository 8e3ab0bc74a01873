/**
 * What a project's Data step means for training: the task (text or table, classes or a number),
 * the columns the models read, and why training cannot start yet when it cannot.
 */
import type { ProjectData } from '../../contract/data';
import type { TrainingSetup } from '../../contract/training-channels';
import type { TrainingInputColumn } from './training-data';

/** The parts of the data section training depends on (also what a run keeps as its data snapshot). */
export type DataSection = Pick<ProjectData, 'source' | 'roles' | 'labelColumn' | 'taskType' | 'recipe' | 'split'>;

const INPUT_ROLES = new Set(['text', 'numeric', 'categorical']);

/** The setup plus the input columns with their roles, for building TrainingData. */
export interface ResolvedSetup extends TrainingSetup {
  inputs: TrainingInputColumn[];
}

/**
 * Derives the task from the data section. Texts beside numbers train a text model (the numbers
 * are listed as ignored); a number to predict from texts alone is not supported yet.
 * `trainRows` is the Data step's training split when known, else estimated from the shares.
 */
export function resolveSetup(data: DataSection | undefined, trainRows?: number | null): ResolvedSetup {
  const empty: ResolvedSetup = { problem: null, task: null, inputKind: null, labelColumn: null, inputColumns: [], ignoredColumns: [], trainRows: 0, inputs: [] };
  if (!data) return { ...empty, problem: 'no_data' };
  const rows = trainRows ?? Math.round(data.source.rows * data.split.train);
  if (!data.labelColumn || !data.taskType) return { ...empty, problem: 'no_label', trainRows: rows };
  const inputs: TrainingInputColumn[] = data.source.spec.columns
    .filter((name) => name !== data.labelColumn && INPUT_ROLES.has(data.roles[name]))
    .map((name) => ({ name, role: data.roles[name] as TrainingInputColumn['role'] }));
  const texts = inputs.filter((c) => c.role === 'text');
  const table = inputs.filter((c) => c.role !== 'text');
  const base = { ...empty, labelColumn: data.labelColumn, trainRows: rows };
  if (inputs.length === 0) return { ...base, problem: 'no_inputs' };
  const names = (columns: TrainingInputColumn[]) => columns.map((c) => c.name);
  if (data.taskType === 'regression') {
    if (table.length === 0) return { ...base, problem: 'text_regression' };
    return { ...base, task: 'tabular-regression', inputKind: 'table', inputColumns: names(table), ignoredColumns: names(texts), inputs: table };
  }
  if (texts.length > 0) {
    return { ...base, task: 'text-classification', inputKind: 'text', inputColumns: names(texts), ignoredColumns: names(table), inputs: texts };
  }
  return { ...base, task: 'tabular-classification', inputKind: 'table', inputColumns: names(table), ignoredColumns: [], inputs: table };
}

/** The setup as the contract sends it (without the roles the page does not need). */
export function publicSetup({ inputs: _inputs, ...setup }: ResolvedSetup): TrainingSetup {
  return setup;
}
