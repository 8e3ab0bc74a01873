import type { Row } from '../../contract/data';
import type { PredictResponse } from '../../contract/export';
import { writeFileAtomic } from '../../core/fs/atomic-write';
import { answerColumns, predictionsToCsv } from '../../core/inference/csv';
import { readInputTable } from '../../core/inference/input-table';
import { LocalModels } from '../../core/inference/local';
import { rowsFromTexts } from '../../core/inference/predictor';
import { UsageError } from '../cli-error';
import type { Command } from '../command';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'predict with an exported .mpmodel file: one answer (label or value) and its confidence per row',
  usage: 'modelpilot predict FILE.mpmodel (--text "…" | --input data.csv) [--out predictions.csv] [--json]',
  help: [
    'options:',
    '  --input FILE    the rows to predict: CSV or TSV (any encoding), Excel, JSON or JSON Lines, with a header row',
    '  --text "…"      for text models: one text to predict (repeat for more)',
    '  --out FILE      write the rows with a prediction and a confidence column as CSV (UTF-8 for Excel)',
    '  --json          print {model, labels, rows} as JSON, each row with its prediction, confidence and',
    '                  the probability of every label',
    '',
    'Without --out or --json the rows are printed as CSV with the two columns added.',
  ].join('\n'),
  options: {
    input: { type: 'string' },
    text: { type: 'string', multiple: true },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(`give one .mpmodel file (usage: ${predictCommand.usage})`);
    const texts = values.text as string[] | undefined;
    const input = values.input as string | undefined;
    if ((texts ? 1 : 0) + (input ? 1 : 0) !== 1) throw new UsageError(`give either --text or --input (usage: ${predictCommand.usage})`);

    const source = { kind: 'bundle' as const, path: positionals[0] };
    const models = new LocalModels();
    try {
      const info = await models.describeModel(source);
      const table = texts ? { columns: [info.input.columns.find((c) => c.type === 'text')?.name ?? ''], rows: rowsFromTexts(info.input, texts) } : await readInputTable(input!);
      const result = await models.predict({ source, rows: table.rows });
      if (values.out) {
        await writeFileAtomic(String(values.out), predictionsToCsv(table.columns, table.rows, result.predictions));
        io.err(`${result.predictions.length} prediction(s) written to ${values.out}`);
      }
      if (values.json) io.out(JSON.stringify({ model: { name: info.name, task: info.task }, labels: result.labels, rows: jsonRows(table.columns, table.rows, result) }));
      else if (!values.out) io.out(predictionsToCsv(table.columns, table.rows, result.predictions).replace(/^\ufeff/, '').replace(/\r\n$/, '').replace(/\r\n/g, '\n'));
      return 0;
    } finally {
      models.dispose();
    }
  },
};

/**
 * Rows with their answer: the input's cells, then the prediction and confidence (named as in
 * the CSV, so an input column called "prediction" is not overwritten) and every label's probability.
 */
function jsonRows(columns: string[], rows: Row[], result: PredictResponse) {
  const answer = answerColumns(columns);
  return rows.map((row, i) => {
    const p = result.predictions[i];
    return {
      ...row,
      [answer.prediction]: p.prediction,
      [answer.confidence]: p.confidence,
      probabilities: p.probabilities ? Object.fromEntries(result.labels.map((label, k) => [label, p.probabilities![k]])) : null,
    };
  });
}
