import { basename } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, TableSpec } from '../../contract/data';
import { CoreError } from '../errors';
import { readBytes, throwIfCancelled } from './byte-source';
import { columnNames } from './detect-dialect';
import type { RowSink, ScanOptions, ScanSummary } from './row-sink';

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
 * zip as they arrive, never the whole workbook). The first sheet unless `spec.sheet` names one.
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
  const source = Readable.from(readBytes(path, options));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
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
  // exceljs pipes our byte stream into its unzipper, and pipe() does not forward errors: a cancel
  // or read failure would leave the reader waiting forever. Race the reading against the source.
  let sourceFailed!: (error: unknown) => void;
  const failure = new Promise<never>((_, reject) => (sourceFailed = reject));
  failure.catch(() => undefined);
  source.on('error', (error) => sourceFailed(error));
  let stopped = false; // an abandoned reading must not deliver rows after we returned
  let cancelled = false;
  const read = async (): Promise<void> => {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      names.push(name);
      if (found || cancelled || (spec.sheet !== null && spec.sheet !== name)) continue;
      found = true;
      let headerPending = spec.hasHeader;
      for await (const row of sheet) {
        if (stopped) return;
        // A workbook often arrives in one chunk, so also check for a cancel every 1,000 rows; the
        // walk then goes on without rows (see below) and the cancel is thrown at its end.
        if ((row.number & 1023) === 0 && options.signal?.aborted) {
          cancelled = true;
          break;
        }
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
      // No early exit even for a preview: exceljs parks sheets that precede the shared strings in
      // temp files and deletes each only when iteration moves past it, so walking on (without
      // reading rows) is what leaves no temp files behind.
    }
  };
  try {
    const reading = read();
    reading.catch(() => undefined); // if the source fails first, this one is abandoned
    await Promise.race([reading, failure]);
    if (cancelled) throwIfCancelled(options.signal);
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('data_bad_format', `${file} is not a readable .xlsx workbook: ${(error as Error).message}`, {
      file,
      reason: 'xlsx',
    });
  } finally {
    stopped = true;
    source.destroy();
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
