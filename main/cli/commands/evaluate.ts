import { basename } from 'node:path';
import { CoreError } from '../../core/errors';
import { scoreLabelledRows } from '../../core/evaluation/labelled-rows';
import { classificationMetrics, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from '../../core/evaluation/metrics';
import { readInputTable } from '../../core/inference/input-table';
import { LocalModels } from '../../core/inference/local';
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
      // The rows training would have scored: an answer present (and a number, for regression).
      const scored = await scoreLabelledRows({ rows: table.rows, label, model: info, file: basename(values.input), predict: (rows) => models.predict({ source, rows }) });
      const metrics: ClassificationMetrics | RegressionMetrics =
        info.outputKind === 'regression'
          ? regressionMetrics(
              scored.actual as number[],
              scored.predictions.map((p) => p.prediction as number),
            )
          : classificationMetrics(
              scored.actual as string[],
              scored.predictions.map((p) => String(p.prediction)),
            );
      const report = { file: basename(positionals[0]), task: info.task, rows: scored.rows, skipped: scored.skipped, unknownLabels: scored.unknownLabels, metrics };
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
