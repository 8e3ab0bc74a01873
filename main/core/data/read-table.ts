import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import iconv from 'iconv-lite';
import type { Cell, DataFormat, Detection, ImportOptions, TableSpec } from '../../contract/data';
import { CoreError } from '../errors';
import { readHead, unreadable } from './byte-source';
import { detectBinary, isZip } from './detect-binary';
import { columnNames, detectDialect, detectNewline, guessHeader } from './detect-dialect';
import { detectEncoding, SAMPLE_BYTES } from './detect-encoding';
import { scanDelimited } from './read-delimited';
import { scanJson } from './read-json';
import { scanXlsx } from './read-xlsx';
import type { RowSink, ScanOptions, ScanSummary } from './row-sink';
import { listTextFolder, scanTextFolder, TEXT_FOLDER_COLUMNS, type TextFolderListing } from './text-folder';

/** What detection decided about a source, before any full pass. */
export interface SourceSniff {
  path: string;
  isFolder: boolean;
  bytes: number;
  spec: TableSpec;
  detection: Detection;
  /** Sheet names of a workbook (for the sheet picker), else empty. */
  sheets: string[];
  listing: TextFolderListing | null;
}

const EXTENSIONS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.txt': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
};
const UNSUPPORTED: Record<string, string> = {
  '.xls': 'the old Excel .xls format; save it as .xlsx or CSV',
  '.numbers': 'a Numbers document; export it as CSV',
  '.ods': 'an OpenDocument spreadsheet; save it as .xlsx or CSV',
  '.parquet': 'a Parquet file; export it as CSV',
};

/**
 * Looks at a file or folder and decides how to read it: format (extension, then content),
 * encoding, delimiter, header, columns. Reads only the first 64 KB of a file (the first 50 rows
 * of a workbook). Overrides in `options` win over detection. Throws the `data_*` errors for
 * paths that cannot be read, empty, binary or unsupported files.
 */
export async function detectSource(path: string, options: ImportOptions = {}): Promise<SourceSniff> {
  const name = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  if (info.isDirectory()) {
    const listing = await listTextFolder(path);
    const spec: TableSpec = { format: 'text-folder', encoding: null, delimiter: null, hasHeader: true, sheet: null, columns: TEXT_FOLDER_COLUMNS };
    const detection: Detection = { format: 'text-folder', encoding: null, encodingConfidence: 1, encodingCandidates: [], delimiter: null, hasHeader: true, sheet: null };
    return { path, isFolder: true, bytes: listing.bytes, spec, detection, sheets: [], listing };
  }
  if (!info.isFile()) throw new CoreError('data_unreadable', `cannot read ${name}: not a regular file`, { path, file: name, reason: 'not_a_file' });
  if (info.size === 0) throw new CoreError('data_empty', `${name} is empty (0 bytes)`, { path, file: name });

  const ext = extname(name).toLowerCase();
  if (UNSUPPORTED[ext] && !options.format) {
    throw new CoreError('data_unsupported_format', `${name} is ${UNSUPPORTED[ext]}`, { path, file: name, extension: ext });
  }
  const head = await readHead(path, SAMPLE_BYTES);
  const complete = info.size <= SAMPLE_BYTES;
  let format: DataFormat = options.format ?? EXTENSIONS[ext] ?? (isZip(head) ? 'xlsx' : 'csv');

  if (format === 'xlsx') return sniffXlsx(path, info.size, head, options);
  if (format === 'text-folder') throw new CoreError('data_bad_format', `${name} is a file, not a folder`, { path, file: name, reason: 'not_a_folder' });

  let encodingGuess;
  if (options.encoding) {
    const utf16 = options.encoding.startsWith('utf-16');
    const kind = utf16 ? null : detectBinary(head);
    if (kind) throw new CoreError('data_binary', `${name} is ${kind}, not text`, { path, file: name, kind });
    encodingGuess = { encoding: options.encoding, confidence: 1, candidates: [{ encoding: options.encoding, confidence: 1 }] };
  } else {
    encodingGuess = detectEncoding(head, complete, name);
  }
  let text = iconv.decode(head, encodingGuess.encoding);
  if (!complete) {
    // The sample ends mid-line (and maybe mid-character): keep whole lines only.
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (cut > 0) text = text.slice(0, cut + 1);
  }
  if (text.trim() === '') throw new CoreError('data_empty', `${name} has no data (only blank lines)`, { path, file: name });

  const detectionBase = {
    encoding: encodingGuess.encoding,
    encodingConfidence: encodingGuess.confidence,
    encodingCandidates: encodingGuess.candidates,
    sheet: null,
  };
  const first = text.trimStart().charAt(0);
  if (format === 'json' || format === 'jsonl') {
    if (first === '{' && format === 'json') format = 'jsonl';
    if (format === 'jsonl') assertJsonLines(text, name, path);
    else if (first !== '[') throw notTable(name, path);
    const spec: TableSpec = { format, encoding: encodingGuess.encoding, delimiter: null, hasHeader: true, sheet: null, columns: [] };
    return { path, isFolder: false, bytes: info.size, spec, detection: { ...detectionBase, format, delimiter: null, hasHeader: true }, sheets: [], listing: null };
  }

  const dialect = detectDialect(text, { tsv: format === 'tsv', delimiter: options.delimiter, hasHeader: options.hasHeader });
  if (dialect.rows.length === 0) throw new CoreError('data_empty', `${name} has no data`, { path, file: name });
  const width = dialect.rows[0].length;
  const columns = columnNames(dialect.hasHeader ? dialect.rows[0] : null, width);
  if (!options.format) format = dialect.delimiter === '\t' ? 'tsv' : 'csv';
  const spec: TableSpec = { format, encoding: encodingGuess.encoding, delimiter: dialect.delimiter, hasHeader: dialect.hasHeader, sheet: null, columns };
  return {
    path,
    isFolder: false,
    bytes: info.size,
    spec,
    detection: { ...detectionBase, format, delimiter: dialect.delimiter, hasHeader: dialect.hasHeader },
    sheets: [],
    listing: null,
  };
}

