import { basename } from 'node:path';
import iconv from 'iconv-lite';
import type { Cell, TableSpec } from '../../contract/data';
import { CoreError } from '../errors';
import { readBytes } from './byte-source';
import { countReplacementChars, MAX_ROW_CHARS, type RowSink, type ScanOptions, type ScanSummary } from './row-sink';

/**
 * Splits a JSON array into its top-level elements as text, chunk by chunk, so a 1 GB array is
 * parsed one record at a time (JSON.parse of each element) instead of all at once.
 */
export class JsonArraySplitter {
  private state: 'before' | 'between' | 'inside' | 'after' = 'before';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private pending = '';

  constructor(private readonly onElement: (text: string) => void) {}

  /** Characters of the current unfinished element (for the size guard). */
  get pendingLength(): number {
    return this.pending.length;
  }

  write(text: string): void {
    let start = this.state === 'inside' ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.state === 'inside') {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92) this.escaped = true; // backslash
          else if (c === 34) this.inString = false;
          continue;
        }
        if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.depth++;
        else if (c === 125 || c === 93) {
          if (this.depth === 0) {
            // The closing bracket of the array right after a scalar element.
            this.emit(text.slice(start, i));
            this.state = 'after';
            start = -1;
            continue;
          }
          this.depth--;
          if (this.depth === 0) {
            this.emit(text.slice(start, i + 1));
            this.state = 'between';
            start = -1;
          }
        } else if (c === 44 && this.depth === 0) {
          this.emit(text.slice(start, i)); // a scalar element ends at a comma
          this.state = 'between';
          start = -1;
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
      if (this.state === 'before') {
        if (c !== 91) throw new SyntaxError('expected "[" (an array of objects)');
        this.state = 'between';
      } else if (this.state === 'between') {
        if (c === 44) continue;
        if (c === 93) {
          this.state = 'after';
          continue;
        }
        this.state = 'inside';
        this.depth = 0;
        start = i;
        i--; // re-read this character as part of the element
      } else {
        throw new SyntaxError('unexpected text after the closing "]"');
      }
    }
    if (this.state === 'inside' && start !== -1) this.pending += text.slice(start);
  }

  end(): void {
    if (this.state !== 'after') throw new SyntaxError(this.state === 'before' ? 'no JSON array' : 'the array is not closed');
  }

  private emit(tail: string): void {
    const text = this.pending + tail;
    this.pending = '';
    this.onElement(text);
  }
}

/** Flattens one JSON record into cells aligned to `columns`, adding unseen keys when allowed. */
class RecordAligner {
  readonly columns: string[];
  private readonly index = new Map<string, number>();

  constructor(
    initial: string[],
    private readonly fixed: boolean,
    private readonly sink: RowSink,
  ) {
    this.columns = [...initial];
    initial.forEach((name, i) => this.index.set(name, i));
    if (initial.length > 0) sink.onColumns(this.columns);
  }

  align(record: Record<string, unknown>): Cell[] {
    const cells: Cell[] = new Array(this.columns.length).fill(null);
    let grew = false;
    for (const key of Object.keys(record)) {
      let i = this.index.get(key);
      if (i === undefined) {
        if (this.fixed) continue; // a spec from a full profile already lists every key
        i = this.columns.length;
        this.columns.push(key);
        this.index.set(key, i);
        cells.push(null);
        grew = true;
      }
      cells[i] = toCell(record[key]);
    }
    if (grew) this.sink.onColumns(this.columns);
    return cells;
  }
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value); // nested objects and arrays stay readable as text
}

/**
 * Streams a JSON array of objects (`format: 'json'`) or one object per line (`'jsonl'`).
 * Columns are the union of keys in order of first appearance; a record that is not an object,
 * or invalid JSON, stops the scan with `data_bad_format` naming the record.
 */
export async function scanJson(path: string, spec: TableSpec, sink: RowSink, options: ScanOptions = {}): Promise<ScanSummary> {
  const file = basename(path);
  const decoder = iconv.getDecoder(spec.encoding ?? 'utf-8');
  const aligner = new RecordAligner(spec.columns, spec.columns.length > 0, sink);
  let rows = 0;
  let record = 0;
  let replacementChars = 0;
  let done = false;

  const bad = (reason: string): CoreError =>
    new CoreError('data_bad_format', `record ${record} of ${file} is not valid: ${reason}`, { file, row: record, reason });

  const onElement = (text: string): void => {
    if (done) return;
    record++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw bad((error as Error).message);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('expected an object with named fields');
    rows++;
    sink.onRow(aligner.align(value as Record<string, unknown>));
    if (options.limit !== undefined && rows >= options.limit) done = true;
  };

  const splitter = spec.format === 'json' ? new JsonArraySplitter(onElement) : null;
  let line = '';
  const feedLines = (text: string, final: boolean): void => {
    const input = line + text;
    let start = 0;
    for (let nl = input.indexOf('\n'); nl !== -1 && !done; nl = input.indexOf('\n', start)) {
      const piece = input.slice(start, nl).trim();
      start = nl + 1;
      if (piece !== '') onElement(piece);
    }
    line = input.slice(start);
    if (final && line.trim() !== '' && !done) onElement(line.trim());
  };

  const feed = (text: string, final: boolean): void => {
    replacementChars += countReplacementChars(text);
    if (splitter) {
      try {
        splitter.write(text);
        if (final && !done) splitter.end();
      } catch (error) {
        if (error instanceof SyntaxError) throw bad(error.message);
        throw error;
      }
      if (splitter.pendingLength > MAX_ROW_CHARS) throw tooLarge(file, record);
    } else {
      feedLines(text, final);
      if (line.length > MAX_ROW_CHARS) throw tooLarge(file, record);
    }
  };

  for await (const chunk of readBytes(path, options)) {
    feed(decoder.write(chunk), false);
    if (options.progress) options.progress.rows = rows;
    if (done) break;
  }
  if (!done) feed(decoder.end() ?? '', true);
  if (options.progress) {
    options.progress.rows = rows;
    options.progress.report(true);
  }
  return { rows, columns: aligner.columns, replacementChars };
}

function tooLarge(file: string, record: number): CoreError {
  const limitMB = MAX_ROW_CHARS / 1024 / 1024;
  return new CoreError('data_too_large', `${file} has a record larger than ${limitMB} MB after record ${record}`, { file, row: record, limitMB });
}
