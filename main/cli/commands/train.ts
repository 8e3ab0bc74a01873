import { basename, join } from 'node:path';
import { modelIdSchema, type ModelId, type ProgressEvent, type RunFile, type RunSummary } from '../../contract/training';
import { classificationMetrics, regressionMetrics, type ClassificationMetrics, type RegressionMetrics } from '../../core/evaluation/metrics';
import { predictWithRun } from '../../core/evaluation/predict-run';
import { assertServesTask } from '../../core/models/catalog';
import type { ProjectStore } from '../../core/projects/project-store';
import { describeRecommendation, recommendModel } from '../../core/models/recommend';
import { TEST } from '../../core/data/split';
import { loadPlannedRows, planSplit } from '../../core/data/split-plan';
import { assertTrainable, dataSectionOf } from '../../core/training/project-data';
import { resolveSetup, type DataSection } from '../../core/training/project-setup';
import { ComputeWorker } from '../../training/compute-worker';
import { defaultsFor } from '../../training/training-service';
import { UsageError } from '../cli-error';
import type { CliIo, Command } from '../command';
import { importForTraining, openCliProject } from '../train-project';

export const trainCommand: Command = {
  name: 'train',
  summary: 'import a file or text folder, clean and split it, train a model headless, and score it on the test split',
  usage: 'modelpilot train <file|folder> --label COL [--model ID] [--epochs N] [--project DIR] [--json]',
  help: [
    'options:',
    '  --label COL     the column to predict (a text folder\'s label is its subfolder; a column named "label" is found on its own)',
    `  --model ID      one of ${modelIdSchema.options.join(', ')}; default: the model recommended for the data`,
    '  --epochs N      passes over the training rows (default: the model\'s recommended number; early stopping may end sooner)',
    '  --project DIR   use this project folder, or make it one; without it a new project is made under',
    '                  MODELPILOT_HOME when that is set, else in the system temp folder (modelpilot-train)',
    '  --json          one JSON line per epoch ({"event":"epoch",…}), then {"event":"done","runDir":…,"metrics":{…}}',
    '',
    'The project\'s cleaning fixes and split are used (80/10/10 for a new project). The model learns from the',
    'training rows, early stopping watches the validation rows, and the metrics are computed on the test rows',
    'only: accuracy and macro F1 for categories; MAE, RMSE and R² for numbers. Ctrl+C stops and keeps the best model.',
  ].join('\n'),
  options: {
    label: { type: 'string' },
    model: { type: 'string' },
    epochs: { type: 'string' },
    project: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(`give one file or folder to train on (usage: ${trainCommand.usage})`);
    const json = values.json === true;
    const modelArg = values.model === undefined ? undefined : modelIdSchema.safeParse(values.model);
    if (modelArg && !modelArg.success) throw new UsageError(`unknown model "${values.model}"; use one of ${modelIdSchema.options.join(', ')}`);
    const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
    if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000)) throw new UsageError(`--epochs must be a whole number from 1 to 1000, not "${values.epochs}"`);
    const say = (line: string) => (json ? io.err(line) : io.out(line));

    const input = positionals[0];
    const project = await openCliProject(values.project as string | undefined, input);
    say(`project: ${project.dir}${project.created ? ' (new)' : ''}`);
    const data = await importForTraining(project, input, values.label as string | undefined);
    const setup = resolveSetup(data);
    assertTrainable(setup);
    const task = setup.task;
    // One streaming pass for the split; the compute worker reads the training rows itself, and the
    // test rows are read once training is done, so no rows are held here while it trains.
    const split = await planSplit(project.dir, data);
    const { counts } = split;
    say(`data: ${basename(input)}, ${data.source.rows} rows; predicting "${data.labelColumn}" (${task}); split ${counts.train} / ${counts.validation} / ${counts.test}`);

    const recommendation = recommendModel({ task, trainRows: counts.train });
    const modelId: ModelId = modelArg?.data ?? recommendation.modelId;
    assertServesTask(modelId, task);
    say(`model: ${modelId}${modelArg ? '' : ` (recommended: ${describeRecommendation(recommendation)})`}`);
    const settings = { ...defaultsFor(modelId), ...(epochs ? { epochs } : {}) };
    const hyperparameters = (await readChoice(project.store, project.id, modelId)) ?? {};
    await project.store.updateSections(project.id, () => ({
      model: { modelId, hyperparameters, chosenAt: new Date().toISOString() },
      training: { settings, modelId, updatedAt: new Date().toISOString() },
    }));

    const run = await train(project.dir, { ...settings, modelId, task, hyperparameters }, dataSectionOf(data), (event, metricName) => {
      if (event.kind !== 'epoch') return;
      if (json) io.out(JSON.stringify(epochLine(event, metricName)));
      else io.out(epochText(event, metricName));
    });
    const runDir = run.dir;
    const metrics = run.hasModel && counts.test > 0 ? await testMetrics(runDir, await loadPlannedRows(split, TEST)) : null;
    const done = {
      event: 'done',
      runId: run.runId,
      runDir,
      status: run.status,
      modelId,
      epochsCompleted: run.epochsCompleted,
      bestEpoch: run.bestEpoch,
      backend: run.backend?.selected ?? null,
      testRows: counts.test,
      metrics,
      failure: run.failure,
    };
    if (json) io.out(JSON.stringify(done));
    else printDone(done, io);
    return run.hasModel && (run.status === 'completed' || run.status === 'stopped') ? 0 : 1;
  },
};

