/**
 * The Evaluation step behind the contract: a run's evaluation on its test split (scored in the
 * process's compute worker when missing or stale, with progress), the decision threshold saved
 * with the run, the examples behind a confusion-matrix cell, "try it", and the runs side by side
 * with the one chosen to ship. The Deployment step reuses the test rows and the evaluations.
 */
import { join } from 'node:path';
import type { Row } from '../contract/data';
import type { CompareRow, CompareView, EvaluableRun, Evaluation, EvaluationView, ExampleRow, LimitCheck } from '../contract/evaluation';
import type { EvaluationProgress } from '../contract/evaluation-channels';
import type { Prediction } from '../contract/export';
import type { ProjectFile } from '../contract/schemas';
import type { RunSummary } from '../contract/training';
import { CoreError } from '../core/errors';
import { evaluateRun, examplesOf, readEvaluation, withThreshold, writeEvaluation, type EvaluationFile, type ExampleFilter } from '../core/evaluation/evaluate-run';
import { diagnoseFit } from '../core/evaluation/overfitting';
import { targetInputOf, testMetricsOf } from '../core/evaluation/summary';
import { projectDirOfRun } from '../core/inference/model-recipe';
import { rowsFromTexts } from '../core/inference/predictor';
import { listCatalog } from '../core/models/catalog';
import { checkTargets } from '../core/needs/targets';
import { readProjectFile } from '../core/projects/project-file';
import type { ProjectStore } from '../core/projects/project-store';
import { loadTestRows, readDataSnapshot } from '../core/training/project-data';
import { listRuns, readMetrics, readRun, updateRun } from '../core/training/run-store';
import type { ComputeWorker } from '../training/compute-worker';
import { existingComputeWorker, sharedComputeWorker } from '../training/shared-worker';

export interface EvaluationServiceOptions {
  projects: ProjectStore;
  emit: (event: EvaluationProgress) => void;
  log?: (message: string) => void;
}

/** Test splits kept in memory: the runs last evaluated or exported. */
const TEST_ROWS_KEPT = 2;
const LIVE = new Set(['queued', 'running', 'paused']);

export class EvaluationService {
  private readonly running = new Map<string, Promise<EvaluationFile>>();
  private readonly testRows = new Map<string, Promise<Row[]>>();
  private readonly modelNames = Object.fromEntries(listCatalog().map((e) => [e.id, e.name]));

  constructor(private readonly o: EvaluationServiceOptions) {}

  async view(projectId: string, runId?: string): Promise<EvaluationView> {
    const { dir, project } = await this.open(projectId);
    const runs = await this.evaluableRuns(dir);
    const chosenRunId = this.chosen(project, runs);
    const shown = runId ?? chosenRunId ?? runs[0]?.runId ?? null;
    const base = { runs: await this.withEvaluated(runs), runId: shown, chosenRunId, modelNames: this.modelNames };
    if (!shown) return { ...base, evaluation: null };
    const run = runs.find((r) => r.runId === shown) ?? (await this.runOf(dir, shown));
    const file = await this.evaluationOf(projectId, run.dir);
    const evaluation = await this.present(project, run, file);
    return { ...base, runs: base.runs.map((r) => (r.runId === shown ? { ...r, evaluated: true } : r)), evaluation };
  }

  /** Saves a binary run's decision threshold in run.json and re-scores its saved answers at it. */
  async setThreshold(projectId: string, runId: string, threshold: number): Promise<EvaluationView> {
    const runDir = join(this.o.projects.dirOf(projectId), 'runs', runId);
    const file = await this.evaluationOf(projectId, runDir);
    const moved = withThreshold(file, threshold);
    await updateRun(runDir, { decisionThreshold: threshold });
    await writeEvaluation(runDir, moved);
    return this.view(projectId, runId);
  }

  async examples(projectId: string, runId: string, filter: ExampleFilter, limit: number, threshold?: number): Promise<{ total: number; rows: ExampleRow[] }> {
    const runDir = join(this.o.projects.dirOf(projectId), 'runs', runId);
    let file = await this.evaluationOf(projectId, runDir);
    if (threshold !== undefined && file.outputKind === 'binary' && threshold !== file.threshold) file = withThreshold(file, threshold);
    return examplesOf(file, filter, limit);
  }

