/**
 * What a run needs before a model exists: the checks that may refuse it (status, checkpoint,
 * data fingerprint), the effective config, and the prepared data (rows given in memory, or a
 * project's data streamed into the run's cache files). Also what a checkpoint's state.json holds
 * and how to read a run's preprocessing.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunFile } from '../../contract/training';
import { CoreError } from '../errors';
import { assertServesTask } from '../models/catalog';
import { resolveHyperparameters } from '../models/layers-util';
import { CACHE_DIR } from './data-cache';
import { prepareData, preprocessingSchema, type PreparedData, type Preprocessing } from './prepare';
import { prepareSource, type StageProgress } from './prepare-source';
import { writeDataSnapshot } from './project-data';
import type { DataSection } from './project-setup';
import { hasSavedModel, PREPROCESSING_FILE, statusAllowsResume } from './run-store';
import type { TrainRequest } from './trainer';
import { isProjectData } from './training-data';

/** What checkpoint/state.json holds besides the model and optimizer. */
export interface CheckpointState {
  epochsCompleted: number;
  bestEpoch: number | null;
  best: RunFile['best'];
  /** The value early stopping watches (validation loss, or training loss without validation). */
  bestMonitor: number | null;
  /** Epochs since the last improvement. */
  wait: number;
}

/** Reads a run's fitted preprocessing (tokenizer or table features, label map). */
export async function readPreprocessing(runDir: string): Promise<Preprocessing> {
  const path = join(runDir, PREPROCESSING_FILE);
  try {
    return preprocessingSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    throw new CoreError('run_corrupt', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
}

/** Prepared data, with the cache files to close and remove when the run ends (none for rows in memory). */
export type RunData = PreparedData & { release(): Promise<void> };

/**
 * Refuses what cannot run (`run_not_resumable`, `training_data_mismatch`, data errors) and
 * returns the effective config (a resume may raise the epochs) with the prepared data. A fresh
 * run on a project's data gets its data.json (the section with the fitted recipe) here.
 */
export async function prepareRun(request: TrainRequest, run: RunFile, checkpointDir: string, signal?: AbortSignal, onStage?: StageProgress) {
  const resuming = request.resume !== undefined;
  if (resuming) {
    if (!statusAllowsResume(run.status) || !(await hasSavedModel(checkpointDir))) {
      throw new CoreError('run_not_resumable', `run ${run.runId} (${run.status}) has no checkpoint to resume from`, { runId: run.runId, status: run.status });
    }
  } else if (run.status !== 'queued') {
    throw new CoreError('run_not_resumable', `run ${run.runId} has already started (${run.status})`, { runId: run.runId, status: run.status });
  }
  const epochs = Math.max(run.config.epochs, request.resume?.epochs ?? 0);
  const config = { ...run.config, epochs };
  if (resuming && (run.checkpointEpoch ?? 0) >= epochs) {
    throw new CoreError('run_not_resumable', `run ${run.runId} already trained ${epochs} epochs; ask for more epochs to continue`, {
      runId: run.runId,
      status: run.status,
    });
  }
  const definition = assertServesTask(config.modelId, config.task);
  const hyperparameters = resolveHyperparameters(definition.entry.hyperparameters, config.hyperparameters);
  const fitted = resuming ? await readPreprocessing(request.runDir) : undefined;
  let prepared: RunData;
  let snapshot: DataSection | null = null;
  if (isProjectData(request.data)) {
    const cacheDir = join(request.runDir, CACHE_DIR);
    const source = await prepareSource(request.data, config, { cacheDir, fitted, signal, onStage });
    // The cache goes with the run's end; a run killed mid-way keeps it for its resume.
    prepared = { ...source, release: () => (source.close(), rm(cacheDir, { recursive: true, force: true })) };
    snapshot = resuming ? null : source.snapshot;
  } else {
    prepared = { ...prepareData(request.data, config, fitted), release: async () => {} };
  }
  try {
    if (resuming && run.data && run.data.fingerprint !== prepared.fingerprint) {
      throw new CoreError('training_data_mismatch', `run ${run.runId} was trained on other data`, { runId: run.runId });
    }
    if (snapshot) await writeDataSnapshot(request.runDir, snapshot);
  } catch (error) {
    await prepared.release();
    throw error;
  }
  return { config, prepared, hyperparameters };
}
