import type { AuditColumn, AuditResult, AuditWarning, ColumnProfile, ColumnRoles, RecipeStep, TableProfile } from '../../contract/data';
import type { AuditSink } from './audit';
import { looksLikeId, taskTypeFor } from './infer-roles';

/** Below this many rows a model learns little; a warning, not an error. */
export const MIN_ROWS = 50;
/** A class needs this many rows to appear in every split (80/10/10) and be learned at all. */
export const MIN_CLASS_EXAMPLES = 10;
/** Largest class / smallest class at or above this is imbalanced. */
export const IMBALANCE_RATIO = 5;
/** Outliers lie beyond q1 - k*IQR or q3 + k*IQR (Tukey's "far out" fences). */
export const OUTLIER_K = 3;

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;

function warn(
  code: AuditWarning['code'],
  severity: AuditWarning['severity'],
  message: string,
  params: AuditWarning['params'],
  fix?: RecipeStep,
): AuditWarning {
  return fix ? { code, severity, message, params, fix } : { code, severity, message, params };
}

/** The fix for missing values, by role: fill numbers with the median, categories with the most common value, drop the rest. */
function missingFix(col: ColumnProfile, role: string): RecipeStep | undefined {
  if (role === 'numeric') return { op: 'fill_missing', column: col.name, strategy: 'median' };
  if (role === 'categorical') return { op: 'fill_missing', column: col.name, strategy: 'mode' };
  if (role === 'text' || role === 'label' || role === 'date') return { op: 'drop_missing', columns: [col.name] };
  return undefined;
}

