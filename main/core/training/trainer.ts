/**
 * Trains one run: prepares the data, builds (or restores) the model, runs `fitDataset` with
 * progress, pause/stop/cancel, early stopping, a checkpoint after every epoch and the best model
 * in model/. Runs wherever tfjs runs: the compute worker calls it, and so can a test.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { BackendReport, ProgressEvent, RunFile } from '../../contract/training';
import { currentBackendReport } from '../backends/tf-setup';
import { CoreError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic-write';
import { buildModel } from '../models/catalog';
import { compileModel } from '../models/compile';
import { batchCount, evaluationArrayBatches, evaluationDataset, trainingArrayBatches, trainingDataset } from './batches';
import { TrainingControl } from './control';
import { fitDenseStack } from './dense-fit';
import { DenseStackEngine } from './dense-stack';
import { toFailure } from './failure';
import { loadModelFromDir, saveModelToDir } from './io-handlers';
import { classWeightsFor } from './prepare';
import { probeFit } from './probe';
import { ProgressClock, Throttle } from './progress-clock';
import { prepareRun, type CheckpointState } from './run-setup';
import { appendMetrics, CHECKPOINT_DIR, CHECKPOINT_STATE, hasSavedModel, MODEL_DIR, PREPROCESSING_FILE, readRun, updateRun } from './run-store';
import type { TrainingInput } from './training-data';
import { WriteQueue } from './write-queue';

/** One training job: a run folder and its data (and, for a resume, how far to go). */
export interface TrainRequest {
  /** runs/<runId>/, created by `createRun` (status queued) or an earlier run to resume. */
  runDir: string;
  /** Rows in memory, or a project's data the worker streams from its files. */
  data: TrainingInput;
  /** Continue from the checkpoint. `epochs` raises the total number of epochs (train longer). */
  resume?: { epochs?: number };
}

/** How the caller follows and steers the job (all optional). */
export interface TrainHooks {
  emit?: (event: ProgressEvent) => void;
  control?: TrainingControl;
  /**
   * Picks and verifies the backend for this model; `probe` is a one-batch fit of a small copy.
   * Without it the current tfjs backend is used as is (tests, scripts).
   */
  selectBackend?: (probe: () => Promise<void>) => Promise<BackendReport>;
  /** Minimum time between batch events (default 200 ms: at most ~5 a second). */
  batchEventIntervalMs?: number;
  /** false: train table models through tfjs's fitDataset too (the reference the engine is tested against). */
  denseEngine?: boolean;
}

const VALIDATION_BATCH = 256;

/**
 * Runs a training job to its end and returns the final run.json. Problems found before training
 * starts (bad data, a run that cannot resume, other data than the run started with) are thrown
 * as CoreError; a fresh run is then marked failed too. A stop or cancel while the data is still
 * being read ends a fresh run cancelled (a resume is left as it was). Problems during training end
 * the run as failed with the reason; the promise still resolves.
 */
