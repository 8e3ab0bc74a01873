/**
 * Owns the one long-lived compute worker (DESIGN.md, STACK-NOTES): starts it on first use,
 * queues jobs and runs them one at a time, fans progress out, forwards pause / resume / stop /
 * cancel, and survives the worker dying: the running run is marked failed (with the reason) or
 * interrupted, and the next job gets a fresh worker.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Row } from '../contract/data';
import type { ModelInfo, ModelSource, PredictResponse } from '../contract/export';
import type { BackendId } from '../contract/schemas';
import type { BackendReport, ModelEstimate, ProgressEvent, RunFailure, RunFile, RunSummary, TrainingConfigInput } from '../contract/training';
import { probeLadder } from '../core/backends/ladder';
import { CoreError } from '../core/errors';
import { assertServesTask } from '../core/models/catalog';
import type { ControlAction } from '../core/training/control';
import type { EstimateRequest } from '../core/training/estimate';
import { CHECKPOINT_DIR, createRun, hasSavedModel, listRuns, markInterrupted, parseTrainingConfig, readRun, updateRun } from '../core/training/run-store';
import type { TrainingInput } from '../core/training/training-data';
import { resolveWorkerEntry, type WorkerEntry } from '../workers/worker-entry';
import { deserializeError, type FromWorker, type ToWorker } from './protocol';

export interface ComputeWorkerOptions {
  /** Force a backend rung; default: MODELPILOT_BACKEND, else the ladder decides. */
  forcedBackend?: BackendId | null;
  /**
   * JS heap limit of the worker (MB). Past it the worker dies with ERR_WORKER_OUT_OF_MEMORY and
   * the app lives on; without a limit, V8 would take the whole process down. Default 4096.
   */
  maxHeapMb?: number;
  /** Minimum time between batch progress events (default 200 ms). */
  batchEventIntervalMs?: number;
  /** Where worker-level trouble is reported (a crash, a sequence gap). */
  log?: (message: string) => void;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** A run started or resumed through the worker. */
export interface RunHandle {
  runId: string;
  dir: string;
  /**
   * Settles with the final run.json whatever the outcome (completed, stopped, cancelled, failed,
   * interrupted). Rejects only when the run could not start: a CoreError such as
   * `training_data_invalid`, `training_data_mismatch` or `run_not_resumable`.
   */
  done: Promise<RunFile>;
  onProgress(listener: ProgressListener): () => void;
  pause(): boolean;
  resume(): boolean;
  stop(): boolean;
  cancel(): boolean;
}

export interface StartRunOptions {
  /** The project's runs/ folder. */
  runsDir: string;
  config: TrainingConfigInput;
  /** A project's data by reference (the worker streams it from the files: the app's way), or rows. */
  data: TrainingInput;
}

export interface ResumeRunOptions {
  runDir: string;
  /** Must be the data the run started with (checked by fingerprint). */
  data: TrainingInput;
  /** Raise the total number of epochs to train longer than first planned. */
  epochs?: number;
}

/** One prediction job: rows for a run's model or an exported file. */
export interface PredictJob {
  source: ModelSource;
  rows: Row[];
  /** The rows already went through the cleaning recipe (the Data step's prepared test split). */
  cleaned?: boolean;
  /** Load the model from disk again instead of using the worker's cached copy (the parity check). */
  fresh?: boolean;
}

type JobMessage = Extract<ToWorker, { type: 'train' | 'estimate' | 'predict' | 'describe' }> extends infer M ? (M extends ToWorker ? Omit<M, 'seq'> : never) : never;
type JobResult = RunFile | ModelEstimate[] | PredictResponse | ModelInfo;

interface Job {
  jobId: string;
  message: JobMessage;
  runId: string | null;
  runDir: string | null;
  listeners: Set<ProgressListener>;
  resolve: (value: JobResult) => void;
  reject: (error: Error) => void;
  /** Actions sent before the job reached the worker, replayed when it starts. */
  pending: ControlAction[];
  started: boolean;
}

type Outgoing = ToWorker extends infer M ? (M extends ToWorker ? Omit<M, 'seq'> : never) : never;

/** How to start the compute worker: the built compute.worker.js beside this module, else the .ts source through tsx. */
export function computeWorkerEntry(): WorkerEntry {
  return resolveWorkerEntry('compute', import.meta.url);
}

