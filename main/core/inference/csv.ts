/**
 * CSV in and out for predictions outside the app: the standalone runtime reads the user's file
 * with the data step's own dialect detection (delimiter, line endings, quoting via papaparse),
 * and predictions are written back as the input's rows plus a prediction and a confidence
 * column. UTF-8 only here; the app's importer (encodings, Excel) reads everything else.
 */
import Papa from 'papaparse';
import type { Cell, Row } from '../../contract/data';
import type { Prediction } from '../../contract/export';
import { columnNames, detectDialect } from '../data/detect-dialect';
import { CoreError } from '../errors';

/** A table read from text: column names in order and rows keyed by them (cells are text). */
export interface TextTable {
  columns: string[];
  rows: Row[];
}

const SAMPLE_CHARS = 64 * 1024;

/**
 * Parses CSV or TSV text with a header row. Blank lines and rows of empty cells are skipped and
 * trailing empty fields forgiven, as the importer does; a row with another number of fields
 * than the header is refused (`predict_input_invalid`), since its cells would land in the
 * wrong columns.
 */
export function parseCsvText(text: string, options: { tsv?: boolean } = {}): TextTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Detection reads a sample that ends at a line boundary.
  const cut = body.length > SAMPLE_CHARS ? body.lastIndexOf('\n', SAMPLE_CHARS) : -1;
  const sample = cut > 0 ? body.slice(0, cut + 1) : body;
  const dialect = detectDialect(sample, { tsv: options.tsv, hasHeader: true });
  const parser = new Papa.Parser({ delimiter: dialect.delimiter, newline: dialect.newline, quoteChar: '"' });
  const result = parser.parse(body, 0, false) as { data: string[][]; errors: { code: string }[] };
  if (result.errors.some((e) => e.code === 'MissingQuotes')) {
    throw new CoreError('predict_input_invalid', 'the file has a quote that is never closed', { reason: 'unclosed_quote' });
  }
  let columns: string[] | null = null;
  const rows: Row[] = [];
  let record = 0;
  for (const fields of result.data) {
    if (fields.length === 1 && fields[0].trim() === '') continue;
    record++;
    if (!columns) {
      columns = columnNames(fields, fields.length);
      continue;
    }
    while (fields.length > columns.length && fields[fields.length - 1].trim() === '') fields.pop();
    if (fields.length !== columns.length) {
      throw new CoreError('predict_input_invalid', `row ${record} has ${fields.length} field(s) but the header has ${columns.length}`, { row: record, reason: 'ragged' });
    }
    if (fields.every((f) => f.trim() === '')) continue;
    const row: Row = {};
    columns.forEach((name, i) => (row[name] = fields[i]));
    rows.push(row);
  }
  return { columns: columns ?? [], rows };
}

/** Parses JSON (an array of objects) or JSON Lines text into rows. */
export function parseJsonRows(text: string, lines: boolean): TextTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let values: unknown[];
  try {
    values = lines ? body.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown) : (JSON.parse(body) as unknown[]);
  } catch (error) {
    throw new CoreError('predict_input_invalid', `not valid JSON: ${(error as Error).message}`, { reason: 'json' });
  }
  if (!Array.isArray(values)) throw new CoreError('predict_input_invalid', 'a JSON file of rows must hold an array of objects', { reason: 'json' });
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows = values.map((value, i) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CoreError('predict_input_invalid', `item ${i + 1} is not an object`, { row: i + 1, reason: 'json' });
    const row: Row = {};
    for (const [key, cell] of Object.entries(value as Record<string, unknown>)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
      row[key] = cell === null || typeof cell === 'string' || typeof cell === 'number' || typeof cell === 'boolean' ? cell : JSON.stringify(cell);
    }
    return row;
  });
  return { columns, rows };
}

/** Picks the parser by file name: .tsv, .json, .jsonl / .ndjson, anything else as CSV. */
export function parseTableText(fileName: string, text: string): TextTable {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return parseJsonRows(text, false);
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return parseJsonRows(text, true);
  return parseCsvText(text, { tsv: lower.endsWith('.tsv') || lower.endsWith('.tab') });
}

/** Column names for the answers that do not clash with the input's own columns. */
export function answerColumns(columns: readonly string[]): { prediction: string; confidence: string } {
  const free = (base: string) => {
    let name = base;
    for (let n = 2; columns.includes(name); n++) name = `${base}_${n}`;
    return name;
  };
  return { prediction: free('prediction'), confidence: free('confidence') };
}

/** A confidence as a table shows it: enough digits to rank, few enough to read. */
export function formatConfidence(value: number | null): string {
  return value === null ? '' : String(Number(value.toFixed(6)));
}

/** A predicted value as a table shows it: a float32 model has about 7 significant digits. */
export function formatPrediction(value: string | number): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(7))) : value;
}

/**
 * A table as CSV text: RFC 4180 quoting, CRLF line ends (what spreadsheet apps on every system
 * read), and a BOM so Excel reads UTF-8 (Chinese included) as UTF-8.
 */
export function rowsToCsv(columns: readonly string[], rows: readonly Row[]): string {
  const data = rows.map((row) => columns.map((c) => cellToText(row[c])));
  return '\ufeff' + Papa.unparse({ fields: [...columns], data }, { newline: '\r\n' }) + '\r\n';
}

/** The input rows with the answer columns appended, as CSV text (see rowsToCsv). */
export function predictionsToCsv(columns: readonly string[], rows: readonly Row[], predictions: readonly Prediction[]): string {
  const answer = answerColumns(columns);
  const out = rows.map((row, i) => ({ ...pick(row, columns), [answer.prediction]: formatPrediction(predictions[i].prediction), [answer.confidence]: formatConfidence(predictions[i].confidence) }));
  return rowsToCsv([...columns, answer.prediction, answer.confidence], out);
}

function pick(row: Row, columns: readonly string[]): Row {
  const out: Row = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}

function cellToText(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell);
}
