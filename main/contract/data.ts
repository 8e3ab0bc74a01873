import { z } from 'zod';

/**
 * Types of the data step that cross the contract: import options and results, column roles,
 * the audit, the cleaning recipe and the split. Channels (`data:import`, `data:audit`,
 * `data:applyFix`, `data:split`) are built from these; core (main/core/data) produces them.
 */

// ---------------------------------------------------------------------------------------------
// Sources and how to read them

export const dataFormats = ['csv', 'tsv', 'json', 'jsonl', 'xlsx', 'text-folder'] as const;
export const dataFormatSchema = z.enum(dataFormats);
export type DataFormat = z.infer<typeof dataFormatSchema>;

/** Encodings we detect or accept as an override (iconv-lite names). GBK decodes as GB18030, its superset. */
export const textEncodings = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'gbk', 'big5', 'windows-1252'] as const;
export const textEncodingSchema = z.enum(textEncodings);
export type TextEncoding = z.infer<typeof textEncodingSchema>;

export const delimiters = [',', '\t', ';', '|'] as const;
export const delimiterSchema = z.enum(delimiters);
export type Delimiter = z.infer<typeof delimiterSchema>;

/** What the user may override on import; anything left out is detected. */
export const importOptionsSchema = z
  .object({
    format: dataFormatSchema,
    encoding: textEncodingSchema,
    delimiter: delimiterSchema,
    hasHeader: z.boolean(),
    /** Worksheet name for .xlsx; the first sheet otherwise. */
    sheet: z.string().min(1),
  })
  .partial()
  .strict();
export type ImportOptions = z.infer<typeof importOptionsSchema>;

/** Everything needed to read a table again exactly as it was imported. */
export const tableSpecSchema = z.object({
  format: dataFormatSchema,
  /** null for .xlsx (binary) and text folders (each file is detected on its own). */
  encoding: textEncodingSchema.nullable(),
  delimiter: delimiterSchema.nullable(),
  hasHeader: z.boolean(),
  sheet: z.string().nullable(),
  /** Column names in order (made unique; `column_3` where the header cell was blank). */
  columns: z.array(z.string()),
});
export type TableSpec = z.infer<typeof tableSpecSchema>;

export const encodingCandidateSchema = z.object({ encoding: textEncodingSchema, confidence: z.number().min(0).max(1) });

/** What detection found, so the UI can show it next to the override controls. */
export const detectionSchema = z.object({
  format: dataFormatSchema,
  encoding: textEncodingSchema.nullable(),
  /** 0..1; below 0.5 the UI should suggest checking the preview and overriding. */
  encodingConfidence: z.number().min(0).max(1),
  encodingCandidates: z.array(encodingCandidateSchema),
  delimiter: delimiterSchema.nullable(),
  hasHeader: z.boolean(),
  sheet: z.string().nullable(),
});
export type Detection = z.infer<typeof detectionSchema>;

/** A source copied into the project's data/ folder; lives in project.json. */
export const dataSourceSchema = z.object({
  /** Relative to the project folder, with forward slashes: `data/<sha256>.csv` or `data/<sha256>` for a folder. */
  file: z.string().regex(/^data\/[0-9a-f]{64}(\.[a-z0-9]+)?$/),
  originalName: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  importedAt: z.string(),
  rows: z.number().int().nonnegative(),
  spec: tableSpecSchema,
});
export type DataSource = z.infer<typeof dataSourceSchema>;

export const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Cell = z.infer<typeof cellSchema>;
export type Row = Record<string, Cell>;

// ---------------------------------------------------------------------------------------------
// Columns

export const columnRoles = ['text', 'numeric', 'categorical', 'label', 'id', 'date', 'ignore'] as const;
export const columnRoleSchema = z.enum(columnRoles);
export type ColumnRole = z.infer<typeof columnRoleSchema>;

/** Column name -> role. At most one column has the role `label` (the target). */
export const columnRolesSchema = z
  .record(z.string(), columnRoleSchema)
  .refine((roles) => Object.values(roles).filter((r) => r === 'label').length <= 1, { message: 'only one column can be the label' });