export class ComputeWorker {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private seq = 0;
  private lastSeen = 0;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private readonly listeners = new Set<ProgressListener>();
  private readonly backendListeners = new Set<(report: BackendReport) => void>();
  /** Set while we terminate on purpose, so the exit is not read as a crash. */
  private terminating = false;
  private lastWorkerError: Error | null = null;
  /** Workers that announced they exit after their last reply: their exit is not a crash. */
  private readonly retiring = new Set<Worker>();
  /** Native TensorFlow was loaded by a worker that is gone: later workers cannot load it. */
  private nativeLost = false;
  private nativeLoaded: BackendId | null = null;
  private readonly forced: BackendId | null;
  /** The last backend report a job produced (rung in use, why the others were skipped). */
  lastBackend: BackendReport | null = null;

  constructor(private readonly options: ComputeWorkerOptions = {}) {
    this.forced = options.forcedBackend !== undefined ? options.forcedBackend : probeLadder().forced;
  }

  /** Every progress event of every run. Returns the unsubscribe function. */
  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called when a job settles on a backend rung. */
  onBackend(listener: (report: BackendReport) => void): () => void {
    this.backendListeners.add(listener);
    return () => this.backendListeners.delete(listener);
  }

  /** Runs being written to disk by startRun and not queued yet. */
  private readonly creating = new Set<Promise<unknown>>();

  /** Run ids queued or training now (the rest on disk are not owned by a live worker). */
  get activeRunIds(): string[] {
    return [this.current, ...this.queue].flatMap((job) => (job?.runId ? [job.runId] : []));
  }

  /** True after a worker that had loaded native TensorFlow died: say so in the UI. */
  get nativeUnavailableUntilRestart(): boolean {
    return this.nativeLost;
  }

  /** The runs in a project's runs/ folder; runs left running by a dead app are marked interrupted. */
  async listRuns(runsDir: string): Promise<RunSummary[]> {
    // A run being created is on disk as queued before it is in the queue: wait, or it would look abandoned.
    await Promise.allSettled(this.creating);
    return listRuns(runsDir, { activeRunIds: this.activeRunIds });
  }

  /** Creates runs/<runId>/ with the config snapshot and queues its training. */
  async startRun(options: StartRunOptions): Promise<RunHandle> {
    const config = parseTrainingConfig(options.config);
    assertServesTask(config.modelId, config.task);
    const creating = createRun(options.runsDir, config);
    this.creating.add(creating);
    try {
      const run = await creating;
      return this.enqueueRun(run.runId, run.dir, { runDir: run.dir, data: options.data });
    } finally {
      this.creating.delete(creating);
    }
  }

  /** Queues the continuation of a run from its last checkpoint. */
  async resumeRun(options: ResumeRunOptions): Promise<RunHandle> {
    const run = await readRun(options.runDir);
    if (this.activeRunIds.includes(run.runId)) {
      throw new CoreError('run_not_resumable', `run ${run.runId} is already queued or training`, { runId: run.runId, status: run.status });
    }
    return this.enqueueRun(run.runId, options.runDir, { runDir: options.runDir, data: options.data, resume: { epochs: options.epochs } });
  }

  /** Parameter count, memory and calibrated training time of each model on this data. */
  estimate(request: EstimateRequest): Promise<ModelEstimate[]> {
    const jobId = randomUUID();
    return new Promise<ModelEstimate[]>((resolve, reject) => {
      this.queue.push({
        jobId,
        message: { type: 'estimate', jobId, request },
        runId: null,
        runDir: null,
        listeners: new Set(),
        resolve: resolve as Job['resolve'],
        reject,
        pending: [],
        started: false,
      });
      void this.pump();
    });
  }

  /**
   * Scores rows with a run's model or an exported `.mpmodel`, in the worker (queued behind any
   * training). Rejects with a CoreError such as `run_has_no_model`, `bundle_corrupt` or
   * `predict_input_invalid`.
   */
  predict(job: PredictJob): Promise<PredictResponse> {
    return this.enqueueJob<PredictResponse>((jobId) => ({ type: 'predict', jobId, ...job }));
  }

  /** Loads a model into the worker (kept for later predictions) and says what it reads and answers. */
  describeModel(source: ModelSource): Promise<ModelInfo> {
    return this.enqueueJob<ModelInfo>((jobId) => ({ type: 'describe', jobId, source }));
  }

