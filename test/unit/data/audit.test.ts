import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditResultSchema, type AuditResult, type AuditWarning, type ColumnRoles } from '../../../main/contract/data';
import { auditDataset, auditFile } from '../../../main/core/data/dataset';
import { importDataset } from '../../../main/core/data/import-dataset';
import { setRole } from '../../../main/core/data/infer-roles';
import { coreErrorOf, fixture, tempDir } from './helpers';

const byCode = (warnings: AuditWarning[], code: string) => warnings.filter((w) => w.code === code);

describe('audit of the messy CSV', () => {
  let audit: AuditResult;
  let roles: ColumnRoles;
  beforeAll(async () => {
    ({ audit, roles } = await auditFile(fixture('messy.csv'), { label: 'label' }));
  });

  it('matches the contract schema', () => {
    expect(auditResultSchema.parse(audit)).toBeTruthy();
  });

  it('counts rows, missing values per column, duplicates and classes', () => {
    expect(audit.rows).toBe(40);
    expect(Object.fromEntries(audit.columns.map((c) => [c.name, c.missing]))).toEqual({ id: 0, review: 1, rating: 1, price: 1, country: 1, source: 0, label: 0 });
    expect(audit.duplicates).toBe(2); // rows 39 and 40 repeat rows 3 and 4 with new ids
    expect(audit.labels).toEqual({ positive: 29, negative: 9, neutral: 2 });
    expect(audit.classes?.map((c) => c.label)).toEqual(['positive', 'negative', 'neutral']); // largest first, for the chart
    expect(audit.taskType).toBe('multiclass');
    expect(roles.id).toBe('id');
  });

  it('finds the conflicting labels, with an example', () => {
    expect(audit.conflictingLabels.groups).toBe(1);
    expect(audit.conflictingLabels.rows).toBe(2);
    expect(audit.conflictingLabels.examples[0].labels.sort()).toEqual(['negative', 'positive']);
    expect(audit.conflictingLabels.examples[0].input).toContain('Good value for the money');
  });

  it('raises each problem as a coded warning with a fix where one exists', () => {
    const w = audit.warnings;
    expect(byCode(w, 'duplicates')[0]).toMatchObject({ severity: 'warning', params: { count: 2 }, fix: { op: 'drop_duplicates' } });
    expect(byCode(w, 'duplicates')[0].fix).toMatchObject({ columns: ['review', 'rating', 'price', 'country', 'label'] });
    expect(byCode(w, 'conflicting_labels')[0].fix).toMatchObject({ op: 'drop_conflicts', labelColumn: 'label' });
    expect(byCode(w, 'class_imbalance')[0].params).toMatchObject({ largest: 'positive', smallest: 'neutral', largestCount: 29, smallestCount: 2 });
    expect(byCode(w, 'too_few_examples')[0].fix).toEqual({ op: 'drop_classes', column: 'label', classes: ['negative', 'neutral'] });
    expect(byCode(w, 'constant_column')[0]).toMatchObject({ params: { column: 'source', value: 'web' }, fix: { op: 'drop_columns', columns: ['source'] } });
    expect(byCode(w, 'id_like_column')[0].params.column).toBe('id');
    expect(byCode(w, 'outliers')[0]).toMatchObject({ params: { column: 'price', count: 1 }, fix: { op: 'clip_outliers', column: 'price' } });
    const missing = Object.fromEntries(byCode(w, 'missing_values').map((m) => [m.params.column, m.fix?.op]));
    expect(missing).toEqual({ review: 'drop_missing', rating: 'fill_missing', price: 'fill_missing', country: 'fill_missing' });
    expect(byCode(w, 'too_few_rows')).toHaveLength(1);
    for (const warning of w) expect(warning.message.length).toBeGreaterThan(10);
  });

  it('gives chart data: text lengths and numeric distributions', () => {
    const review = audit.columns.find((c) => c.name === 'review')!;
    expect(review.length).toMatchObject({ min: 7 });
    expect(review.histogram?.bins.reduce((n, b) => n + b.count, 0)).toBe(39);
    const price = audit.columns.find((c) => c.name === 'price')!;
    expect(price.numeric).toMatchObject({ min: 8.8, max: 99999, outliers: 1 });
    expect(price.histogram?.bins.length).toBeGreaterThan(1);
    const country = audit.columns.find((c) => c.name === 'country')!;
    expect(country.topValues[0]).toEqual({ value: 'US', count: 15 });
  });
});

