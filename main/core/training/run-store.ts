/**
 * Runs on disk: runs/<runId>/ with run.json (config snapshot, backend, status; written
 * atomically), metrics.jsonl (append-only progress history), preprocessing.json, checkpoint/
 * (last finished epoch: model + optimizer state + state.json) and model/ (the kept model).
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  progressEventSchema,
  RUN_FORMAT_VERSION,
  runFileSchema,
  trainingConfigSchema,
  type ProgressEvent,
  type RunFile,
  type RunSummary,
  type TrainingConfigInput,
} from '../../contract/training';
import { CoreError } from '../errors';
import { writeJsonAtomic } from '../fs/atomic-write';
import { exists } from '../fs/exists';
import { recoverDir } from './atomic-dir';
import { MODEL_JSON } from './io-handlers';

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const PREPROCESSING_FILE = 'preprocessing.json';
export const CHECKPOINT_DIR = 'checkpoint';
export const MODEL_DIR = 'model';
export const CHECKPOINT_STATE = 'state.json';

/** Statuses during which a live worker owns the run. */
const LIVE: ReadonlySet<RunFile['status']> = new Set(['queued', 'running', 'paused']);
/** Statuses from which a run with a checkpoint may continue. */
const RESUMABLE: ReadonlySet<RunFile['status']> = new Set(['interrupted', 'failed', 'stopped', 'completed']);

/** Sortable, unique enough, and readable in a file browser: 20250131-142233-9f3a1c. */
export function newRunId(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Validates a training config (defaults filled); bad input is `invalid_payload` naming the field. */
export function parseTrainingConfig(config: TrainingConfigInput): RunFile['config'] {
  const parsed = trainingConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'config';
    throw new CoreError('invalid_payload', `training config: ${field}: ${issue?.message}`, { field });
  }
  return parsed.data;
}

/** Creates runs/<runId>/ with a queued run.json holding the config snapshot. */
export async function createRun(runsDir: string, config: TrainingConfigInput): Promise<RunSummary> {
  const parsed = parseTrainingConfig(config);
  const runId = newRunId();
  const dir = join(runsDir, runId);
  await mkdir(dir, { recursive: true });
  const now = new Date().toISOString();
  const run: RunFile = {
    formatVersion: RUN_FORMAT_VERSION,
    runId,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    status: 'queued',
    config: parsed,
    metricName: parsed.task === 'tabular-regression' ? 'mae' : 'accuracy',
    labels: [],
    data: null,
    backend: null,
    paramCount: null,
    epochsCompleted: 0,
    bestEpoch: null,
    best: null,
    checkpointEpoch: null,
    hasModel: false,
    stopReason: null,
    failure: null,
    resumable: false,
    resumeCount: 0,
  };
  await writeJsonAtomic(join(dir, RUN_FILE), run);
  return { ...run, dir };
}

/** Reads and validates run.json; `not_found` or `run_corrupt`. */
export async function readRun(runDir: string): Promise<RunFile> {
  const path = join(runDir, RUN_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CoreError('not_found', `no ${RUN_FILE} in ${runDir}`, { path });
    throw new CoreError('io_error', `cannot read ${path}: ${(error as Error).message}`, { path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CoreError('run_corrupt', `${path} is not JSON: ${(error as Error).message}`, { path });
  }
  const parsed = runFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('run_corrupt', `${path}: ${issue?.path.join('.')} ${issue?.message}`, { path });
  }
  return parsed.data;
}

/** Applies a patch to run.json atomically and returns the new content. */
export async function updateRun(runDir: string, patch: Partial<RunFile>): Promise<RunFile> {
  const run = { ...(await readRun(runDir)), ...patch, updatedAt: new Date().toISOString() };
  await writeJsonAtomic(join(runDir, RUN_FILE), run);
  return run;
}

/** Appends one progress event (batch or epoch) to metrics.jsonl. */
export async function appendMetrics(runDir: string, event: ProgressEvent): Promise<void> {
  await appendFile(join(runDir, METRICS_FILE), JSON.stringify(event) + '\n');
}

/** The progress history of a run; a torn last line (a crash mid-append) is skipped. */
export async function readMetrics(runDir: string): Promise<ProgressEvent[]> {
  let text: string;
  try {
    text = await readFile(join(runDir, METRICS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const events: ProgressEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = progressEventSchema.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
    } catch {
      // torn line: ignore
    }
  }
  return events;
}

/** True when `dir` holds a complete saved model (after recovering an interrupted replace). */
export async function hasSavedModel(dir: string): Promise<boolean> {
  await recoverDir(dir);
  return exists(join(dir, MODEL_JSON));
}

/** True when the status allows resuming; the caller also needs a checkpoint on disk. */
export function statusAllowsResume(status: RunFile['status']): boolean {
  return RESUMABLE.has(status);
}

/**
 * Marks a run that a live worker no longer owns as interrupted (the app quit or crashed during
 * training). Resumable when its checkpoint survived. The checkpoint's own state says which epoch
 * it holds: a worker that went away between writing it and updating run.json left run.json one
 * epoch behind, and a resume continues from the checkpoint.
 */
export async function markInterrupted(runDir: string): Promise<RunFile> {
  const checkpointDir = join(runDir, CHECKPOINT_DIR);
  const checkpoint = await hasSavedModel(checkpointDir);
  const saved = checkpoint ? await checkpointEpochs(checkpointDir) : null;
  const epochs = saved === null ? {} : { checkpointEpoch: saved, epochsCompleted: saved };
  return updateRun(runDir, { status: 'interrupted', resumable: checkpoint, finishedAt: new Date().toISOString(), ...epochs });
}

/** Epochs completed by the checkpoint in `dir`, from its state file; null when unreadable. */
async function checkpointEpochs(dir: string): Promise<number | null> {
  try {
    const state = JSON.parse(await readFile(join(dir, CHECKPOINT_STATE), 'utf8')) as { epochsCompleted?: unknown };
    return typeof state.epochsCompleted === 'number' ? state.epochsCompleted : null;
  } catch {
    return null;
  }
}

/**
 * Every run in runs/, newest first. Runs still marked queued/running/paused that are not in
 * `activeRunIds` were left by an app or worker that went away: they are marked interrupted
 * (on disk too). Damaged runs are skipped, not rewritten.
 */
export async function listRuns(runsDir: string, options: { activeRunIds?: Iterable<string> } = {}): Promise<RunSummary[]> {
  const active = new Set(options.activeRunIds ?? []);
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const runs: RunSummary[] = [];
  for (const name of names.sort().reverse()) {
    if (name.startsWith('.')) continue;
    const dir = join(runsDir, name);
    let run: RunFile;
    try {
      run = await readRun(dir);
    } catch {
      continue;
    }
    if (LIVE.has(run.status) && !active.has(run.runId)) run = await markInterrupted(dir);
    runs.push({ ...run, dir });
  }
  return runs;
}

/** Removes a run folder (the UI's "delete run"). */
export async function deleteRun(runDir: string): Promise<void> {
  await rm(runDir, { recursive: true, force: true });
}
