/**
 * The Model and Training steps behind the contract: the catalog for a project's task with the
 * recommended model, estimates measured on the project's data, the model choice and training
 * settings in project.json, and runs trained in the process's one compute worker. The data is
 * named, not loaded: the compute worker reads, cleans, splits and encodes the project's files
 * itself, streaming, so this thread never holds the rows.
 */
import { join } from 'node:path';
import type { ProjectFile } from '../contract/schemas';
import type { ModelEstimate, ModelId, ProgressEvent, RunSummary, TaskId } from '../contract/training';
import { modelIdSchema } from '../contract/training';
import type { ModelChoice, ModelsView, TrainingProgressEvent, TrainingView } from '../contract/training-channels';
import { trainingSettingsSchema, type TrainingSettings } from '../contract/training-settings';
import { assertServesTask, getModel, listCatalog } from '../core/models/catalog';
import { resolveHyperparameters } from '../core/models/layers-util';
import { recommendModel } from '../core/models/recommend';
import { readProjectFile } from '../core/projects/project-file';
import type { ProjectStore } from '../core/projects/project-store';
import { dataKeyOf, readEstimates, writeEstimates } from '../core/training/estimate-cache';
import { assertTrainable, dataSectionOf, readDataSnapshot } from '../core/training/project-data';
import { publicSetup, resolveSetup, type DataSection, type ResolvedSetup } from '../core/training/project-setup';
import { listRuns, readMetrics, readRun } from '../core/training/run-store';
import type { ProjectDataRef } from '../core/training/training-data';
import type { ComputeWorker, RunHandle } from './compute-worker';
import { existingComputeWorker, onComputeWorkerCreated, sharedComputeWorker } from './shared-worker';

export interface TrainingServiceOptions {
  projects: ProjectStore;
  emit: (event: TrainingProgressEvent) => void;
  /** The Data step's training-split size when it has analyzed the data (its cache), else null. */
  trainRowsOf?: (projectDir: string, project: ProjectFile) => Promise<number | null>;
  log?: (message: string) => void;
}