  /** One answer for what the user typed: a text for a text model, else a row of values. */
  async tryIt(projectId: string, runId: string, input: { text?: string; row?: Row }): Promise<{ labels: string[]; prediction: Prediction }> {
    const runDir = join(this.o.projects.dirOf(projectId), 'runs', runId);
    const source = { kind: 'run' as const, runDir };
    const worker = this.worker();
    const rows = input.text !== undefined ? rowsFromTexts((await worker.describeModel(source)).input, [input.text]) : [input.row!];
    const response = await worker.predict({ source, rows });
    return { labels: response.labels, prediction: response.predictions[0] };
  }

  async compare(projectId: string): Promise<CompareView> {
    const { dir, project } = await this.open(projectId);
    const runs = await this.allRuns(dir);
    const rows: CompareRow[] = [];
    for (const run of runs) rows.push(await this.compareRow(run));
    const evaluable = runs.filter((r) => r.hasModel && !LIVE.has(r.status)).map(toEvaluable);
    return { rows, metricName: runs[0]?.metricName ?? 'accuracy', chosenRunId: this.chosen(project, evaluable), modelNames: this.modelNames };
  }

  /** "Use this run": saved in project.json for the Deployment step. */
  async chooseRun(projectId: string, runId: string): Promise<CompareView> {
    const run = await readRun(join(this.o.projects.dirOf(projectId), 'runs', runId));
    if (!run.hasModel) throw new CoreError('run_has_no_model', `run ${runId} has no saved model`, { runId });
    await this.o.projects.updateSections(projectId, () => ({ evaluation: { chosenRunId: runId, chosenAt: new Date().toISOString() } }));
    return this.compare(projectId);
  }

  /** The run's evaluation: the saved one when current, else scored now (one scoring per run at a time). */
  async evaluationOf(projectId: string, runDir: string): Promise<EvaluationFile> {
    const saved = await readEvaluation(runDir);
    if (saved) return saved;
    let job = this.running.get(runDir);
    if (!job) {
      job = this.score(projectId, runDir).finally(() => this.running.delete(runDir));
      this.running.set(runDir, job);
    }
    return job;
  }

  /**
   * A run's test split as the Data step cut it when the run started (cleaned by its recipe): read
   * streaming, and only the test rows are kept (the smallest split).
   */
  testRowsOf(runDir: string): Promise<Row[]> {
    let entry = this.testRows.get(runDir);
    if (!entry) {
      entry = readDataSnapshot(runDir).then((snapshot) => loadTestRows(projectDirOfRun(runDir) ?? join(runDir, '..', '..'), snapshot));
      entry.catch(() => this.testRows.delete(runDir));
      this.testRows.set(runDir, entry);
      while (this.testRows.size > TEST_ROWS_KEPT) this.testRows.delete(this.testRows.keys().next().value!);
    }
    return entry;
  }

  /** Runs that finished (or stopped, or were interrupted) with a model, newest first. */
  async evaluableRuns(dir: string): Promise<RunSummary[]> {
    return (await this.allRuns(dir)).filter((r) => r.hasModel && !LIVE.has(r.status));
  }

  /** The run picked to ship when it still has a model, else null. */
  chosen(project: ProjectFile, runs: readonly { runId: string }[]): string | null {
    const id = project.evaluation?.chosenRunId;
    return id && runs.some((r) => r.runId === id) ? id : null;
  }

  private async score(projectId: string, runDir: string): Promise<EvaluationFile> {
    const rows = await this.testRowsOf(runDir);
    const worker = this.worker();
    const runId = runDir.split(/[\\/]/).pop()!;
    // Jobs run in turn in the one compute worker: a training run goes first.
    const onProgress = (done: number, total: number) => this.o.emit({ projectId, runId, done, total, waiting: done === 0 && worker.activeRunIds.length > 0 });
    return evaluateRun({ runDir, rows, predict: (request) => worker.predict(request), onProgress });
  }