async function readChoice(store: ProjectStore, id: string, modelId: ModelId): Promise<Record<string, number> | null> {
  const project = await store.open(id).catch(() => null);
  return project?.model?.modelId === modelId ? project.model.hyperparameters : null;
}

/** Trains in a compute worker of its own; Ctrl+C stops after the current batch and keeps the best model. */
async function train(
  projectDir: string,
  config: Parameters<ComputeWorker['startRun']>[0]['config'],
  section: DataSection,
  onEpoch: (event: ProgressEvent, metricName: RunFile['metricName']) => void,
): Promise<RunSummary> {
  const worker = new ComputeWorker();
  const onSignal = () => handle?.stop();
  let handle: Awaited<ReturnType<ComputeWorker['startRun']>> | undefined;
  try {
    handle = await worker.startRun({ runsDir: join(projectDir, 'runs'), config, data: { kind: 'project', projectDir, section } });
    const metricName = config.task === 'tabular-regression' ? 'mae' : 'accuracy';
    handle.onProgress((event) => onEpoch(event, metricName));
    process.once('SIGINT', onSignal);
    return { ...(await handle.done), dir: handle.dir };
  } finally {
    process.off('SIGINT', onSignal);
    await worker.dispose();
  }
}

function epochLine(e: Extract<ProgressEvent, { kind: 'epoch' }>, metricName: string) {
  return {
    event: 'epoch',
    epoch: e.epoch,
    epochs: e.epochs,
    loss: e.loss,
    valLoss: e.valLoss,
    metricName,
    metric: e.metric,
    valMetric: e.valMetric,
    improved: e.improved,
    samplesPerSecond: Math.round(e.samplesPerSecond),
    etaSeconds: e.etaSeconds === null ? null : Math.round(e.etaSeconds * 10) / 10,
    elapsedSeconds: Math.round(e.elapsedSeconds * 10) / 10,
  };
}

function epochText(e: Extract<ProgressEvent, { kind: 'epoch' }>, metricName: string): string {
  const num = (v: number | null) => (v === null ? '–' : v.toFixed(4));
  const width = String(e.epochs).length;
  return `epoch ${String(e.epoch).padStart(width)}/${e.epochs}  loss ${num(e.loss)}  ${metricName} ${num(e.metric)}  val loss ${num(e.valLoss)}  val ${metricName} ${num(e.valMetric)}  ${Math.round(e.samplesPerSecond)} samples/s${e.improved ? '  *' : ''}`;
}

/** Accuracy and macro F1 for classes; MAE, RMSE and R² for numbers; on the test split only. */
async function testMetrics(runDir: string, test: Parameters<typeof predictWithRun>[1]): Promise<ClassificationMetrics | RegressionMetrics | null> {
  const predictions = await predictWithRun(runDir, test);
  if (predictions.actual.length === 0) return null;
  return predictions.kind === 'classification'
    ? classificationMetrics(predictions.actual, predictions.predicted)
    : regressionMetrics(predictions.actual, predictions.predicted);
}

function printDone(done: { status: string; epochsCompleted: number; bestEpoch: number | null; runDir: string; testRows: number; metrics: ClassificationMetrics | RegressionMetrics | null; failure: RunFile['failure'] }, io: CliIo): void {
  io.out(`done: ${done.status} after ${done.epochsCompleted} epoch(s)${done.bestEpoch ? `, best epoch ${done.bestEpoch}` : ''}`);
  if (done.failure) io.out(`reason: ${done.failure.code}: ${done.failure.message}`);
  io.out(`run folder: ${done.runDir}`);
  if (!done.metrics) {
    io.out(done.testRows === 0 ? 'no test rows: the split keeps none, so there is nothing to score' : 'no model to score');
    return;
  }
  const names: Record<string, string> = { accuracy: 'accuracy', macroF1: 'macro F1', mae: 'MAE', rmse: 'RMSE', r2: 'R²' };
  io.out(`test split (${done.testRows} rows): ${Object.entries(done.metrics).map(([k, v]) => `${names[k] ?? k} ${v.toFixed(4)}`).join(', ')}`);
}