export type ColumnRoles = z.infer<typeof columnRolesSchema>;

export const taskTypes = ['binary', 'multiclass', 'regression'] as const;
export const taskTypeSchema = z.enum(taskTypes);
export type TaskType = z.infer<typeof taskTypeSchema>;

/** One bar of a chart: a numeric range [from, to) or a named category. */
export const histogramBinSchema = z.object({ from: z.number(), to: z.number(), count: z.number().int().nonnegative() });
export const histogramSchema = z.object({
  bins: z.array(histogramBinSchema),
  /** True when built from a sample of a large column (counts are scaled to the column's size). */
  sampled: z.boolean(),
});
export type Histogram = z.infer<typeof histogramSchema>;

export const numericStatsSchema = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  std: z.number(),
  q1: z.number(),
  median: z.number(),
  q3: z.number(),
});
export type NumericStats = z.infer<typeof numericStatsSchema>;

export const lengthStatsSchema = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  median: z.number(),
  p95: z.number(),
});
export type LengthStats = z.infer<typeof lengthStatsSchema>;

/** What one streaming pass learned about a column, whatever its role. */
export const columnProfileSchema = z.object({
  name: z.string(),
  /** Values present (not missing). */
  count: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  /** Distinct present values; an estimate (about ±2%) past 1,000 distinct values. */
  distinct: z.number().int().nonnegative(),
  distinctExact: z.boolean(),
  /** Share of present values that read as numbers / as dates. */
  numericRatio: z.number(),
  dateRatio: z.number(),
  /** All numeric values are whole numbers. */
  integer: z.boolean(),
  /** Numeric and strictly increasing row after row (a counter). */
  increasing: z.boolean(),
  /** Share of present values that contain a space or CJK text (words, not codes). */
  wordyRatio: z.number(),
  topValues: z.array(z.object({ value: z.string(), count: z.number().int() })),
  numeric: numericStatsSchema.nullable(),
  numericHistogram: histogramSchema.nullable(),
  length: lengthStatsSchema.nullable(),
  lengthHistogram: histogramSchema.nullable(),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

export const tableProfileSchema = z.object({
  rows: z.number().int().nonnegative(),
  columns: z.array(columnProfileSchema),
  /** U+FFFD seen while decoding: a sign the encoding is wrong. */
  replacementChars: z.number().int().nonnegative(),
});
export type TableProfile = z.infer<typeof tableProfileSchema>;

// ---------------------------------------------------------------------------------------------
// The cleaning recipe: ordered, replayable, fitted on the training split only

const stepBase = { id: z.string().min(1).optional() };
const columnList = z.array(z.string()).min(1);

export const recipeStepSchema = z.discriminatedUnion('op', [
  /** Keep the first of rows equal in `columns` (all columns when omitted). Training rows only. */
  z.object({ ...stepBase, op: z.literal('drop_duplicates'), columns: z.array(z.string()).optional() }),
  /** Drop rows missing a value in any of `columns`. */
  z.object({ ...stepBase, op: z.literal('drop_missing'), columns: columnList }),
  /** Drop every row whose input appears with more than one label. */
  z.object({ ...stepBase, op: z.literal('drop_conflicts'), inputColumns: columnList, labelColumn: z.string() }),
  /** Drop rows whose `column` is one of `classes` (too few examples to learn). */
  z.object({ ...stepBase, op: z.literal('drop_classes'), column: z.string(), classes: z.array(z.string()).min(1) }),
  z.object({ ...stepBase, op: z.literal('drop_columns'), columns: columnList }),
  z.object({
    ...stepBase,
    op: z.literal('fill_missing'),
    column: z.string(),
    strategy: z.enum(['mean', 'median', 'mode', 'constant']),
    value: z.union([z.string(), z.number()]).optional(),
    fitted: z.object({ value: z.union([z.string(), z.number()]) }).optional(),
  }),
  z.object({ ...stepBase, op: z.literal('trim'), columns: columnList }),
  z.object({ ...stepBase, op: z.literal('lowercase'), columns: columnList }),
  z.object({ ...stepBase, op: z.literal('strip_html'), columns: columnList }),
  z.object({
    ...stepBase,
    op: z.literal('clip_outliers'),
    column: z.string(),
    /** iqr: [q1 - k*IQR, q3 + k*IQR]; percentile: [p(lower), p(upper)]. */
    method: z.enum(['iqr', 'percentile']),
    k: z.number().positive().optional(),
    lower: z.number().min(0).max(100).optional(),
    upper: z.number().min(0).max(100).optional(),
    fitted: z.object({ low: z.number(), high: z.number() }).optional(),
  }),
  z.object({
    ...stepBase,
    op: z.literal('normalize'),
    column: z.string(),
    /** value -> (value - center) / scale; zscore: mean / std, minmax: min / (max - min). */
    method: z.enum(['zscore', 'minmax']),
    fitted: z.object({ center: z.number(), scale: z.number() }).optional(),
  }),
]);
export type RecipeStep = z.infer<typeof recipeStepSchema>;
export type RecipeOp = RecipeStep['op'];

export const RECIPE_VERSION = 1;

export const recipeSchema = z.object({
  version: z.literal(RECIPE_VERSION),
  steps: z.array(recipeStepSchema),
  /** Set by fit(): how many training rows the fitted values came from. */
  fittedOn: z.object({ rows: z.number().int().nonnegative() }).nullable(),
});
export type Recipe = z.infer<typeof recipeSchema>;

/** One line of the readable recipe list the user undoes step by step. */
export const recipeLineSchema = z.object({
  id: z.string(),
  op: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  text: z.string(),
});
export type RecipeLine = z.infer<typeof recipeLineSchema>;

// ---------------------------------------------------------------------------------------------
// Audit

export const auditWarningCodes = [
  'too_few_rows',
  'missing_values',
  'empty_column',
  'duplicates',
  'conflicting_labels',
  'class_imbalance',
  'too_few_examples',
  'single_class',
  'constant_column',
  'id_like_column',
  'outliers',
  'encoding_suspect',
  'train_test_overlap',
] as const;
export const auditWarningCodeSchema = z.enum(auditWarningCodes);
export type AuditWarningCode = z.infer<typeof auditWarningCodeSchema>;

export const auditWarningSchema = z.object({
  code: auditWarningCodeSchema,
  /** error: training cannot work as is; warning: results will suffer; info: worth a look. */
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** The recipe step that would fix it, when there is one. */
  fix: recipeStepSchema.optional(),
});
export type AuditWarning = z.infer<typeof auditWarningSchema>;

export const auditColumnSchema = z.object({
  name: z.string(),
  role: columnRoleSchema,
  missing: z.number().int().nonnegative(),
  missingRatio: z.number(),
  distinct: z.number().int().nonnegative(),
  numeric: numericStatsSchema.extend({ outliers: z.number().int().nonnegative(), low: z.number(), high: z.number() }).nullable(),
  /** Numeric columns: value distribution; text columns: length distribution (characters). */
  histogram: histogramSchema.nullable(),
  length: lengthStatsSchema.nullable(),
  /** Most frequent values (up to 10), for categorical columns. */
  topValues: z.array(z.object({ value: z.string(), count: z.number().int() })),
});
export type AuditColumn = z.infer<typeof auditColumnSchema>;

export const classCountSchema = z.object({ label: z.string(), count: z.number().int().nonnegative() });

export const auditResultSchema = z.object({
  rows: z.number().int().nonnegative(),
  columns: z.array(auditColumnSchema),
  /** Rows equal to an earlier row in every used column (ids and ignored columns aside). */
  duplicates: z.number().int().nonnegative(),
  conflictingLabels: z.object({
    groups: z.number().int().nonnegative(),
    rows: z.number().int().nonnegative(),
    examples: z.array(z.object({ input: z.string(), labels: z.array(z.string()) })),
  }),
  labelColumn: z.string().nullable(),
  taskType: taskTypeSchema.nullable(),
  /** Rows per class, largest first (the class-balance chart); null without a categorical label. */
  classes: z.array(classCountSchema).nullable(),
  /** Same counts keyed by class, for scripts (`modelpilot audit --json`). */
  labels: z.record(z.string(), z.number()).nullable(),
  warnings: z.array(auditWarningSchema),
});
export type AuditResult = z.infer<typeof auditResultSchema>;

// ---------------------------------------------------------------------------------------------
// Import and split results

export const importResultSchema = z.object({
  source: dataSourceSchema,
  detection: detectionSchema,
  profile: tableProfileSchema,
  roles: columnRolesSchema,
  labelColumn: z.string().nullable(),
  taskType: taskTypeSchema.nullable(),
  /** The first rows, for the preview table. */
  preview: z.array(z.array(cellSchema)),
  /** Set when an identical file had been imported before: nothing was copied. */
  reused: z.boolean(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const splitNames = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof splitNames)[number];

export const splitOptionsSchema = z
  .object({
    train: z.number().min(0).max(1).default(0.8),
    validation: z.number().min(0).max(1).default(0.1),
    test: z.number().min(0).max(1).default(0.1),
    seed: z.number().int().default(42),
    /** Stratify by the label for classification (default); ignored for regression. */
    stratify: z.boolean().default(true),
  })
  .refine((o) => Math.abs(o.train + o.validation + o.test - 1) < 1e-6, { message: 'train + validation + test must equal 1' });
export type SplitOptions = z.input<typeof splitOptionsSchema>;

const splitCountsSchema = z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() });

export const splitSummarySchema = z.object({
  seed: z.number().int(),
  stratified: z.boolean(),
  counts: splitCountsSchema,
  /** Per class, when stratified: class -> counts per split. */
  perClass: z.record(z.string(), splitCountsSchema).nullable(),
  /** Validation / test rows whose input also appears in training (leakage). */
  overlap: z.object({ validation: z.number().int(), test: z.number().int() }),
  warnings: z.array(auditWarningSchema),
});
export type SplitSummary = z.infer<typeof splitSummarySchema>;

/** Progress of a long data job; `total` is 0 when unknown. */
export const dataProgressSchema = z.object({
  phase: z.enum(['import', 'profile', 'audit', 'split']),
  bytesRead: z.number(),
  totalBytes: z.number(),
  rows: z.number(),
});
export type DataProgress = z.infer<typeof dataProgressSchema>;

// ---------------------------------------------------------------------------------------------
// The data section of project.json

/** How the rows are shared out; the fractions add up to 1. */
export const splitSettingsSchema = z
  .object({
    train: z.number().gt(0).max(1),
    validation: z.number().min(0).max(1),
    test: z.number().min(0).max(1),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
  })
  .strict()
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-6, { message: 'train + validation + test must equal 1' });
export type SplitSettings = z.infer<typeof splitSettingsSchema>;

/** 80 / 10 / 10 with a fixed seed: the same rows land in the same split on every machine. */
export const DEFAULT_SPLIT: SplitSettings = { train: 0.8, validation: 0.1, test: 0.1, seed: 42 };

/**
 * What the Data step decided, saved in project.json: the active source, how it is read, the
 * column roles and target, the cleaning recipe (fitted on the training split) and the split.
 */
export const projectDataSchema = z.object({
  source: dataSourceSchema,
  detection: detectionSchema,
  /** Reading options the user chose over detection; a re-import applies them again. */
  options: importOptionsSchema.default({}),
  roles: columnRolesSchema,
  labelColumn: z.string().nullable(),
  /** The task as the cleaned data sets it (dropping a class can make three groups two). */
  taskType: taskTypeSchema.nullable(),
  recipe: recipeSchema,
  split: splitSettingsSchema.default(DEFAULT_SPLIT),
});
export type ProjectData = z.infer<typeof projectDataSchema>;
