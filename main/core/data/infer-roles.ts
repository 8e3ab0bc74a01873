import type { ColumnProfile, ColumnRole, ColumnRoles, TableProfile, TaskType } from '../../contract/data';
import { CoreError } from '../errors';

// Names people give identifiers and targets, in English and Chinese.
const ID_NAME = /^(id|_id|uuid|guid|key|index|idx|row|rownum|row_?id|no\.?|编号|序号|id号)$|[_\s-]id$|^id[_\s-]|编号$/i;
const LABEL_NAME = /^(label|labels|target|class|category|y|sentiment|outcome|tag|标签|類別|標籤|类别|分类|分類|类型|類型|情感|结果|結果)$/i;

/**
 * The role a column most likely plays, from its profile alone. Order matters: empty and constant
 * columns are ignored first, then identifiers (unique codes or counters, which would let a model
 * memorize rows), dates, numbers, few-valued categories, and free text.
 */
export function inferRole(col: ColumnProfile): ColumnRole {
  if (col.count === 0) return 'ignore';
  if (col.distinct <= 1 && col.distinctExact) return 'ignore';
  const uniqueRatio = col.distinct / col.count;
  const meanLength = col.length?.mean ?? 0;
  if (ID_NAME.test(col.name.trim()) && uniqueRatio >= 0.95) return 'id';
  if (col.dateRatio >= 0.9) return 'date'; // before the id test: a daily series is unique too
  if (looksLikeId(col, uniqueRatio)) return 'id';
  if (col.numericRatio >= 0.95) return col.integer && col.distinct <= 2 ? 'categorical' : 'numeric';
  if (col.wordyRatio >= 0.5 && uniqueRatio > 0.5) return 'text'; // sentences, mostly different
  const fewValues = (col.distinct <= 20 && uniqueRatio <= 0.5) || (col.distinct <= 100 && uniqueRatio <= 0.05);
  if (fewValues && meanLength <= 40) return 'categorical';
  if (col.wordyRatio >= 0.3 || meanLength > 20) return 'text';
  return uniqueRatio < 0.5 ? 'categorical' : 'text';
}

/** Unique per row and not prose: a named id, a row counter, or short codes (order numbers, UUIDs). */
export function looksLikeId(col: ColumnProfile, uniqueRatio = col.count ? col.distinct / col.count : 0): boolean {
  if (col.count < 2) return false;
  if (ID_NAME.test(col.name.trim()) && uniqueRatio >= 0.95) return true;
  if (col.numericRatio >= 0.99) {
    // A row counter: whole numbers, rising row after row, with few gaps (1, 2, 3 … not 10, 20, 30).
    const dense = col.numeric !== null && col.numeric.max - col.numeric.min + 1 <= col.count * 1.5;
    return col.integer && col.increasing && dense && uniqueRatio >= 0.99 && col.count >= 10;
  }
  return uniqueRatio >= 0.99 && col.count >= 20 && col.wordyRatio < 0.05 && (col.length?.max ?? 0) <= 40;
}

/**
 * Roles for every column, with the label: the one named (throws `data_column_not_found` if
 * absent), else a column whose name says "label" / "target" / "类别" and whose values could be one.
 */
export function inferRoles(profile: TableProfile, label?: string | null): { roles: ColumnRoles; labelColumn: string | null } {
  const roles: ColumnRoles = {};
  for (const col of profile.columns) roles[col.name] = inferRole(col);
  let labelColumn: string | null;
  if (label) {
    if (!(label in roles)) {
      throw new CoreError('data_column_not_found', `there is no column "${label}"; columns: ${Object.keys(roles).join(', ')}`, {
        column: label,
        columns: Object.keys(roles).join(', '),
      });
    }
    labelColumn = label;
  } else {
    const guess = profile.columns.find((c) => LABEL_NAME.test(c.name.trim()) && c.count > 0 && roles[c.name] !== 'id' && roles[c.name] !== 'text');
    labelColumn = guess?.name ?? null;
  }
  if (labelColumn) roles[labelColumn] = 'label';
  return { roles, labelColumn };
}

/**
 * The task a target column sets: two values -> binary, numbers with many values or fractions ->
 * regression, otherwise multi-class. Null when the column has fewer than two values.
 */
export function taskTypeFor(col: ColumnProfile): TaskType | null {
  if (col.distinct < 2) return null;
  if (col.distinct === 2) return 'binary';
  if (col.numericRatio >= 0.95 && (!col.integer || col.distinct > 20)) return 'regression';
  return 'multiclass';
}

/** Throws `data_one_class` when a target cannot teach anything (zero or one distinct value). */
export function assertUsableLabel(col: ColumnProfile): void {
  if (col.distinct >= 2) return;
  const only = col.topValues[0]?.value;
  throw new CoreError(
    'data_one_class',
    only === undefined
      ? `the label column "${col.name}" is empty`
      : `the label column "${col.name}" has only one class ("${only}"); a model needs at least two to learn from`,
    { column: col.name, value: only ?? '' },
  );
}

/** Sets one column's role, keeping a single label (the previous label falls back to its inferred role). */
export function setRole(roles: ColumnRoles, profile: TableProfile, column: string, role: ColumnRole): ColumnRoles {
  if (!(column in roles)) throw new CoreError('data_column_not_found', `there is no column "${column}"`, { column });
  const next: ColumnRoles = { ...roles };
  if (role === 'label') {
    for (const [name, r] of Object.entries(next)) {
      if (r === 'label' && name !== column) {
        const col = profile.columns.find((c) => c.name === name);
        next[name] = col ? inferRole(col) : 'ignore';
      }
    }
  }
  next[column] = role;
  return next;
}

/** The label column of a role map, if any. */
export function labelOf(roles: ColumnRoles): string | null {
  return Object.entries(roles).find(([, r]) => r === 'label')?.[0] ?? null;
}