/** Turns a profile plus the audit pass's counts into the audit result and its warnings. */
export function buildAudit(profile: TableProfile, roles: ColumnRoles, sink: AuditSink): AuditResult {
  const warnings: AuditWarning[] = [];
  const rows = profile.rows;
  const labelColumn = Object.entries(roles).find(([, r]) => r === 'label')?.[0] ?? null;
  const labelProfile = labelColumn ? profile.columns.find((c) => c.name === labelColumn) ?? null : null;
  const taskType = labelProfile ? taskTypeFor(labelProfile) : null;

  if (rows < MIN_ROWS) {
    warnings.push(warn('too_few_rows', 'warning', `only ${rows} rows; a model needs at least ${MIN_ROWS}, and usually hundreds`, { rows, minimum: MIN_ROWS }));
  }
  if (profile.replacementChars > 0) {
    warnings.push(
      warn('encoding_suspect', 'warning', `${profile.replacementChars} characters could not be decoded; the file may use another encoding`, {
        count: profile.replacementChars,
      }),
    );
  }

  const columns: AuditColumn[] = profile.columns.map((col, i) => {
    const role = roles[col.name] ?? 'ignore';
    const profiler = sink.profiler.columns[i];
    let numeric: AuditColumn['numeric'] = null;
    let histogram: AuditColumn['histogram'] = null;
    if (col.numeric && (role === 'numeric' || (role === 'label' && taskType === 'regression'))) {
      const iqr = col.numeric.q3 - col.numeric.q1;
      const low = col.numeric.q1 - OUTLIER_K * iqr;
      const high = col.numeric.q3 + OUTLIER_K * iqr;
      const outliers = iqr > 0 ? profiler.countOutside(low, high).count : 0;
      numeric = { ...col.numeric, outliers, low, high };
      histogram = col.numericHistogram;
      if (outliers > 0 && role === 'numeric') {
        const share = outliers / Math.max(1, col.count);
        warnings.push(
          warn(
            'outliers',
            share > 0.01 ? 'warning' : 'info',
            `${outliers} value(s) in "${col.name}" are far outside the usual range (${fmt(low)} to ${fmt(high)})`,
            { column: col.name, count: outliers, low, high },
            { op: 'clip_outliers', column: col.name, method: 'iqr', k: OUTLIER_K },
          ),
        );
      }
    }
    if (role === 'text') histogram = col.lengthHistogram;

    if (col.count === 0) {
      warnings.push(warn('empty_column', 'warning', `"${col.name}" is empty in every row`, { column: col.name }, { op: 'drop_columns', columns: [col.name] }));
    } else {
      if (col.missing > 0 && role !== 'ignore' && role !== 'id') {
        const ratio = col.missing / Math.max(1, rows);
        const severity = role === 'label' || ratio >= 0.05 ? 'warning' : 'info';
        const message =
          role === 'label'
            ? `${col.missing} row(s) have no label in "${col.name}"; they cannot be used for training`
            : `"${col.name}" is missing in ${col.missing} row(s) (${pct(ratio)})`;
        warnings.push(warn('missing_values', severity, message, { column: col.name, count: col.missing, ratio }, missingFix(col, role)));
      }
      if (col.distinct === 1 && col.distinctExact && role !== 'label') {
        warnings.push(
          warn('constant_column', 'info', `"${col.name}" has the same value ("${col.topValues[0]?.value ?? ''}") in every row; it tells the model nothing`, { column: col.name, value: col.topValues[0]?.value ?? '' }, { op: 'drop_columns', columns: [col.name] }),
        );
      }
      if (role === 'id') {
        warnings.push(warn('id_like_column', 'info', `"${col.name}" looks like an identifier (unique per row); it is set aside so the model cannot memorize rows`, { column: col.name, used: 0 }));
      } else if ((role === 'categorical' || role === 'numeric') && looksLikeId(col)) {
        warnings.push(
          warn('id_like_column', 'warning', `"${col.name}" is unique in every row like an identifier; a model would memorize it instead of learning`, { column: col.name, used: 1 }, { op: 'drop_columns', columns: [col.name] }),
        );
      }
    }
    return {
      name: col.name,
      role,
      missing: col.missing,
      missingRatio: rows === 0 ? 0 : col.missing / rows,
      distinct: col.distinct,
      numeric,
      histogram,
      length: role === 'text' || role === 'categorical' || role === 'label' ? col.length : null,
      topValues: role === 'categorical' || role === 'label' ? col.topValues : [],
    };
  });

  const usedColumns = profile.columns.map((c) => c.name).filter((n) => roles[n] !== 'id' && roles[n] !== 'ignore');
  if (sink.duplicates > 0) {
    warnings.push(
      warn(
        'duplicates',
        'warning',
        `${sink.duplicates} row(s) repeat an earlier row exactly; duplicates over-weight some examples and leak between training and test`,
        { count: sink.duplicates, ratio: sink.duplicates / Math.max(1, rows) },
        { op: 'drop_duplicates', columns: usedColumns },
      ),
    );
  }

  let classes: AuditResult['classes'] = null;
  let conflicting = { groups: sink.conflictGroups, rows: sink.conflictRows, examples: sink.conflictExamples };
  if (labelColumn && taskType !== 'regression') {
    if (!sink.labelOverflow) {
      classes = [...sink.labelCounts.entries()].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
    }
    if (classes && classes.length < 2) {
      warnings.push(
        warn('single_class', 'error', classes.length === 0 ? `the label column "${labelColumn}" is empty` : `every row has the label "${classes[0].label}"; a model needs at least two classes`, {
          column: labelColumn,
          classes: classes.length,
        }),
      );
    }
    if (conflicting.groups > 0) {
      const inputColumns = usedColumns.filter((n) => n !== labelColumn);
      warnings.push(
        warn(
          'conflicting_labels',
          'warning',
          `${conflicting.groups} input(s) appear with different labels (${conflicting.rows} rows); the model cannot be right on both`,
          { groups: conflicting.groups, rows: conflicting.rows, column: labelColumn },
          { op: 'drop_conflicts', inputColumns, labelColumn },
        ),
      );
    }
    if (classes && classes.length >= 2) {
      const largest = classes[0];
      const smallest = classes[classes.length - 1];
      const ratio = largest.count / Math.max(1, smallest.count);
      if (ratio >= IMBALANCE_RATIO) {
        warnings.push(
          warn('class_imbalance', 'warning', `"${largest.label}" has ${largest.count} rows but "${smallest.label}" only ${smallest.count} (${ratio.toFixed(1)}x); accuracy will flatter the model`, {
            column: labelColumn,
            largest: largest.label,
            largestCount: largest.count,
            smallest: smallest.label,
            smallestCount: smallest.count,
            ratio,
          }),
        );
      }
      const rare = classes.filter((c) => c.count < MIN_CLASS_EXAMPLES);
      if (rare.length > 0 && rare.length < classes.length) {
        warnings.push(
          warn(
            'too_few_examples',
            'warning',
            `${rare.length} class(es) have fewer than ${MIN_CLASS_EXAMPLES} examples (${rare.map((c) => `${c.label}: ${c.count}`).join(', ')})`,
            { column: labelColumn, classes: rare.map((c) => c.label).join(', '), count: rare.length, minimum: MIN_CLASS_EXAMPLES },
            { op: 'drop_classes', column: labelColumn, classes: rare.map((c) => c.label) },
          ),
        );
      }
    }
  } else {
    // Same inputs with different numbers are ordinary noise in regression, not a contradiction.
    conflicting = { groups: 0, rows: 0, examples: [] };
  }

  return {
    rows,
    columns,
    duplicates: sink.duplicates,
    conflictingLabels: conflicting,
    labelColumn,
    taskType,
    classes,
    labels: classes ? Object.fromEntries(classes.map((c) => [c.label, c.count])) : null,
    warnings,
  };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}