function notTable(name: string, path: string): CoreError {
  return new CoreError('data_bad_format', `${name} is not a JSON array of objects (or one JSON object per line)`, { path, file: name, reason: 'not_array' });
}

/** JSON Lines: the first line must be a complete object on its own (a pretty-printed object is not). */
function assertJsonLines(text: string, name: string, path: string): void {
  const line = text.trimStart().split('\n', 1)[0].trim();
  try {
    const value = JSON.parse(line);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return;
  } catch {
    // fall through to the message
  }
  throw notTable(name, path);
}

async function sniffXlsx(path: string, bytes: number, head: Buffer, options: ImportOptions): Promise<SourceSniff> {
  const name = basename(path);
  if (!isZip(head)) {
    const kind = detectBinary(head);
    throw new CoreError('data_bad_format', `${name} is not an Excel .xlsx workbook${kind ? ` (it is ${kind})` : ''}`, { path, file: name, reason: 'not_xlsx' });
  }
  const rows: Cell[][] = [];
  let sheets: string[] = [];
  let chosen = options.sheet ?? null;
  const probe: TableSpec = { format: 'xlsx', encoding: null, delimiter: null, hasHeader: false, sheet: options.sheet ?? null, columns: [] };
  await scanXlsx(
    path,
    probe,
    { onColumns() {}, onRow: (cells) => rows.push(cells) },
    { limit: 50 },
    (names, sheet) => {
      sheets = names;
      chosen = sheet;
    },
  );
  if (rows.length === 0) throw new CoreError('data_empty', `${name} has no data in its ${chosen ? `sheet "${chosen}"` : 'first sheet'}`, { path, file: name, sheet: chosen ?? '' });
  const hasHeader = options.hasHeader ?? guessHeader(rows);
  const width = Math.max(...rows.map((r) => r.length));
  const columns = columnNames(hasHeader ? rows[0] : null, hasHeader ? rows[0].length : width);
  const spec: TableSpec = { format: 'xlsx', encoding: null, delimiter: null, hasHeader, sheet: chosen, columns };
  const detection: Detection = { format: 'xlsx', encoding: null, encodingConfidence: 1, encodingCandidates: [], delimiter: null, hasHeader, sheet: chosen };
  return { path, isFolder: false, bytes, spec, detection, sheets, listing: null };
}

/**
 * One streaming pass over a table read as `spec` says, delivering rows to `sink`. Memory stays
 * flat whatever the size; `options.signal` cancels between chunks (`cancelled`).
 */
export async function scanTable(path: string, spec: TableSpec, sink: RowSink, options: ScanOptions = {}): Promise<ScanSummary> {
  switch (spec.format) {
    case 'csv':
    case 'tsv': {
      const head = await readHead(path, SAMPLE_BYTES);
      const newline = detectNewline(iconv.decode(head, spec.encoding ?? 'utf-8'));
      return scanDelimited(path, spec, newline, sink, options);
    }
    case 'json':
    case 'jsonl':
      return scanJson(path, spec, sink, options);
    case 'xlsx':
      return scanXlsx(path, spec, sink, options);
    case 'text-folder':
      return scanTextFolder(path, sink, options);
  }
}
