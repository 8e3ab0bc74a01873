import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { TableSpec } from '../../../main/contract/data';
import { scanXlsx } from '../../../main/core/data/read-xlsx';
import { WorkbookStreamReader } from '../../../main/core/data/xlsx-workbook-reader';
import { coreErrorOf, fixture, listAll, tempDir } from './helpers';

/** exceljs stores the sheet list (xl/workbook.xml) last and each sheet before the shared strings. */
async function twoSheetWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('First').addRows([['a', 'b'], ['x', 1]]);
  workbook.addWorksheet('Second').addRows([['c', 'd'], ['y', 2]]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same archive with the parts named in `first` stored first, in that order (as Excel does). */
function storedInOrder(bytes: Buffer, first: string[]): Buffer {
  const parts = unzipSync(bytes);
  const names = [...first, ...Object.keys(parts).filter((name) => !first.includes(name))];
  return Buffer.from(zipSync(Object.fromEntries(names.map((name) => [name, parts[name]]))));
}

/** Sheet names and cell values as a slow consumer sees them, the archive arriving in one chunk. */
async function readSlowly(reader: ExcelJS.stream.xlsx.WorkbookReader): Promise<Record<string, unknown[][]>> {
  const sheets: Record<string, unknown[][]> = {};
  for await (const sheet of reader) {
    await sleep(5); // the archive's last entries are parsed meanwhile
    const rows: unknown[][] = [];
    for await (const row of sheet) rows.push((row.values as unknown[]).slice(1));
    sheets[(sheet as unknown as { name: string }).name] = rows;
  }
  return sheets;
}

const spec = (sheet: string | null): TableSpec => ({ format: 'xlsx', sheet, columns: [], hasHeader: true }) as unknown as TableSpec;
const noRows = { onColumns: () => undefined, onRow: () => undefined };

describe('the streaming workbook reader', () => {
  it('reads every sheet however slow the consumer, whatever order the archive stores its parts in', async () => {
    const asWritten = await twoSheetWorkbook(); // sheets parked until the sheet list, stored last
    // Excel's order: the sheets are read during the walk, while the archive's last entries arrive
    // (exceljs's own walk lost the second sheet here without a word).
    const excelOrder = storedInOrder(asWritten, ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml']);
    // The first sheet before the shared strings, the second after: still first, then second.
    const split = storedInOrder(asWritten, ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']);
    for (const bytes of [asWritten, excelOrder, split]) {
      const reader = new WorkbookStreamReader(Readable.from([bytes]), { sharedStrings: 'cache', worksheets: 'emit' });
      const sheets = await readSlowly(reader);
      expect(sheets).toEqual({
        First: [['a', 'b'], ['x', 1]],
        Second: [['c', 'd'], ['y', 2]],
      });
      expect(Object.keys(sheets)).toEqual(['First', 'Second']);
    }
  });

  it('calls a file cut short before its table of contents unreadable instead of reading fewer sheets', async () => {
    const bytes = await twoSheetWorkbook();
    const directoryStart = bytes.readUInt32LE(bytes.length - 22 + 16); // from the end-of-archive record
    const path = join(await tempDir(), 'cut.xlsx');
    await writeFile(path, bytes.subarray(0, directoryStart));
    const error = await coreErrorOf(() => scanXlsx(path, spec(null), noRows));
    expect(error.code).toBe('data_bad_format');
    expect(error.params).toMatchObject({ file: 'cut.xlsx', reason: 'xlsx' });
  });

  describe('with its own temporary folder', () => {
    const saved = process.env.TMPDIR;
    afterEach(() => {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    });

    it('stops after the sheet asked for and removes the sheets it parked', async () => {
      const path = join(await tempDir(), 'two.xlsx');
      await writeFile(path, await twoSheetWorkbook());
      process.env.TMPDIR = await tempDir();
      const names: string[][] = [];
      const summary = await scanXlsx(path, spec('First'), noRows, {}, (listed) => names.push(listed));
      expect(summary.rows).toBe(1);
      expect(names).toEqual([['First', 'Second']]); // the sheet list, though Second was never read
      expect(await listAll(process.env.TMPDIR)).toEqual([]);
    });

    it('walks the whole file when the import copies it while reading', async () => {
      const source = await readFile(fixture('orders.xlsx'));
      const copied: Buffer[] = [];
      process.env.TMPDIR = await tempDir();
      await scanXlsx(fixture('orders.xlsx'), spec('Orders'), noRows, { tap: (chunk) => void copied.push(chunk), chunkBytes: 4096 });
      expect(Buffer.concat(copied).equals(source)).toBe(true);
      expect(await listAll(process.env.TMPDIR)).toEqual([]);
    });
  });
});
