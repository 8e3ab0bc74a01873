import { basename } from 'node:path';
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import type { Cell, TableSpec } from '../../contract/data';
import { CoreError } from '../errors';
import { readBytes } from './byte-source';
import { columnNames, type Newline } from './detect-dialect';
import { countReplacementChars, MAX_ROW_CHARS, type RowSink, type ScanOptions, type ScanSummary } from './row-sink';

/**
 * Streams a CSV / TSV file: raw chunks -> iconv-lite decoder -> papaparse's core parser fed
 * incrementally (the unfinished last line is carried into the next chunk, as papaparse's own
 * streamers do) -> one `onRow` per record. Memory is one chunk plus one partial row.
 * Ragged rows (field count differs from the header's) stop the scan with `data_ragged`.
 */
export async function scanDelimited(path: string, spec: TableSpec, newline: Newline, sink: RowSink, options: ScanOptions = {}): Promise<ScanSummary> {
  const file = basename(path);
  const decoder = iconv.getDecoder(spec.encoding ?? 'utf-8');
  const parser = new Papa.Parser({ delimiter: spec.delimiter ?? ',', newline, quoteChar: '"' });
  let partial = '';
  let record = 0; // records seen in the file, header included (for messages)
  let rows = 0;
  let replacementChars = 0;
  let columns: string[] | null = spec.columns.length > 0 ? spec.columns : null;
  let headerPending = spec.hasHeader;
  let done = false;
  if (columns) sink.onColumns(columns);

  const handle = (fields: string[]): void => {
    if (fields.length === 1 && fields[0].trim() === '') return; // blank line
    record++;
    if (headerPending) {
      headerPending = false;
      if (!columns) {
        columns = columnNames(fields, fields.length);
        sink.onColumns(columns);
      }
      return;
    }
    if (!columns) {
      columns = columnNames(null, fields.length);
      sink.onColumns(columns);
    }
    // Trailing delimiters that only add empty fields are an export habit, not a broken row.
    while (fields.length > columns.length && fields[fields.length - 1].trim() === '') fields.pop();
    if (fields.length !== columns.length) {
      throw new CoreError(
        'data_ragged',
        `row ${record} of ${file} has ${fields.length} field(s) but the header has ${columns.length}; check for a missing or extra delimiter`,
        { file, row: record, expected: columns.length, found: fields.length },
      );
    }
    let empty = true;
    for (let i = 0; i < fields.length; i++) {
      if (fields[i] !== '' && fields[i].trim() !== '') {
        empty = false;
        break;
      }
    }
    if (empty) return; // a row of empty cells (",,,") carries nothing
    rows++;
    sink.onRow(fields as Cell[]);
    if (options.limit !== undefined && rows >= options.limit) done = true;
  };

  const feed = (text: string, final: boolean): void => {
    const input = partial.length > 0 ? partial + text : text;
    const result = parser.parse(input, 0, !final) as { data: string[][]; errors: { code: string; row: number }[]; meta: { cursor: number } };
    partial = final ? '' : input.substring(result.meta.cursor);
    // An unclosed quote makes the rest of the file one field: say so before it looks ragged.
    const unclosed = final && result.errors.some((e) => e.code === 'MissingQuotes');
    const complete = unclosed ? result.data.slice(0, -1) : result.data;
    for (const fields of complete) {
      handle(fields);
      if (done) return;
    }
    if (unclosed) {
      throw new CoreError('data_bad_format', `${file} has a quote that is never closed (after row ${record})`, { file, row: record, reason: 'unclosed_quote' });
    }
    if (partial.length > MAX_ROW_CHARS) {
      throw new CoreError(
        'data_too_large',
        `${file} has a row longer than ${MAX_ROW_CHARS / 1024 / 1024} MB after row ${record}; a quote is probably never closed`,
        { file, row: record, limitMB: MAX_ROW_CHARS / 1024 / 1024 },
      );
    }
  };

  for await (const chunk of readBytes(path, options)) {
    const text = decoder.write(chunk);
    replacementChars += countReplacementChars(text);
    feed(text, false);
    if (options.progress) options.progress.rows = rows;
    if (done) break;
  }
  if (!done) {
    const tail = decoder.end() ?? '';
    replacementChars += countReplacementChars(tail);
    feed(tail, true);
  }
  if (options.progress) {
    options.progress.rows = rows;
    options.progress.report(true);
  }
  return { rows, columns: columns ?? [], replacementChars };
}
