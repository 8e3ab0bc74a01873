import Papa from 'papaparse';
import type { Delimiter } from '../../contract/data';
import { delimiters } from '../../contract/data';
import { isMissing, toNumber } from './cells';

export type Newline = '\n' | '\r\n' | '\r';

export interface Dialect {
  delimiter: Delimiter;
  newline: Newline;
  hasHeader: boolean;
  /** The first rows of the sample as parsed with this dialect (header included). */
  rows: string[][];
}

/** The line ending the file uses most; a file with none (one line) reads as '\n'. */
export function detectNewline(text: string): Newline {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  const n = Math.min(text.length, 65536);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  if (crlf >= lf && crlf >= cr && crlf > 0) return '\r\n';
  if (cr > lf) return '\r';
  return '\n';
}

/** Parses a complete piece of text with a dialect (quote-aware), dropping blank lines. */
export function parseRows(text: string, delimiter: string, newline: Newline, maxRows = 200): string[][] {
  const parser = new Papa.Parser({ delimiter, newline, preview: maxRows + 20 });
  const data = (parser.parse(text, 0, false) as { data: string[][] }).data;
  return data.filter((row) => !(row.length === 1 && row[0].trim() === '')).slice(0, maxRows);
}

/**
 * Finds the delimiter (the candidate that splits the sample's rows into the same number of
 * fields most consistently, like Python's csv.Sniffer) and whether the first row is a header
 * (a column whose first cell is a word while the rest are numbers, or whose first cell never
 * recurs below, votes yes). `text` must end at a line boundary; overrides win.
 */
export function detectDialect(text: string, hint: { tsv?: boolean; delimiter?: Delimiter; hasHeader?: boolean } = {}): Dialect {
  const newline = detectNewline(text);
  let best: { delimiter: Delimiter; score: number; width: number; rows: string[][] } | null = null;
  const candidates: readonly Delimiter[] = hint.delimiter ? [hint.delimiter] : hint.tsv ? ['\t', ...delimiters.filter((d) => d !== '\t')] : delimiters;
  for (const delimiter of candidates) {
    const rows = parseRows(text, delimiter, newline);
    const width = modeOf(rows.map((r) => r.length));
    const consistency = rows.length === 0 ? 0 : rows.filter((r) => r.length === width).length / rows.length;
    const score = width > 1 ? consistency : 0;
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) < 1e-9 && score > 0 && width > best.width)) {
      best = { delimiter, score, width, rows };
    }
  }
  const chosen = best!;
  // No delimiter splits anything: a one-column file (a list of texts). Comma reads it as is.
  const delimiter = chosen.score === 0 && !hint.delimiter ? (hint.tsv ? '\t' : ',') : chosen.delimiter;
  const rows = chosen.score === 0 && !hint.delimiter ? parseRows(text, delimiter, newline) : chosen.rows;
  const hasHeader = hint.hasHeader ?? guessHeader(rows);
  return { delimiter, newline, hasHeader, rows };
}

function modeOf(values: number[]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount || (c === bestCount && v > best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/** Header votes per column; a tie falls back to "first row is all distinct words". */
export function guessHeader(rows: (string | number | boolean | null)[][]): boolean {
  if (rows.length === 0) return false;
  const [first, ...rest] = rows;
  const firstText = first.map((c) => (c === null ? '' : String(c).trim()));
  const wordy = firstText.every((c) => c !== '' && Number.isNaN(toNumber(c))) && new Set(firstText).size === firstText.length;
  if (rest.length === 0) return wordy;
  let votes = 0;
  for (let j = 0; j < first.length; j++) {
    const head = firstText[j];
    const column = rest.map((r) => r[j]).filter((v) => !isMissing(v ?? null));
    if (column.length === 0) continue;
    const numeric = column.filter((v) => !Number.isNaN(toNumber(v))).length / column.length;
    if (numeric >= 0.9) {
      if (head !== '' && Number.isNaN(toNumber(head))) votes++;
      else votes--;
    } else if (column.some((v) => String(v).trim() === head)) {
      votes--;
    }
  }
  if (votes > 0) return true;
  if (votes < 0) return false;
  return wordy;
}

/** Header cells made into usable, unique column names (blank -> column_3, twice -> name_2). */
export function columnNames(header: (string | number | boolean | null)[] | null, width: number): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < width; i++) {
    const raw = header?.[i];
    let name = raw === null || raw === undefined ? '' : String(raw).trim();
    if (name === '') name = `column_${i + 1}`;
    let unique = name;
    for (let n = 2; seen.has(unique); n++) unique = `${name}_${n}`;
    seen.add(unique);
    names.push(unique);
  }
  return names;
}
