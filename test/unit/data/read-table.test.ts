import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { Cell, TableSpec } from '../../../main/contract/data';
import { readRows } from '../../../main/core/data/dataset';
import { JsonArraySplitter } from '../../../main/core/data/read-json';
import { detectSource, scanTable } from '../../../main/core/data/read-table';
import { coreErrorOf, fixture, tempDir } from './helpers';

async function rowsOf(path: string) {
  const sniff = await detectSource(path);
  return { sniff, rows: await readRows(path, sniff.spec) };
}

describe('reading every format the same way', () => {
  it('reads the messy CSV in UTF-8, UTF-8 with BOM, GBK, UTF-16LE with BOM, TSV, JSON and JSONL alike', async () => {
    const reference = await rowsOf(fixture('messy.csv'));
    expect(reference.rows).toHaveLength(40);
    expect(reference.sniff.spec.columns).toEqual(['id', 'review', 'rating', 'price', 'country', 'source', 'label']);
    expect(reference.rows[1].review).toBe('这个产品很好用，物流也很快');
    expect(reference.rows[0].review).toBe('Great product, works as described'); // quoted field with a comma
    for (const name of ['messy-utf8-bom.csv', 'messy-gbk.csv', 'messy-utf16le-bom.csv', 'messy.tsv']) {
      const { rows, sniff } = await rowsOf(fixture(name));
      expect(sniff.spec.columns, name).toEqual(reference.sniff.spec.columns); // no BOM glued to "id"
      expect(rows, name).toEqual(reference.rows);
    }
    for (const name of ['messy.json', 'messy.jsonl']) {
      const { rows } = await rowsOf(fixture(name));
      expect(rows).toHaveLength(40);
      expect(rows.map((r) => r.review)).toEqual(reference.rows.map((r) => r.review));
      expect(rows[0].rating).toBe(5); // JSON keeps numbers as numbers
    }
  });

  it('reports what it detected', async () => {
    expect((await detectSource(fixture('messy-gbk.csv'))).detection).toMatchObject({ format: 'csv', encoding: 'gb18030', delimiter: ',', hasHeader: true });
    expect((await detectSource(fixture('reviews-big5.csv'))).detection.encoding).toBe('big5');
    expect((await detectSource(fixture('messy.tsv'))).detection).toMatchObject({ format: 'tsv', delimiter: '\t' });
    expect((await detectSource(fixture('no-header.csv'))).spec).toMatchObject({ hasHeader: false, columns: ['column_1', 'column_2', 'column_3'] });
  });

  it('takes manual overrides for encoding, delimiter and header', async () => {
    const forced = await detectSource(fixture('messy-gbk.csv'), { encoding: 'big5' });
    expect(forced.spec.encoding).toBe('big5');
    const noHeader = await detectSource(fixture('messy.csv'), { hasHeader: false });
    expect(noHeader.spec.columns[0]).toBe('column_1');
    expect(await readRows(fixture('messy.csv'), noHeader.spec)).toHaveLength(41);
  });

  it('reads Big5 traditional Chinese', async () => {
    const { rows, sniff } = await rowsOf(fixture('reviews-big5.csv'));
    expect(sniff.spec.columns).toEqual(['評論', '評分', '標籤']);
    expect(rows[0]).toEqual({ 評論: '這個產品很好用', 評分: '5', 標籤: '好評' });
  });

  it('reads the first worksheet of an .xlsx with dates, formulas and Chinese', async () => {
    const { rows, sniff } = await rowsOf(fixture('orders.xlsx'));
    expect(sniff.sheets).toEqual(['Orders', 'Notes']); // for the sheet picker
    expect(sniff.spec).toMatchObject({ format: 'xlsx', sheet: 'Orders', hasHeader: true });
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual({ order_id: 1001, date: '2024-01-01', customer: 'Customer 1', amount: 10, channel: 'store', returned: 'no' });
    expect(rows[6].customer).toBe('王芳');
    expect(rows[12].amount).toBeNull();
  });

  it('reads a named worksheet and refuses a missing one', async () => {
    const notes = await detectSource(fixture('orders.xlsx'), { sheet: 'Notes', hasHeader: false });
    expect(await readRows(fixture('orders.xlsx'), notes.spec)).toEqual([{ column_1: 'this sheet is not data' }]);
    expect((await coreErrorOf(() => detectSource(fixture('orders.xlsx'), { sheet: 'Nope' }))).code).toBe('data_bad_format');
  });

  it('reads a text folder as text + label, decoding each file on its own (one is GBK)', async () => {
    const { rows, sniff } = await rowsOf(fixture('text-folder'));
    expect(sniff.spec).toMatchObject({ format: 'text-folder', columns: ['text', 'label'] });
    expect(sniff.listing?.labels.map((l) => l.label)).toEqual(['negative', 'positive']);
    expect(sniff.listing?.ignored).toBe(1); // README.md at the top
    expect(rows).toHaveLength(8);
    expect(rows).toContainEqual({ text: '客服态度很差，不会再买了。', label: 'negative' });
    expect(rows).toContainEqual({ text: '这款手机非常好用，屏幕很清晰。', label: 'positive' });
  });
});

