import { basename } from 'node:path';
import type { Row } from '../../contract/data';
import { cellText, isMissing, toNumber } from '../../core/data/cells';
import { CoreError } from '../../core/errors';
import { classificationMetrics, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from '../../core/evaluation/metrics';
import { LocalModels, readInputTable } from '../../core/inference/local';
import { UsageError } from '../cli-error';
import type { CliIo, Command } from '../command';

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'score an exported .mpmodel file on labeled rows: accuracy and macro F1, or MAE, RMSE and R²',
  usage: 'modelpilot evaluate FILE.mpmodel --input data.csv --label COL [--json]',
  help: [
    'options:',
    '  --input FILE    labeled rows: CSV or TSV (any encoding), Excel, JSON or JSON Lines, with a header row',
    '  --label COL     the column holding the right answers',
    '  --json          print {file, task, rows, skipped, unknownLabels, metrics} as JSON',
    '',
    'Rows without an answer (or, for a number, without a number) are skipped. An answer the model was never',
    'trained on counts as a miss (it can only answer labels it knows).',
  ].join('\n'),
  options: {
    input: { type: 'string' },
    label: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(`give one .mpmodel file (usage: ${evaluateCommand.usage})`);
    if (typeof values.input !== 'string' || typeof values.label !== 'string') throw new UsageError(`--input and --label are required (usage: ${evaluateCommand.usage})`);
    const label = values.label;
    const source = { kind: 'bundle' as const, path: positionals[0] };
    const models = new LocalModels();
    try {
      const info = await models.describeModel(source);
      const table = await readInputTable(values.input);
      if (!table.columns.includes(label)) {
        throw new CoreError('data_column_not_found', `${basename(values.input)} has no column "${label}"; it has ${table.columns.map((c) => `"${c}"`).join(', ')}`, { column: label });
      }
      const regression = info.outputKind === 'regression';
      // The rows training would have scored: an answer present (and a number, for regression).
      const scored = table.rows.filter((r: Row) => (regression ? Number.isFinite(toNumber(r[label])) : !isMissing(r[label])));
      if (scored.length === 0) throw new CoreError('data_empty', `no row of ${basename(values.input)} has an answer in "${label}"`, { column: label });
      const { predictions } = await models.predict({ source, rows: scored });
      let metrics: ClassificationMetrics | RegressionMetrics;
      let unknownLabels = 0;
      if (regression) {
        metrics = regressionMetrics(
          scored.map((r) => toNumber(r[label])),
          predictions.map((p) => p.prediction as number),
        );
      } else {
        const actual = scored.map((r) => cellText(r[label]).trim());
        const known = new Set(info.labels);
        unknownLabels = actual.filter((a) => !known.has(a)).length;
        metrics = classificationMetrics(
          actual,
          predictions.map((p) => String(p.prediction)),
        );
      }
      const report = { file: basename(positionals[0]), task: info.task, rows: scored.length, skipped: table.rows.length - scored.length, unknownLabels, metrics };
      if (values.json) io.out(JSON.stringify(report));
      else print(report, io);
      return 0;
    } finally {
      models.dispose();
    }
  },
};

const NAMES: Record<string, string> = { accuracy: 'accuracy', macroF1: 'macro F1', mae: 'MAE', rmse: 'RMSE', r2: 'R²' };

function print(report: { file: string; task: string; rows: number; skipped: number; unknownLabels: number; metrics: ClassificationMetrics | RegressionMetrics }, io: CliIo): void {
  io.out(`${report.file} (${report.task}) on ${report.rows} row(s)${report.skipped ? `, ${report.skipped} without an answer skipped` : ''}`);
  io.out(Object.entries(report.metrics).map(([k, v]) => `${NAMES[k] ?? k} ${(v as number).toFixed(4)}`).join(', '));
  if (report.unknownLabels) io.out(`note: ${report.unknownLabels} row(s) have an answer the model was never trained on; they count as misses`);
}