export async function runTraining(request: TrainRequest, hooks: TrainHooks = {}): Promise<RunFile> {
  const { runDir } = request;
  const emit = hooks.emit ?? (() => {});
  const control = hooks.control ?? new TrainingControl();
  const checkpointDir = join(runDir, CHECKPOINT_DIR);
  const modelDir = join(runDir, MODEL_DIR);
  const now = () => new Date().toISOString();
  let run = await readRun(runDir);
  const runId = run.runId;
  const resuming = request.resume !== undefined;

  // Phase 1: everything that can refuse before a model exists.
  let setup: Awaited<ReturnType<typeof prepareRun>>;
  try {
    setup = await prepareRun(request, run, checkpointDir, control.signal, (stage, progress) =>
      emit({ kind: 'preparing', runId, at: now(), stage, bytesRead: progress.bytesRead, totalBytes: progress.totalBytes, rows: progress.rows }),
    );
  } catch (error) {
    // Stopped or cancelled while the data was being read: nothing was trained, nothing is kept.
    if (control.finishing && error instanceof CoreError && error.code === 'cancelled') {
      if (!resuming) run = await updateRun(runDir, { status: 'cancelled', stopReason: 'user_stop', finishedAt: now(), hasModel: false, resumable: false });
      emit({ kind: 'status', runId, at: now(), status: run.status });
      return run;
    }
    if (!resuming) {
      const failure = toFailure(error);
      run = await updateRun(runDir, { status: 'failed', failure, finishedAt: now(), resumable: false });
      emit({ kind: 'status', runId, at: now(), status: 'failed', failure });
    }
    throw error;
  }
  const { config, prepared, hyperparameters } = setup;

  let model: tf.LayersModel | null = null;
  let optimizer: tf.Optimizer | null = null;
  const writes = new WriteQueue();
  try {
    const backend = hooks.selectBackend
      ? await hooks.selectBackend(() =>
          probeFit({
            modelId: config.modelId,
            input: prepared.input,
            outputKind: prepared.outputKind,
            classes: prepared.classes,
            hyperparameters,
            optimizer: config.optimizer,
          }),
        )
      : currentBackendReport();

    let state: CheckpointState;
    if (resuming) {
      // The checkpoint comes back compiled with its optimizer state (Adam's moments, step count).
      model = await loadModelFromDir(checkpointDir);
      optimizer = model.optimizer;
      state = JSON.parse(await readFile(join(checkpointDir, CHECKPOINT_STATE), 'utf8')) as CheckpointState;
      state.wait = 0;
    } else {
      await writeJsonAtomic(join(runDir, PREPROCESSING_FILE), prepared.preprocessing);
      model = buildModel(config.modelId, {
        input: prepared.input,
        output: { kind: prepared.outputKind, classes: prepared.classes },
        hyperparameters,
        dropout: config.dropout,
        l1: config.l1,
        l2: config.l2,
        seed: config.seed,
      });
      optimizer = compileModel(model, prepared.outputKind, config);
      state = { epochsCompleted: 0, bestEpoch: null, best: null, bestMonitor: null, wait: 0 };
    }
    const trained = model;

    run = await updateRun(runDir, {
      status: 'running',
      config,
      startedAt: run.startedAt ?? now(),
      finishedAt: null,
      backend,
      paramCount: trained.countParams(),
      labels: prepared.preprocessing.labels,
      metricName: prepared.outputKind === 'regression' ? 'mae' : 'accuracy',
      data: { trainRows: prepared.train.rows, validationRows: prepared.validation.rows, fingerprint: prepared.fingerprint },
      failure: null,
      stopReason: null,
      resumeCount: run.resumeCount + (resuming ? 1 : 0),
    });
    emit({ kind: 'status', runId, at: now(), status: 'running', backend });

    const batchesPerEpoch = batchCount(prepared.train.rows, config.batchSize);
    const hasValidation = prepared.validation.rows > 0;
    const metricKey = prepared.outputKind === 'regression' ? 'mae' : 'acc';
    // Regression trains on standardized targets; report the error in the target's own units.
    const metricScale = prepared.preprocessing.target?.std ?? 1;
    const metricOf = (logs: tf.Logs | undefined, prefix: string): number | null => {
      const value = logs?.[prefix + metricKey] ?? logs?.[prefix + (metricKey === 'acc' ? 'accuracy' : metricKey)];
      return typeof value === 'number' ? value * (metricKey === 'mae' ? metricScale : 1) : null;
    };
    const clock = new ProgressClock();
    const throttle = new Throttle(hooks.batchEventIntervalMs ?? 200);
    let epoch = state.epochsCompleted;
    let partialEpoch = false;
    let diverged = false;
    let stopReason: RunFile['stopReason'] = null;
    let lastBatchEnd = performance.now();
    const remaining = (batchDone: number) => ({
      batches: batchesPerEpoch - batchDone + (config.epochs - epoch - 1) * batchesPerEpoch,
      epochs: config.epochs - epoch - (batchDone >= batchesPerEpoch ? 1 : 0),
    });

    const callbacks = {
      onEpochBegin: async (e: number) => {
        epoch = e;
        partialEpoch = false;
        clock.mark();
      },
      onBatchEnd: async (batch: number, logs?: tf.Logs) => {
        clock.batchDone(typeof logs?.size === 'number' ? logs.size : config.batchSize);
        lastBatchEnd = performance.now();
        if (throttle.ready()) {
          const left = remaining(batch + 1);
          const event: ProgressEvent = {
            kind: 'batch',
            runId,
            at: now(),
            epoch: epoch + 1,
            epochs: config.epochs,
            batch: batch + 1,
            batchesPerEpoch,
            loss: logs?.loss ?? NaN,
            metric: metricOf(logs, ''),
            samplesPerSecond: clock.samplesPerSecond,
            etaSeconds: clock.eta(left.batches, left.epochs),
            elapsedSeconds: clock.elapsedSeconds,
          };
          emit(event);
          writes.push(() => appendMetrics(runDir, event));
        }
        // Let pause/stop messages in: fitDataset otherwise chains microtasks only.
        await yieldToEventLoop();
        if (control.paused) {
          await writes.flush();
          run = await updateRun(runDir, { status: 'paused' });
          emit({ kind: 'status', runId, at: now(), status: 'paused' });
          clock.paused(await control.waitWhilePaused());
          if (!control.finishing) {
            run = await updateRun(runDir, { status: 'running' });
            emit({ kind: 'status', runId, at: now(), status: 'running' });
          }
        }
        if (control.finishing) {
          partialEpoch = true;
          stopReason = 'user_stop';
          trained.stopTraining = true;
        }
      },
      onEpochEnd: async (e: number, logs?: tf.Logs) => {
        // A stop mid-epoch skips validation: that epoch is not a finished one.
        if (partialEpoch) return;
        clock.validationDone((performance.now() - lastBatchEnd) / 1000);
        const metrics = {
          loss: logs?.loss ?? NaN,
          metric: metricOf(logs, ''),
          valLoss: hasValidation ? (logs?.val_loss ?? NaN) : null,
          valMetric: hasValidation ? metricOf(logs, 'val_') : null,
        };
        if (!Number.isFinite(metrics.loss) || (metrics.valLoss !== null && !Number.isFinite(metrics.valLoss))) {
          diverged = true;
          trained.stopTraining = true;
          return;
        }
        const monitor = metrics.valLoss ?? metrics.loss;
        const improved = state.bestMonitor === null || monitor < state.bestMonitor;
        state.epochsCompleted = e + 1;
        if (improved) {
          state = { ...state, bestMonitor: monitor, best: metrics, bestEpoch: e + 1, wait: 0 };
          await saveModelToDir(trained, modelDir);
        } else {
          state.wait++;
        }
        await saveModelToDir(trained, checkpointDir, { includeOptimizer: true, extra: { [CHECKPOINT_STATE]: JSON.stringify(state) } });
        const left = remaining(batchesPerEpoch);
        const event: ProgressEvent = {
          kind: 'epoch',
          runId,
          at: now(),
          epoch: e + 1,
          epochs: config.epochs,
          ...metrics,
          samplesPerSecond: clock.samplesPerSecond,
          etaSeconds: clock.eta(left.batches, left.epochs),
          elapsedSeconds: clock.elapsedSeconds,
          improved,
          bestEpoch: state.bestEpoch,
        };
        writes.push(() => appendMetrics(runDir, event));
        await writes.flush();
        run = await updateRun(runDir, {
          epochsCompleted: state.epochsCompleted,
          bestEpoch: state.bestEpoch,
          best: state.best,
          checkpointEpoch: state.epochsCompleted,
          hasModel: true,
          resumable: true,
        });
        // Reported only once it is on disk (checkpoint, metrics, run.json): an epoch the UI has
        // shown is an epoch a restart resumes after.
        emit(event);
        const es = config.earlyStopping;
        if (es.enabled && state.wait >= es.patience && e + 1 < config.epochs) {
          stopReason = 'early_stopping';
          trained.stopTraining = true;
        }
        clock.mark();
        await yieldToEventLoop();
      },
    };
    const classWeight = classWeightsFor(config, prepared);
    // Table models train on the dense-stack engine when it covers them (one call per step);
    // everything else, and any model it declines, through tfjs's fitDataset.
    const engine = prepared.input.kind === 'features' && hooks.denseEngine !== false ? await DenseStackEngine.create(trained, optimizer!, config.batchSize, config.seed) : null;
    if (engine) {
      await fitDenseStack(engine, trained, optimizer!, {
        epochs: config.epochs,
        initialEpoch: state.epochsCompleted,
        trainBatches: (e) => trainingArrayBatches(prepared.train, config.batchSize, config.seed, e),
        validationBatches: hasValidation ? () => evaluationArrayBatches(prepared.validation, VALIDATION_BATCH) : null,
        classWeight,
        metricKey,
        callbacks,
      });
    } else {
      await trained.fitDataset(trainingDataset(prepared.train, config.batchSize, config.seed, () => epoch), {
        epochs: config.epochs,
        initialEpoch: state.epochsCompleted,
        validationData: hasValidation ? evaluationDataset(prepared.validation, VALIDATION_BATCH) : undefined,
        classWeight,
        verbose: 0,
        yieldEvery: 'never',
        callbacks,
      });
    }
    await writes.flush();

    let patch: Partial<RunFile>;
    const hasCheckpoint = await hasSavedModel(checkpointDir);
    if (control.cancelRequested) {
      await rm(modelDir, { recursive: true, force: true });
      await rm(checkpointDir, { recursive: true, force: true });
      patch = { status: 'cancelled', stopReason: 'user_stop', hasModel: false, checkpointEpoch: null, resumable: false };
    } else if (diverged) {
      patch = {
        status: 'failed',
        failure: { code: 'training_diverged', message: 'the loss became NaN or infinite; try a lower learning rate' },
        resumable: hasCheckpoint,
      };
    } else {
      // Without "restore best weights" (or before any finished epoch) the kept model is the last one.
      if (!config.earlyStopping.restoreBestWeights || !(await hasSavedModel(modelDir))) await saveModelToDir(trained, modelDir);
      patch = {
        status: control.stopRequested ? 'stopped' : 'completed',
        stopReason: control.stopRequested ? 'user_stop' : (stopReason ?? 'epochs_done'),
        hasModel: true,
        resumable: hasCheckpoint,
      };
    }
    run = await updateRun(runDir, { ...patch, finishedAt: now() });
    emit({ kind: 'status', runId, at: now(), status: run.status, failure: run.failure ?? undefined });
    return run;
  } catch (error) {
    await writes.flush().catch(() => undefined);
    const failure = toFailure(error);
    const resumable = await hasSavedModel(checkpointDir).catch(() => false);
    run = await updateRun(runDir, { status: 'failed', failure, finishedAt: now(), resumable }).catch(() => ({ ...run, status: 'failed' as const, failure }));
    emit({ kind: 'status', runId, at: now(), status: 'failed', failure });
    return run;
  } finally {
    model?.dispose();
    optimizer?.dispose();
    await prepared.release().catch(() => undefined);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