  pause(runId: string): boolean {
    return this.control(runId, 'pause');
  }

  resume(runId: string): boolean {
    return this.control(runId, 'resume');
  }

  /** Stops after the current batch, keeping the best model so far. */
  stop(runId: string): boolean {
    return this.control(runId, 'stop');
  }

  /** Stops after the current batch and discards the run's model and checkpoint. */
  cancel(runId: string): boolean {
    return this.control(runId, 'cancel');
  }

  /**
   * Last resort (a hung worker, app quit): kills the worker. Runs it held are marked
   * interrupted and can be resumed from their last checkpoint.
   */
  async terminate(): Promise<void> {
    const jobs = [this.current, ...this.queue].filter((j): j is Job => j !== null);
    this.current = null;
    this.queue.length = 0;
    // A worker still starting is waited for, so it does not linger once ready.
    const worker = this.worker ?? (this.starting ? await this.starting.catch(() => null) : null);
    this.worker = null;
    if (worker) {
      this.terminating = true;
      await worker.terminate();
      this.terminating = false;
    }
    for (const job of jobs) await this.settleLost(job, null);
  }

  /** Ends the worker at app quit; runs still training are marked interrupted (see terminate). */
  dispose(): Promise<void> {
    return this.terminate();
  }

  /** Queues a job that is not a run (no progress, no controls) and resolves with its reply. */
  private enqueueJob<T extends JobResult>(message: (jobId: string) => JobMessage): Promise<T> {
    const jobId = randomUUID();
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        jobId,
        message: message(jobId),
        runId: null,
        runDir: null,
        listeners: new Set(),
        resolve: resolve as Job['resolve'],
        reject,
        pending: [],
        started: false,
      });
      void this.pump();
    });
  }

  private enqueueRun(runId: string, runDir: string, request: Extract<ToWorker, { type: 'train' }>['request']): RunHandle {
    const jobId = randomUUID();
    const listeners = new Set<ProgressListener>();
    let job!: Job;
    const done = new Promise<RunFile>((resolve, reject) => {
      job = {
        jobId,
        message: { type: 'train', jobId, request, batchEventIntervalMs: this.options.batchEventIntervalMs },
        runId,
        runDir,
        listeners,
        resolve: resolve as Job['resolve'],
        reject,
        pending: [],
        started: false,
      };
    });
    this.queue.push(job);
    void this.pump();
    return {
      runId,
      dir: runDir,
      done,
      onProgress: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      pause: () => this.control(runId, 'pause'),
      resume: () => this.control(runId, 'resume'),
      stop: () => this.control(runId, 'stop'),
      cancel: () => this.control(runId, 'cancel'),
    };
  }

  private control(runId: string, action: ControlAction): boolean {
    const job = [this.current, ...this.queue].find((j) => j?.runId === runId);
    if (!job) return false;
    if (!job.started) {
      const queued = this.queue.indexOf(job);
      if ((action === 'cancel' || action === 'stop') && queued >= 0) {
        // Never reached the worker: drop it from the queue.
        this.queue.splice(queued, 1);
        void updateRun(job.runDir!, { status: 'cancelled', finishedAt: new Date().toISOString(), resumable: false })
          .then((run) => {
            this.fanOut(job, { kind: 'status', runId, at: new Date().toISOString(), status: 'cancelled' });
            job.resolve(run);
          })
          .catch((error) => job.reject(error as Error));
        return true;
      }
      // Starting (the worker is spawning): replayed right after the job is sent.
      job.pending.push(action);
      return true;
    }
    this.post({ type: 'control', jobId: job.jobId, action });
    return true;
  }

  private async pump(): Promise<void> {
    if (this.current || !this.queue.length) return;
    const job = this.queue.shift()!;
    this.current = job;
    try {
      await this.ensureWorker();
    } catch (error) {
      this.current = null;
      job.reject(error as Error);
      void this.pump();
      return;
    }
    if (this.current !== job) return; // terminated meanwhile
    job.started = true;
    this.post(job.message);
    for (const action of job.pending) this.post({ type: 'control', jobId: job.jobId, action });
    job.pending = [];
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.starting) return this.starting;
    this.starting = new Promise<Worker>((resolve, reject) => {
      const entry = computeWorkerEntry();
      const worker = new Worker(entry.url, {
        workerData: entry.workerData,
        resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 4096 },
      });
      this.seq = 0;
      this.lastSeen = 0;
      this.lastWorkerError = null;
      const onEarlyExit = (code: number) => reject(new Error(`compute worker exited during start (code ${code})`));
      worker.once('exit', onEarlyExit);
      worker.on('error', (error) => {
        this.lastWorkerError = error;
        this.options.log?.(`compute worker error: ${error.stack ?? error.message}`);
      });
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          worker.off('exit', onEarlyExit);
          worker.on('exit', (code) => void this.onExit(worker, code));
          this.worker = worker;
          resolve(worker);
        }
        this.onMessage(message);
      });
      this.worker = null;
      // The init message is queued by the port until the worker listens.
      this.postTo(worker, { type: 'init', jobId: null, forced: this.forced, nativeLost: this.nativeLost });
    }).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private onMessage(message: FromWorker): void {
    if (message.seq !== this.lastSeen + 1) this.options.log?.(`compute worker message ${message.seq} after ${this.lastSeen}`);
    this.lastSeen = message.seq;
    const job = this.current && this.current.jobId === message.jobId ? this.current : null;
    switch (message.type) {
      case 'ready':
        return;
      case 'backend':
        this.lastBackend = message.report;
        if (message.nativeLoaded) this.nativeLoaded = message.nativeLoaded;
        for (const listener of this.backendListeners) listener(message.report);
        return;
      case 'progress':
        if (job) this.fanOut(job, message.event);
        return;
      case 'trained':
      case 'estimated':
      case 'predicted':
      case 'described':
      case 'failed': {
        if (!job) return;
        this.current = null;
        if (message.type === 'trained' && message.retire && this.worker) {
          this.retiring.add(this.worker);
          this.worker = null;
        }
        if (message.type === 'trained') job.resolve(message.run);
        else if (message.type === 'estimated') job.resolve(message.estimates);
        else if (message.type === 'predicted') job.resolve(message.response);
        else if (message.type === 'described') job.resolve(message.info);
        else job.reject(deserializeError(message.error));
        void this.pump();
        return;
      }
    }
  }

  private async onExit(worker: Worker, code: number): Promise<void> {
    if (this.worker === worker) this.worker = null;
    if (this.nativeLoaded) this.nativeLost = true;
    if (this.terminating || this.retiring.delete(worker)) return;
    const error = this.lastWorkerError;
    const failure: RunFailure =
      (error as NodeJS.ErrnoException | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? { code: 'out_of_memory', message: error!.message }
        : { code: 'worker_crashed', message: error ? error.message : `compute worker exited with code ${code}` };
    this.options.log?.(`compute worker exited (code ${code}): ${failure.message}`);
    const job = this.current;
    this.current = null;
    if (job) await this.settleLost(job, failure);
    void this.pump();
  }

  /**
   * A job whose worker is gone. A run is marked failed with `failure` (a crash) or interrupted
   * (`null`: we terminated it); either way resumable when its checkpoint survived.
   */
  private async settleLost(job: Job, failure: RunFailure | null): Promise<void> {
    if (!job.runDir) {
      job.reject(new Error(failure ? failure.message : 'compute worker terminated'));
      return;
    }
    try {
      let run: RunFile;
      if (failure) {
        const resumable = await hasSavedModel(join(job.runDir, CHECKPOINT_DIR));
        run = await updateRun(job.runDir, { status: 'failed', failure, resumable, finishedAt: new Date().toISOString() });
      } else {
        run = await markInterrupted(job.runDir);
      }
      this.fanOut(job, { kind: 'status', runId: run.runId, at: new Date().toISOString(), status: run.status, failure: failure ?? undefined });
      job.resolve(run);
    } catch (error) {
      job.reject(error as Error);
    }
  }

  private fanOut(job: Job, event: ProgressEvent): void {
    for (const listener of job.listeners) listener(event);
    for (const listener of this.listeners) listener(event);
  }

  private post(message: Outgoing): void {
    if (this.worker) this.postTo(this.worker, message);
  }

  private postTo(worker: Worker, message: Outgoing): void {
    worker.postMessage({ ...message, seq: ++this.seq } as ToWorker);
  }

  /** Test hook: asks the worker to crash or exhaust its heap (needs MODELPILOT_DEBUG_HOOKS=1). */
  debugCrash(action: 'crash' | 'oom'): void {
    this.post({ type: 'debug', jobId: null, action });
  }
}
