import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { dataSourceSchema, importResultSchema, type DataProgress } from '../../../main/contract/data';
import { importDataset } from '../../../main/core/data/import-dataset';
import { coreErrorOf, fixture, listAll, tempDir } from './helpers';

async function project(): Promise<string> {
  const dir = await tempDir('mp-project-');
  await mkdir(join(dir, 'data'));
  return dir;
}

describe('importDataset', () => {
  it('copies the file into data/ under its sha256, keeping the extension, and infers roles', async () => {
    const dir = await project();
    const result = await importDataset(dir, fixture('messy.csv'));
    expect(importResultSchema.parse(result)).toBeTruthy();
    const bytes = await readFile(fixture('messy.csv'));
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(result.source).toMatchObject({ file: `data/${sha}.csv`, sha256: sha, bytes: bytes.length, rows: 40, originalName: 'messy.csv' });
    expect(await readFile(join(dir, 'data', `${sha}.csv`))).toEqual(bytes);
    expect(await listAll(join(dir, 'data'))).toEqual([`${sha}.csv`]); // no temp file left
    expect(result.roles).toEqual({ id: 'id', review: 'text', rating: 'numeric', price: 'numeric', country: 'categorical', source: 'ignore', label: 'label' });
    expect(result.labelColumn).toBe('label');
    expect(result.taskType).toBe('multiclass');
    expect(result.preview).toHaveLength(20);
    expect(result.reused).toBe(false);
    expect(dataSourceSchema.parse(result.source)).toEqual(result.source); // fits project.json
  });

  it('stores the same content once', async () => {
    const dir = await project();
    const first = await importDataset(dir, fixture('messy.csv'));
    const again = await importDataset(dir, fixture('messy.csv'));
    expect(again.source.file).toBe(first.source.file);
    expect(again.reused).toBe(true);
    expect(await listAll(join(dir, 'data'))).toHaveLength(1);
  });

  it('imports GBK, Big5, UTF-16, TSV, JSON, JSONL and .xlsx, recording how to read them again', async () => {
    const dir = await project();
    const gbk = await importDataset(dir, fixture('messy-gbk.csv'));
    expect(gbk.source.spec).toMatchObject({ format: 'csv', encoding: 'gb18030', delimiter: ',', hasHeader: true });
    expect(gbk.detection.encodingConfidence).toBeGreaterThan(0.5);
    expect((await importDataset(dir, fixture('reviews-big5.csv'))).source.spec.encoding).toBe('big5');
    expect((await importDataset(dir, fixture('messy-utf16le-bom.csv'))).source.spec.encoding).toBe('utf-16le');
    expect((await importDataset(dir, fixture('messy.tsv'))).source.file).toMatch(/\.tsv$/);
    const json = await importDataset(dir, fixture('messy.json'));
    expect(json.source.spec.columns).toEqual(['id', 'source', 'review', 'rating', 'price', 'country', 'label']);
    expect((await importDataset(dir, fixture('messy.jsonl'))).source.rows).toBe(40);
    const xlsx = await importDataset(dir, fixture('orders.xlsx'));
    expect(xlsx.source.spec).toMatchObject({ format: 'xlsx', sheet: 'Orders' });
    expect(xlsx.roles).toMatchObject({ order_id: 'id', date: 'date', amount: 'numeric', channel: 'categorical' });
  });

  it('imports a text folder as data/<sha256>/ with its label subfolders', async () => {
    const dir = await project();
    const result = await importDataset(dir, fixture('text-folder'));
    expect(result.source.file).toMatch(/^data\/[0-9a-f]{64}$/);
    expect(result.source.rows).toBe(8);
    expect(result.roles).toEqual({ text: 'text', label: 'label' });
    expect(result.taskType).toBe('binary');
    const copied = join(dir, ...result.source.file.split('/'));
    expect(await listAll(copied)).toEqual(['negative', 'positive']); // README.md is not data
    expect(await readFile(join(copied, 'negative', '04-gbk.txt'))).toEqual(await readFile(fixture('text-folder/negative/04-gbk.txt')));
    const again = await importDataset(dir, fixture('text-folder'));
    expect(again.reused).toBe(true);
  });

  it('honours overrides', async () => {
    const dir = await project();
    const result = await importDataset(dir, fixture('messy.csv'), { hasHeader: false });
    expect(result.source.rows).toBe(41);
    expect(result.source.spec.columns[0]).toBe('column_1');
  });

  it('reports progress', async () => {
    const dir = await project();
    const seen: DataProgress[] = [];
    await importDataset(dir, fixture('messy.csv'), {}, { onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ phase: 'import', rows: 40, totalBytes: last.bytesRead });
  });

  it('cancels on an AbortSignal and leaves data/ untouched', async () => {
    const dir = await project();
    const big = join(await tempDir(), 'big.csv');
    await writeFile(big, 'a,b\n' + '1,hello\n'.repeat(600_000));
    const controller = new AbortController();
    const error = await coreErrorOf(() =>
      importDataset(dir, big, {}, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.bytesRead > 0) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('cancelled');
    expect(await listAll(join(dir, 'data'))).toEqual([]);
  });

  it('cancels a workbook import too', async () => {
    const dir = await project();
    const path = join(await tempDir(), 'many.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(['n', 'text']);
    for (let i = 0; i < 5000; i++) sheet.addRow([i, `row ${i}`]);
    await workbook.xlsx.writeFile(path);
    const controller = new AbortController();
    const error = await coreErrorOf(() => importDataset(dir, path, {}, { signal: controller.signal, onProgress: () => controller.abort() }));
    expect(error.code).toBe('cancelled');
    expect(await listAll(join(dir, 'data'))).toEqual([]);
  });
});

describe('bad input: a clear message, nothing changed', () => {
  const cases: [string, string, RegExp][] = [
    ['empty.csv', 'data_empty', /empty \(0 bytes\)/],
    ['blank-lines.csv', 'data_empty', /no data/],
    ['header-only.csv', 'data_empty', /header but no data rows/],
    ['binary.csv', 'data_binary', /PNG image/],
    ['ragged.csv', 'data_ragged', /row 4 of ragged\.csv has 4 field\(s\) but the header has 3/],
    ['no-columns.csv', 'data_no_columns', /no usable column/],
    ['empty-objects.json', 'data_no_columns', /no usable column/],
    ['not-array.json', 'data_bad_format', /not a JSON array of objects/],
    ['no-text-folder', 'data_no_text_files', /no \.txt files/],
    ['one-class-folder', 'data_one_class', /only one label subfolder \("spam"\)/],
    ['does-not-exist.csv', 'data_unreadable', /does not exist/],
    ['messy.csv/inside', 'data_unreadable', /cannot read inside/],
  ];
  for (const [name, code, message] of cases) {
    it(`${name} -> ${code}`, async () => {
      const dir = await project();
      const error = await coreErrorOf(() => importDataset(dir, fixture(name)));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(await listAll(join(dir, 'data'))).toEqual([]);
    });
  }

  it('names the row and the counts of a ragged row', async () => {
    const error = await coreErrorOf(async () => importDataset(await project(), fixture('ragged.csv')));
    expect(error.params).toMatchObject({ file: 'ragged.csv', row: 4, expected: 3, found: 4 });
  });

  it('refuses a 0-byte upload', async () => {
    const upload = join(await tempDir(), 'upload.xlsx');
    await writeFile(upload, '');
    expect((await coreErrorOf(async () => importDataset(await project(), upload))).code).toBe('data_empty');
  });

  it('refuses an unreadable file', async () => {
    if (process.getuid?.() === 0) return; // root reads everything: nothing to test here
    const path = join(await tempDir(), 'secret.csv');
    await writeFile(path, 'a,b\n1,2\n');
    await chmod(path, 0o000);
    expect((await coreErrorOf(async () => importDataset(await project(), path))).code).toBe('data_unreadable');
  });

  it('refuses a folder given where a file is expected, and old .xls files', async () => {
    const dir = await tempDir();
    const xls = join(dir, 'old.xls');
    await writeFile(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]));
    expect((await coreErrorOf(async () => importDataset(await project(), xls))).code).toBe('data_unsupported_format');
    const renamed = join(dir, 'sheet.xlsx');
    await writeFile(renamed, 'a,b\n1,2\n');
    expect((await coreErrorOf(async () => importDataset(await project(), renamed))).code).toBe('data_bad_format');
  });
});
