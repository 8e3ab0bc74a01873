import { basename } from 'node:path';
import { exportFormatSchema, type ExportResult, type ParityResult } from '../../contract/export';
import { localeSchema } from '../../contract/schemas';
import { exportRun } from '../../core/export/export-bundle';
import { checkParity } from '../../core/export/parity';
import { LocalModels } from '../../core/inference/local';
import { projectDirOfRun } from '../../core/inference/model-recipe';
import { loadTestRows, readDataSnapshot } from '../../core/training/project-data';
import { UsageError } from '../cli-error';
import type { CliIo, Command } from '../command';

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a trained run as a .mpmodel file (model, recipe, model card, examples) or a TF.js folder',
  usage: 'modelpilot export <runDir> --out FILE.mpmodel [--lang en|zh-CN] [--format mpmodel|tfjs] [--name NAME] [--check] [--json]',
  help: [
    'options:',
    '  --out PATH      the .mpmodel file to write (replaced if it exists), or the folder for --format tfjs',
    '  --lang LANG     language of the model card and README: en (default) or zh-CN',
    '  --format F      mpmodel (default): one zip with everything; tfjs: model.json + weights, recipe.json and',
    '                  manifest.json in a folder, for TensorFlow.js apps',
    '  --name NAME     the model\'s name in the manifest and card (default: the project\'s name)',
    '  --check         reload the written file and re-score the project\'s test split: reports whether it',
    '                  reproduces the run\'s predictions exactly, or by how much they differ',
    '  --json          print the result as JSON (the manifest, the files, the check)',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    lang: { type: 'string' },
    format: { type: 'string' },
    name: { type: 'string' },
    check: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(`give one run folder to export (usage: ${exportCommand.usage})`);
    if (typeof values.out !== 'string' || values.out === '') throw new UsageError(`--out is required (usage: ${exportCommand.usage})`);
    const language = localeSchema.safeParse(values.lang ?? 'en');
    if (!language.success) throw new UsageError(`--lang must be en or zh-CN, not "${values.lang}"`);
    const formatArg = values.format === 'tfjs' ? 'tfjs-folder' : (values.format ?? 'mpmodel');
    const format = exportFormatSchema.safeParse(formatArg);
    if (!format.success) throw new UsageError(`--format must be mpmodel or tfjs, not "${values.format}"`);
    if (values.check && format.data !== 'mpmodel') throw new UsageError('--check needs --format mpmodel');

    const runDir = positionals[0];
    const result = await exportRun({ runDir, outPath: values.out, format: format.data, language: language.data, name: values.name as string | undefined });
    const parity = values.check ? await checkExport(runDir, result.path) : null;
    if (values.json) io.out(JSON.stringify({ ...result, parity }));
    else print(result, parity, io);
    return parity && !parity.withinTolerance ? 1 : 0;
  },
};

/** Re-scores the project's test split with the run and with the file just written. */
async function checkExport(runDir: string, bundlePath: string): Promise<ParityResult | null> {
  const projectDir = projectDirOfRun(runDir);
  if (!projectDir) return null;
  const snapshot = await readDataSnapshot(runDir).catch(() => null);
  if (!snapshot) return null;
  const test = await loadTestRows(projectDir, snapshot);
  if (test.length === 0) return null;
  const models = new LocalModels();
  try {
    // The split's rows are already cleaned: both sides skip the cleaning recipe.
    return await checkParity((request) => models.predict(request), { runDir, bundlePath, rows: test, cleaned: true });
  } finally {
    models.dispose();
  }
}

function print(result: ExportResult, parity: ParityResult | null, io: CliIo): void {
  const m = result.manifest;
  const size = result.bytes >= 1024 * 1024 ? `${(result.bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(result.bytes / 1024))} KB`;
  io.out(`exported ${basename(result.path)} (${size}): ${m.name}`);
  io.out(`task: ${m.task}${m.labels.length ? `; labels: ${m.labels.join(', ')}` : ''}`);
  io.out(`reads: ${m.input.columns.map((c) => `${c.name} (${c.type})`).join(', ')}`);
  io.out(`model card: ${m.language}`);
  if (result.cleaningRecipeSource === 'project') io.out('note: the run kept no data snapshot; the project\'s current cleaning recipe was exported with it');
  if (parity) {
    io.out(
      parity.identical
        ? `check: the file reproduces the run's predictions exactly on ${parity.rows} test rows`
        : `check: on ${parity.rows} test rows, ${parity.labelDisagreements} answer(s) differ; largest difference ${parity.maxAbsDiff.toExponential(2)}`,
    );
  }
  io.out(`written to ${result.path}`);
}