  private async present(project: ProjectFile, run: RunSummary, file: EvaluationFile): Promise<Evaluation> {
    const config = run.config;
    const diagnosis = diagnoseFit(await readMetrics(run.dir), {
      task: config.task,
      earlyStopping: config.earlyStopping.enabled,
      regularized: config.dropout > 0 || config.l1 > 0 || config.l2 > 0,
      stopReason: run.stopReason,
    });
    const needs = project.needs;
    const focus = needs?.focusLabel && file.labels.includes(needs.focusLabel) ? needs.focusLabel : file.outputKind === 'binary' ? file.labels[1] : null;
    const targets = needs?.targets ?? [];
    const checks = checkTargets(targets, targetInputOf(file.report));
    const limits: LimitCheck[] = [];
    if (needs?.maxLatencyMs !== undefined) limits.push({ limit: 'latency', max: needs.maxLatencyMs, actual: file.latencyMs, met: file.latencyMs !== null && file.latencyMs <= needs.maxLatencyMs });
    if (needs?.maxModelSizeMB !== undefined) limits.push({ limit: 'size', max: needs.maxModelSizeMB, actual: file.modelBytes / 1e6, met: file.modelBytes / 1e6 <= needs.maxModelSizeMB });
    return {
      runId: run.runId,
      evaluatedAt: file.evaluatedAt,
      modelId: config.modelId,
      task: config.task,
      labelColumn: file.labelColumn,
      input: file.input,
      report: file.report,
      diagnosis,
      threshold: file.threshold,
      focusLabel: focus,
      latencyMs: file.latencyMs,
      modelBytes: file.modelBytes,
      targets: checks.map((check, i) => ({ ...check, target: targets[i] })),
      limits,
    };
  }

  private async compareRow(run: RunSummary): Promise<CompareRow> {
    const metrics = await readMetrics(run.dir);
    const lastEpoch = metrics.findLast((e) => e.kind === 'epoch');
    const evaluation = run.hasModel ? await readEvaluation(run.dir) : null;
    const best = run.best;
    return {
      runId: run.runId,
      createdAt: run.createdAt,
      status: run.status,
      modelId: run.config.modelId,
      hasModel: run.hasModel,
      epochs: run.config.epochs,
      epochsCompleted: run.epochsCompleted,
      batchSize: run.config.batchSize,
      learningRate: run.config.learningRate,
      dropout: run.config.dropout,
      trainingSeconds: lastEpoch?.kind === 'epoch' ? lastEpoch.elapsedSeconds : null,
      backend: run.backend?.selected ?? null,
      paramCount: run.paramCount,
      validationScore: best ? (best.valMetric ?? best.metric) : null,
      test: evaluation ? testMetricsOf(evaluation.report) : null,
    };
  }

  private async withEvaluated(runs: readonly RunSummary[]): Promise<EvaluableRun[]> {
    const out: EvaluableRun[] = [];
    for (const run of runs) out.push({ ...toEvaluable(run), evaluated: (await readEvaluation(run.dir)) !== null });
    return out;
  }

  private async allRuns(dir: string): Promise<RunSummary[]> {
    const worker = existingComputeWorker();
    const runsDir = join(dir, 'runs');
    return worker ? worker.listRuns(runsDir) : listRuns(runsDir);
  }

  private async runOf(dir: string, runId: string): Promise<RunSummary> {
    const runDir = join(dir, 'runs', runId);
    const run = await readRun(runDir);
    if (!run.hasModel) throw new CoreError('run_has_no_model', `run ${runId} has no saved model`, { runId });
    return { ...run, dir: runDir };
  }

  private async open(projectId: string): Promise<{ dir: string; project: ProjectFile }> {
    const dir = this.o.projects.dirOf(projectId);
    return { dir, project: await readProjectFile(dir) };
  }

  private worker(): ComputeWorker {
    return sharedComputeWorker(this.o.log);
  }
}

function toEvaluable(run: RunSummary): EvaluableRun {
  return { runId: run.runId, createdAt: run.createdAt, modelId: run.config.modelId, status: run.status, evaluated: false };
}
