import { describe, expect, it } from 'vitest';
import { listCatalog } from '../../../main/core/models/catalog';
import { describeRecommendation, recommendModel, TABLE_ROWS_FOR_MLP, TEXT_ROWS_FOR_CNN } from '../../../main/core/models/recommend';
import { resolveSetup } from '../../../main/core/training/project-setup';
import type { ProjectData } from '../../../main/contract/data';

describe('recommendModel', () => {
  it.each([
    ['text-classification', 0, 'text-bow', 'text_few_rows'],
    ['text-classification', TEXT_ROWS_FOR_CNN - 1, 'text-bow', 'text_few_rows'],
    ['text-classification', TEXT_ROWS_FOR_CNN, 'text-cnn', 'text_many_rows'],
    ['text-classification', 1_000_000, 'text-cnn', 'text_many_rows'],
    ['tabular-classification', 200, 'tabular-linear', 'table_few_rows'],
    ['tabular-classification', TABLE_ROWS_FOR_MLP, 'tabular-mlp', 'table_many_rows'],
    ['tabular-regression', 999, 'tabular-linear', 'table_few_rows'],
    ['tabular-regression', 50_000, 'tabular-mlp', 'table_many_rows'],
  ] as const)('%s with %i training rows -> %s (%s)', (task, rows, modelId, reason) => {
    const r = recommendModel({ task, trainRows: rows });
    expect(r).toMatchObject({ modelId, reason, rows });
    // Always a model that serves the task.
    expect(listCatalog(task).map((e) => e.id)).toContain(r.modelId);
    expect(describeRecommendation(r)).toContain(String(rows));
  });
});

const section = (over: Partial<ProjectData> & { columns: string[] }): ProjectData => {
  const { columns, ...rest } = over;
  return {
    source: { file: `data/${'a'.repeat(64)}.csv`, originalName: 'x.csv', sha256: 'a'.repeat(64), bytes: 1, importedAt: '', rows: 1000, spec: { format: 'csv', encoding: 'utf-8', delimiter: ',', hasHeader: true, sheet: null, columns } },
    detection: { format: 'csv', encoding: 'utf-8', encodingConfidence: 1, encodingCandidates: [], delimiter: ',', hasHeader: true, sheet: null },
    options: {},
    roles: {},
    labelColumn: null,
    taskType: null,
    recipe: { version: 1, steps: [], fittedOn: null },
    split: { train: 0.8, validation: 0.1, test: 0.1, seed: 42 },
    ...rest,
  };
};

describe('resolveSetup', () => {
  it('says what is missing before training can start', () => {
    expect(resolveSetup(undefined).problem).toBe('no_data');
    expect(resolveSetup(section({ columns: ['a'], roles: { a: 'text' } }))).toMatchObject({ problem: 'no_label', trainRows: 800 });
    expect(resolveSetup(section({ columns: ['a', 'y'], roles: { a: 'id', y: 'label' }, labelColumn: 'y', taskType: 'binary' })).problem).toBe('no_inputs');
    expect(resolveSetup(section({ columns: ['a', 'y'], roles: { a: 'text', y: 'label' }, labelColumn: 'y', taskType: 'regression' })).problem).toBe('text_regression');
  });

  it('reads texts for classification and lists the numbers beside them as ignored', () => {
    const setup = resolveSetup(section({ columns: ['id', 'review', 'price', 'y'], roles: { id: 'id', review: 'text', price: 'numeric', y: 'label' }, labelColumn: 'y', taskType: 'multiclass' }), 321);
    expect(setup).toMatchObject({ problem: null, task: 'text-classification', inputKind: 'text', inputColumns: ['review'], ignoredColumns: ['price'], trainRows: 321 });
  });

  it('reads a table for classification and regression', () => {
    const roles = { age: 'numeric', plan: 'categorical', note: 'text', y: 'label' } as const;
    expect(resolveSetup(section({ columns: ['age', 'plan', 'y'], roles, labelColumn: 'y', taskType: 'binary' }))).toMatchObject({ task: 'tabular-classification', inputColumns: ['age', 'plan'] });
    expect(resolveSetup(section({ columns: ['age', 'plan', 'note', 'y'], roles, labelColumn: 'y', taskType: 'regression' }))).toMatchObject({
      task: 'tabular-regression',
      inputColumns: ['age', 'plan'],
      ignoredColumns: ['note'],
    });
  });
});
