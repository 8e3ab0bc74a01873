/**
 * The Data step in words: audit findings, fixes and recipe lines are worded here from their
 * `code` / `op` and params (never from the English sentence core wrote for logs), so a language
 * switch rewords everything in place.
 */
import type { AuditResult, AuditWarning, ColumnRole, Delimiter, RecipeLine, RecipeStep, TaskType } from '../../main/contract/data';
import { i18n, t, type MessageKey } from './i18n.svelte';

/** The roles in the order the role selector lists them. */
export const columnRoles = ['text', 'numeric', 'categorical', 'label', 'id', 'date', 'ignore'] as const satisfies readonly ColumnRole[];

const delimiterKeys = {
  ',': 'data.delimiter.comma',
  '\t': 'data.delimiter.tab',
  ';': 'data.delimiter.semicolon',
  '|': 'data.delimiter.pipe',
} as const satisfies Record<Delimiter, MessageKey>;

export const delimiterName = (d: Delimiter): string => t(delimiterKeys[d]);

/** A count or amount in the user's language ("1,234" / "1,234"); fractions to 4 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const options: Intl.NumberFormatOptions = Number.isInteger(value) ? {} : { maximumSignificantDigits: 4 };
  return new Intl.NumberFormat(i18n.locale, options).format(value);
}

export function formatPercent(ratio: number): string {
  return new Intl.NumberFormat(i18n.locale, { style: 'percent', maximumFractionDigits: ratio < 0.01 ? 2 : 1 }).format(ratio);
}

/** Params as the sentence shows them: numbers formatted, ratios as percentages. */
function shown(params: AuditWarning['params']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) out[key] = typeof value === 'number' ? formatNumber(value) : value;
  if (typeof params.ratio === 'number') out.percent = formatPercent(params.ratio);
  return out;
}

const quoted = (list: string): string =>
  list
    .split(', ')
    .filter(Boolean)
    .map((c) => `“${c}”`)
    .join(i18n.locale === 'zh-CN' ? '、' : ', ');

/** Findings whose sentence has a singular form, and the param that counts. */
const countedBy: Partial<Record<string, string>> = {
  too_few_rows: 'rows',
  encoding_suspect: 'count',
  outliers: 'count',
  missing_values: 'count',
  missing_label: 'count',
  duplicates: 'count',
  conflicting_labels: 'groups',
  too_few_examples: 'count',
};

/** One plain sentence for an audit finding, in the current language. */
export function describeWarning(warning: AuditWarning, audit: Pick<AuditResult, 'labelColumn'>): string {
  const p = warning.params;
  let name: string = warning.code;
  if (warning.code === 'missing_values' && p.column === audit.labelColumn) name = 'missing_label';
  if (warning.code === 'id_like_column' && p.used === 1) name = 'id_like_used';
  const counter = countedBy[name];
  const key = (counter && p[counter] === 1 ? `data.warning.${name}.one` : `data.warning.${name}`) as MessageKey;
  const params = shown(p);
  if (typeof p.classes === 'string') params.classes = quoted(p.classes);
  return t(key, params);
}

/** The Fix button's words for the step it would add. */
export const fixLabel = (step: RecipeStep): string => t(`data.fix.${step.op}`);

/** One line of the recipe list, in the current language. */
export function describeRecipeLine(line: RecipeLine): string {
  const p = line.params;
  const text = (key: MessageKey, extra: Record<string, string> = {}) => t(key, { ...shown(p), ...extra });
  switch (line.op) {
    case 'drop_missing':
    case 'drop_columns':
    case 'trim':
    case 'lowercase':
    case 'strip_html':
      return text(`data.recipe.${line.op}`, { columns: quoted(String(p.columns ?? '')) });
    case 'drop_classes':
      return text('data.recipe.drop_classes', { classes: quoted(String(p.classes ?? '')) });
    case 'fill_missing': {
      const strategy = String(p.strategy) as 'mean' | 'median' | 'mode' | 'constant';
      const value = typeof p.value === 'number' ? formatNumber(p.value) : String(p.value ?? '');
      return text('data.recipe.fill_missing', { how: t(`data.recipe.fill.${strategy}`, { value }) });
    }
    case 'clip_outliers':
      return p.low === undefined ? text('data.recipe.clip_unfitted') : text('data.recipe.clip_outliers');
    case 'drop_duplicates':
    case 'drop_conflicts':
    case 'normalize':
      return text(`data.recipe.${line.op}`);
    default:
      return line.text;
  }
}

/** "Sort each row into one of 3 groups: positive, negative, neutral." */
export function describeTask(taskType: TaskType | null, labelColumn: string | null, classes: string[]): string {
  const names = classes.slice(0, 6).map((c) => `“${c}”`).join(i18n.locale === 'zh-CN' ? '、' : ', ') + (classes.length > 6 ? '…' : '');
  if (!taskType || !labelColumn) return t('data.task.none');
  if (taskType === 'regression') return t('data.task.regression', { column: labelColumn });
  return t(`data.task.${taskType}`, { count: classes.length, classes: names });
}

export const taskTerm = (taskType: TaskType): string =>
  t(taskType === 'binary' ? 'data.task.termBinary' : taskType === 'multiclass' ? 'data.task.termMulticlass' : 'data.task.termRegression');

export const taskHint = (taskType: TaskType): string =>
  t(taskType === 'binary' ? 'data.task.hintBinary' : taskType === 'multiclass' ? 'data.task.hintMulticlass' : 'data.task.hintRegression');
