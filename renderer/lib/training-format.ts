/** Numbers of the Model and Training steps in the user's language: sizes, durations, scores. */
import { i18n } from '../i18n/i18n.svelte';

/** 27,073 -> "27.1K" / "2.7万". */
export function formatCompact(value: number): string {
  return new Intl.NumberFormat(i18n.locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** Bytes as kB, MB or GB, whichever reads best (at least 1 kB). */
export function formatBytes(bytes: number): string {
  const [value, unit] = bytes >= 1e9 ? [bytes / 1e9, 'gigabyte'] : bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : [Math.max(1, bytes / 1e3), 'kilobyte'];
  return new Intl.NumberFormat(i18n.locale, { style: 'unit', unit, maximumFractionDigits: value < 10 && unit !== 'kilobyte' ? 1 : 0 }).format(value);
}

/** A count in full ("3,000"). */
export function formatCount(value: number): string {
  return new Intl.NumberFormat(i18n.locale).format(value);
}

/** A duration in the largest sensible unit: "under a second" is left to the caller (< 1 s gives "1 sec"). */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  const [value, unit] = s < 90 ? [s, 'second'] : s < 90 * 60 ? [s / 60, 'minute'] : [s / 3600, 'hour'];
  return new Intl.NumberFormat(i18n.locale, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: value < 10 && unit !== 'second' ? 1 : 0 }).format(value);
}

export function formatRate(value: number): string {
  return new Intl.NumberFormat(i18n.locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
}

/** A score: accuracy as a percentage, an error in the target's units. */
export function formatScore(value: number | null, kind: 'accuracy' | 'mae' | 'loss'): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (kind === 'accuracy') return new Intl.NumberFormat(i18n.locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
  return new Intl.NumberFormat(i18n.locale, { maximumSignificantDigits: 4 }).format(value);
}
