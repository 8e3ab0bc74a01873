import type { Cell } from '../../contract/data';

/**
 * Spellings that mean "no value" in exported spreadsheets (pandas' default list, minus words such
 * as "none" that are real answers in survey data).
 */
const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', '#n/a', '-nan', '<na>']);

/** True for null, blank text and the usual "not available" spellings. */
export function isMissing(value: Cell | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value === 'boolean') return false;
  if (value.length > 6) return value.trim() === '';
  return MISSING_TOKENS.has(value.trim().toLowerCase());
}

// Plain decimal numbers, optionally signed, with an exponent; thousands separators are not numbers
// here because "1,234" is ambiguous across locales.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or NaN: numbers as they are, numeric text parsed, booleans as 0/1. */
export function toNumber(value: Cell | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || value === undefined) return NaN;
  const text = value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) ? value.trim() : value;
  return NUMBER.test(text) ? Number(text) : NaN;
}

/** A cell as text (what hashing, duplicates and labels compare). */
export function cellText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

// ISO dates and the common spreadsheet spellings (2024-01-31, 2024/1/31, 31/01/2024, 2024年1月31日),
// optionally followed by a time. Anything else is not treated as a date, which keeps "3.5" out.
const DATE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}年\d{1,2}月\d{1,2}日)([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** True when a text cell reads as a calendar date. */
export function looksLikeDate(value: Cell | undefined): boolean {
  return typeof value === 'string' && value.length >= 8 && value.length <= 35 && DATE.test(value.trim());
}
