import type { Cell } from '../../contract/data';
import type { ProgressReporter } from './byte-source';

/** Where a reader delivers a table, row by row, without ever holding the whole file. */
export interface RowSink {
  /** Column names: called before the first row, and again when a JSON record brings a new key. */
  onColumns(names: readonly string[]): void;
  /** One data row, aligned to the latest column names (shorter when columns were added later). */
  onRow(cells: Cell[]): void;
}

export interface ScanOptions {
  signal?: AbortSignal;
  progress?: ProgressReporter;
  /** Sees every raw chunk first (hash and copy during import). */
  tap?: (chunk: Buffer) => void | Promise<void>;
  /** Stop after this many data rows (previews, detection). */
  limit?: number;
  /** Bytes read at a time (default CHUNK_BYTES); smaller keeps fewer parsed rows alive at once. */
  chunkBytes?: number;
}

export interface ScanSummary {
  rows: number;
  columns: string[];
  /** U+FFFD produced by decoding: the encoding is probably wrong. */
  replacementChars: number;
}

/** A single row longer than this is a broken file (an unclosed quote swallowing the rest). */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

/** Counts U+FFFD in decoded text (cheap: indexOf runs natively). */
export function countReplacementChars(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}
