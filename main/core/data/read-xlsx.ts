import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Cell, TableSpec } from '../../contract/data';
import { CoreError } from '../errors';
import { readBytes, throwIfCancelled } from './byte-source';
import { columnNames } from './detect-dialect';
import type { RowSink, ScanOptions, ScanSummary } from './row-sink';
import { WorkbookStreamReader } from './xlsx-workbook-reader';

/** An Excel cell value (number, text, date, rich text, formula, hyperlink, error) as a plain cell. */
export function excelCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in v) return excelCell(v.result);
    if ('formula' in v || 'sharedFormula' in v) return null; // never calculated: no value to read
    if (typeof v.text === 'string') return v.text;
    if ('error' in v) return null; // #N/A, #DIV/0! …: no value
  }
  return String(value);
}

/**
 * Streams one worksheet of an .xlsx file (exceljs's streaming reader: rows are parsed from the
 * zip as they arrive, never the whole workbook), and stops once that sheet is read. The first
 * sheet unless `spec.sheet` names one.
 * A value to the right of the header's last column stops the scan with `data_ragged`.
 * `onSheets` hears the workbook's sheet names (for the sheet picker).
 */
export async function scanXlsx(
  path: string,
  spec: TableSpec,
  sink: RowSink,
  options: ScanOptions = {},
  onSheets?: (names: string[], chosen: string) => void,
): Promise<ScanSummary> {
  const file = basename(path);
  const reader = new WorkbookStreamReader(Readable.from(readBytes(path, options)), {
    sharedStrings: 'cache',
    styles: 'cache', // without styles, dates arrive as bare serial numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let columns: string[] | null = spec.columns.length > 0 ? spec.columns : null;
  if (columns) sink.onColumns(columns);
  let rows = 0;
  let found = false;
  const names: string[] = [];
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      names.push(name);
      if (found || (spec.sheet !== null && spec.sheet !== name)) continue;
      found = true;
      let headerPending = spec.hasHeader;
      for await (const row of sheet) {
        // A workbook often arrives in one chunk, so also check for a cancel every 1,000 rows.
        if ((row.number & 1023) === 0) throwIfCancelled(options.signal);
        const values = (row.values as unknown[]).slice(1).map(excelCell); // exceljs rows are 1-based
        while (values.length > 0 && isBlank(values[values.length - 1])) values.pop();
        if (values.length === 0) continue;
        if (headerPending) {
          headerPending = false;
          if (!columns) {
            columns = columnNames(values, values.length);
            sink.onColumns(columns);
          }
          continue;
        }
        if (!columns) {
          columns = columnNames(null, values.length);
          sink.onColumns(columns);
        }
        if (values.length > columns.length) {
          throw new CoreError(
            'data_ragged',
            `row ${row.number} of ${file} has a value in column ${values.length}, right of the last header column (${columns.length})`,
            { file, row: row.number, expected: columns.length, found: values.length },
          );
        }
        while (values.length < columns.length) values.push(null);
        rows++;
        sink.onRow(values);
        if (options.progress) options.progress.rows = rows;
        if (options.limit !== undefined && rows >= options.limit) break;
      }
      // The sheet asked for is read; stop (the reader removes what it parked for later sheets)
      // unless the import copies the file as it is read, which needs every byte.
      if (!options.tap) break;
    }
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('data_bad_format', `${file} is not a readable .xlsx workbook: ${(error as Error).message}`, {
      file,
      reason: 'xlsx',
    });
  }
  if (!found) {
    throw new CoreError('data_bad_format', `${file} has no worksheet${spec.sheet ? ` named "${spec.sheet}"` : ''}`, {
      file,
      reason: 'no_sheet',
      sheet: spec.sheet ?? '',
    });
  }
  // workbook.xml (parsed before the sheets) lists every sheet, also those a preview never reached.
  const listed = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets?.map((sh) => sh.name);
  onSheets?.(listed && listed.length >= names.length ? listed : names, spec.sheet ?? names[0]);
  if (options.progress) options.progress.report(true);
  return { rows, columns: columns ?? [], replacementChars: 0 };
}

function isBlank(value: Cell): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}