describe('streaming edge cases', () => {
  it('keeps quoted fields with newlines intact across 1 MB chunk boundaries', async () => {
    const dir = await tempDir();
    const path = join(dir, 'multiline.csv');
    const long = 'x'.repeat(5000);
    const lines = ['id,text,label'];
    for (let i = 0; i < 600; i++) lines.push(`${i},"line one ${i}\nline two, ""quoted"" ${long}",${i % 2 ? 'a' : 'b'}`);
    await writeFile(path, lines.join('\n') + '\n');
    const sniff = await detectSource(path);
    const rows = await readRows(path, sniff.spec);
    expect(rows).toHaveLength(600);
    expect(rows[599].text).toBe(`line one 599\nline two, "quoted" ${long}`);
    expect(rows.every((r, i) => r.id === String(i))).toBe(true);
  });

  it('decodes GBK characters split across chunks', async () => {
    const dir = await tempDir();
    const path = join(dir, 'big-gbk.csv');
    const lines = ['text,label'];
    for (let i = 0; i < 60000; i++) lines.push(`质量很好物流很快${i},好`);
    await writeFile(path, iconv.encode(lines.join('\n') + '\n', 'gbk'));
    const sniff = await detectSource(path);
    const rows = await readRows(path, sniff.spec);
    expect(rows).toHaveLength(60000);
    expect(rows.every((r, i) => r.text === `质量很好物流很快${i}`)).toBe(true);
  });

  it('splits a JSON array fed one character at a time', () => {
    const seen: unknown[] = [];
    const splitter = new JsonArraySplitter((text) => seen.push(JSON.parse(text)));
    const json = ' [ {"a": "x]}\\"", "b": [1, {"c": 2}]}, {"a": null} ,{} ] ';
    for (const ch of json) splitter.write(ch);
    splitter.end();
    expect(seen).toEqual([{ a: 'x]}"', b: [1, { c: 2 }] }, { a: null }, {}]);
  });

  it('takes the union of JSON keys in first-seen order, missing where absent', async () => {
    const dir = await tempDir();
    const path = join(dir, 'sparse.json');
    await writeFile(path, JSON.stringify([{ a: 1 }, { b: 'x', a: 2 }, { c: { nested: true } }]));
    const sniff = await detectSource(path);
    const seen: { columns: string[]; rows: Cell[][] } = { columns: [], rows: [] };
    const summary = await scanTable(path, sniff.spec, { onColumns: (c) => (seen.columns = [...c]), onRow: (r) => seen.rows.push(r) });
    expect(summary.columns).toEqual(['a', 'b', 'c']);
    expect(await readRows(path, { ...sniff.spec, columns: summary.columns })).toEqual([
      { a: 1, b: null, c: null },
      { a: 2, b: 'x', c: null },
      { a: null, b: null, c: '{"nested":true}' },
    ]);
  });

  it('stops at the first broken JSON record, naming it', async () => {
    const dir = await tempDir();
    const path = join(dir, 'broken.jsonl');
    await writeFile(path, '{"a":1}\n{"a":2}\n{"a":\n');
    const sniff = await detectSource(path);
    const error = await coreErrorOf(() => readRows(path, sniff.spec));
    expect(error.code).toBe('data_bad_format');
    expect(error.params.row).toBe(3);
  });

  it('stops on an unclosed quote instead of swallowing the file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'unclosed.csv');
    await writeFile(path, 'a,b\n1,2\n"3,4\n5,6\n');
    const spec: TableSpec = { format: 'csv', encoding: 'utf-8', delimiter: ',', hasHeader: true, sheet: null, columns: ['a', 'b'] };
    const error = await coreErrorOf(() => readRows(path, spec));
    expect(error.code).toBe('data_bad_format');
  });
});