export class TrainingService {
  private readonly runProjects = new Map<string, string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: TrainingServiceOptions) {
    let off: (() => void) | null = null;
    this.unsubscribe = onComputeWorkerCreated((worker) => {
      off?.();
      off = worker.onProgress((event) => this.forward(event));
    });
  }

  /** Stops forwarding progress (the worker itself is shared and ended by the host). */
  close(): void {
    this.unsubscribe();
  }

  // ----- Model step ---------------------------------------------------------------------------

  async catalog(projectId: string): Promise<ModelsView> {
    const { dir, project, setup } = await this.open(projectId);
    const task = setup.task;
    const recommendation = task ? recommendModel({ task, trainRows: setup.trainRows }) : null;
    const choice = task ? this.choiceOf(project, task, recommendation!.modelId) : null;
    const entries = task ? listCatalog(task).map((entry) => ({ ...entry, recommended: entry.id === recommendation!.modelId })) : [];
    const estimates = task && project.data ? await readEstimates(dir, dataKeyOf(project.data), choice?.chosen ? { [choice.modelId]: choice.hyperparameters } : {}) : [];
    const trainingActive = (existingComputeWorker()?.activeRunIds.length ?? 0) > 0;
    return { setup: publicSetup(setup), entries, recommendation, choice, estimates, trainingActive };
  }

  /** Measures each model on the project's own training rows (in the compute worker). */
  async estimate(projectId: string, modelIds?: ModelId[]): Promise<{ estimates: ModelEstimate[] }> {
    const { dir, project, setup } = await this.open(projectId);
    assertTrainable(setup);
    const ids = modelIds ?? listCatalog(setup.task).map((e) => e.id);
    for (const id of ids) assertServesTask(id, setup.task);
    const choice = this.choiceOf(project, setup.task, ids[0]);
    const knobs = choice.chosen ? { [choice.modelId]: choice.hyperparameters } : {};
    const estimates = await this.worker().estimate({ data: projectData(dir, project.data!), config: { task: setup.task }, modelIds: ids, hyperparameters: knobs });
    await writeEstimates(dir, dataKeyOf(project.data!), estimates, knobs).catch((error: Error) => this.o.log?.(`estimates not cached: ${error.message}`));
    return { estimates };
  }

  async choose(projectId: string, modelId: ModelId, hyperparameters: Record<string, number> = {}): Promise<ModelsView> {
    const { setup } = await this.open(projectId);
    assertTrainable(setup);
    const definition = assertServesTask(modelId, setup.task);
    resolveHyperparameters(definition.entry.hyperparameters, hyperparameters); // refuses unknown keys and values out of range
    await this.o.projects.updateSections(projectId, () => ({ model: { modelId, hyperparameters, chosenAt: new Date().toISOString() } }));
    return this.catalog(projectId);
  }

  // ----- Training step ------------------------------------------------------------------------

  async view(projectId: string): Promise<TrainingView> {
    const { dir, project, setup } = await this.open(projectId);
    const worker = existingComputeWorker();
    const runs = await this.runs(projectId, dir);
    const modelNames = Object.fromEntries(listCatalog().map((e) => [e.id, e.name]));
    const base = { setup: publicSetup(setup), runs, backend: worker?.lastBackend ?? null, nativeLost: worker?.nativeUnavailableUntilRestart ?? false, modelNames };
    if (!setup.task) {
      const defaults = trainingSettingsSchema.parse({});
      return { ...base, model: null, settings: defaults, defaults };
    }
    const model = this.modelOf(project, setup.task, setup.trainRows);
    const defaults = defaultsFor(model.modelId);
    const saved = project.training?.modelId === model.modelId ? project.training.settings : null;
    return { ...base, model: { ...model, metricName: setup.task === 'tabular-regression' ? 'mae' : 'accuracy' }, settings: saved ?? defaults, defaults };
  }

  async saveSettings(projectId: string, settings: TrainingSettings): Promise<TrainingView> {
    const { project, setup } = await this.open(projectId);
    assertTrainable(setup);
    const model = this.modelOf(project, setup.task, setup.trainRows);
    await this.o.projects.updateSections(projectId, () => ({ training: { settings, modelId: model.modelId, updatedAt: new Date().toISOString() } }));
    return this.view(projectId);
  }

  /** Starts a run on the training and validation splits; the test split stays out of it. */
  async start(projectId: string, settings?: TrainingSettings): Promise<RunSummary> {
    const { dir, project, setup } = await this.open(projectId);
    assertTrainable(setup);
    const model = this.modelOf(project, setup.task, setup.trainRows);
    const effective = settings ?? (project.training?.modelId === model.modelId ? project.training.settings : defaultsFor(model.modelId));
    if (settings) {
      await this.o.projects.updateSections(projectId, () => ({ training: { settings, modelId: model.modelId, updatedAt: new Date().toISOString() } }));
    }
    const config = { ...effective, modelId: model.modelId, task: setup.task, hyperparameters: model.hyperparameters };
    // The worker writes the run's data.json (the section with the recipe fitted on this split).
    const handle = await this.worker().startRun({ runsDir: join(dir, 'runs'), config, data: projectData(dir, project.data!) });
    return this.started(projectId, handle);
  }

  /** Continues a run from its last checkpoint, on the data it was trained on (its data.json). */
  async resumeRun(projectId: string, runId: string, epochs?: number): Promise<RunSummary> {
    const dir = this.o.projects.dirOf(projectId);
    const runDir = join(dir, 'runs', runId);
    await readRun(runDir);
    const snapshot = await readDataSnapshot(runDir);
    const handle = await this.worker().resumeRun({ runDir, data: projectData(dir, snapshot), epochs });
    return this.started(projectId, handle);
  }

  /** Pause, resume, stop (keeps the best model) or cancel a run of this project. */
  async control(projectId: string, runId: string, action: 'pause' | 'resume' | 'stop' | 'cancel'): Promise<{ accepted: boolean }> {
    await readRun(join(this.o.projects.dirOf(projectId), 'runs', runId)); // not_found for a run of another project
    const worker = existingComputeWorker();
    return { accepted: worker ? worker[action](runId) : false };
  }

  async runs(projectId: string, dir = this.o.projects.dirOf(projectId)): Promise<RunSummary[]> {
    const runsDir = join(dir, 'runs');
    const worker = existingComputeWorker();
    // Without a worker in this process nothing trains: runs still marked running were interrupted.
    return worker ? worker.listRuns(runsDir) : listRuns(runsDir);
  }

  /** A run with its epochs and status changes (and its last batch), to draw its charts again. */
  async metrics(projectId: string, runId: string): Promise<{ run: RunSummary; events: ProgressEvent[] }> {
    const runDir = join(this.o.projects.dirOf(projectId), 'runs', runId);
    const run = await readRun(runDir);
    const all = await readMetrics(runDir);
    const lastBatch = all.findLast((e) => e.kind === 'batch');
    const events = all.filter((e) => e.kind !== 'batch');
    return { run: { ...run, dir: runDir }, events: lastBatch ? [...events, lastBatch] : events };
  }

  // ----- helpers ------------------------------------------------------------------------------

  private worker(): ComputeWorker {
    return sharedComputeWorker(this.o.log);
  }

  private async open(projectId: string): Promise<{ dir: string; project: ProjectFile; setup: ResolvedSetup }> {
    const dir = this.o.projects.dirOf(projectId);
    const project = await readProjectFile(dir);
    const trainRows = project.data && this.o.trainRowsOf ? await this.o.trainRowsOf(dir, project).catch(() => null) : null;
    return { dir, project, setup: resolveSetup(project.data, trainRows) };
  }

  /** The user's choice when it still fits the task, else the recommendation. */
  private choiceOf(project: ProjectFile, task: TaskId, recommended: ModelId): ModelChoice {
    const saved = project.model;
    const id = modelIdSchema.safeParse(saved?.modelId);
    if (saved && id.success && getModel(id.data).entry.tasks.includes(task)) {
      return { modelId: id.data, hyperparameters: saved.hyperparameters, chosen: true };
    }
    return { modelId: recommended, hyperparameters: {}, chosen: false };
  }

  private modelOf(project: ProjectFile, task: TaskId, trainRows: number): ModelChoice {
    return this.choiceOf(project, task, recommendModel({ task, trainRows }).modelId);
  }

  private async started(projectId: string, handle: RunHandle): Promise<RunSummary> {
    this.runProjects.set(handle.runId, projectId);
    // A run that cannot start rejects `done`; the caller learns it from the run's status event.
    handle.done.catch((error: Error) => this.o.log?.(`run ${handle.runId} did not start: ${error.message}`));
    return { ...(await readRun(handle.dir)), dir: handle.dir };
  }

  private forward(event: ProgressEvent): void {
    const projectId = this.runProjects.get(event.runId);
    if (projectId) this.o.emit({ projectId, runId: event.runId, event });
  }
}

/** A project's data by reference, for the compute worker to read (see the module note). */
function projectData(projectDir: string, section: DataSection): ProjectDataRef {
  return { kind: 'project', projectDir, section: dataSectionOf(section) };
}

/** A model's recommended settings (its catalog defaults over the general ones). */
export function defaultsFor(modelId: ModelId): TrainingSettings {
  const { epochs, batchSize, learningRate, optimizer } = getModel(modelId).entry.defaults;
  return trainingSettingsSchema.parse({ epochs, batchSize, learningRate, optimizer });
}