describe('audit cases', () => {
  it('warns that an id used as an input would leak, when the user makes it one', async () => {
    const dir = await tempDir();
    const imported = await importDataset(dir, fixture('messy.csv'));
    const roles = setRole(imported.roles, imported.profile, 'id', 'categorical');
    const audit = await auditDataset(dir, imported.source, roles);
    expect(byCode(audit.warnings, 'id_like_column')[0]).toMatchObject({ severity: 'warning', fix: { op: 'drop_columns', columns: ['id'] } });
  });

  it('counts duplicates with every used column when ids are ignored, and without the id otherwise', async () => {
    const dir = await tempDir();
    const imported = await importDataset(dir, fixture('messy.csv'));
    const withId = await auditDataset(dir, imported.source, { ...imported.roles, id: 'numeric' });
    expect(withId.duplicates).toBe(0); // ids differ, so no row repeats exactly
  });

  it('reports a label with one class as an error-level warning (and auditFile refuses it)', async () => {
    const dir = await tempDir();
    const imported = await importDataset(dir, fixture('one-class.csv'));
    expect(imported.labelColumn).toBeNull(); // a guessed label with one value is no target
    const audit = await auditDataset(dir, imported.source, { text: 'text', label: 'label' });
    expect(byCode(audit.warnings, 'single_class')[0]).toMatchObject({ severity: 'error' });
    const error = await coreErrorOf(() => auditFile(fixture('one-class.csv'), { label: 'label' }));
    expect(error.code).toBe('data_one_class');
    expect(error.params).toMatchObject({ column: 'label', value: 'spam' });
  });

  it('refuses a label column that does not exist', async () => {
    const error = await coreErrorOf(() => auditFile(fixture('messy.csv'), { label: 'nope' }));
    expect(error.code).toBe('data_column_not_found');
  });

  it('uses subfolder names as the labels of a text folder', async () => {
    const { audit } = await auditFile(fixture('text-folder'));
    expect(audit.labels).toEqual({ negative: 4, positive: 4 });
    expect(audit.labelColumn).toBe('label');
    expect(audit.columns.find((c) => c.name === 'text')?.histogram).not.toBeNull();
  });

  it('treats a numeric target with many values as regression, with its distribution', async () => {
    const path = join(await tempDir(), 'prices.csv');
    const lines = ['size,rooms,price'];
    for (let i = 0; i < 200; i++) lines.push(`${50 + i},${1 + (i % 5)},${(1000 + i * 13.7).toFixed(2)}`);
    await writeFile(path, lines.join('\n'));
    const { audit } = await auditFile(path, { label: 'price' });
    expect(audit.taskType).toBe('regression');
    expect(audit.classes).toBeNull();
    expect(audit.columns.find((c) => c.name === 'price')?.histogram?.bins.length).toBeGreaterThan(1);
  });

  it('flags a wrong encoding override by the characters it could not decode', async () => {
    const { audit } = await auditFile(fixture('messy-gbk.csv'), { import: { encoding: 'utf-8' } });
    expect(byCode(audit.warnings, 'encoding_suspect')).toHaveLength(1);
  });

  it('finds binary class labels in a workbook', async () => {
    const { audit } = await auditFile(fixture('orders.xlsx'), { label: 'returned' });
    expect(audit.taskType).toBe('binary');
    expect(audit.labels).toEqual({ no: 23, yes: 7 });
  });
});
