/**
 * Headless training for the CLI and scripts: one call trains (or resumes) a run in the compute
 * worker, reports progress through a callback, and resolves with the final run.json.
 */
import type { BackendId } from '../contract/schemas';
import type { ProgressEvent, RunSummary, TrainingConfigInput } from '../contract/training';
import { CoreError } from '../core/errors';
import type { TrainingInput } from '../core/training/training-data';
import { ComputeWorker, type RunHandle } from './compute-worker';

export interface TrainRunOptions {
  data: TrainingInput;
  /** A new run: the project's runs/ folder and the training settings. */
  runsDir?: string;
  config?: TrainingConfigInput;
  /** Or continue a run from its last checkpoint (optionally to more epochs). */
  resume?: { runDir: string; epochs?: number };
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting stops the run after the current batch and keeps the best model (Ctrl+C in a CLI). */
  signal?: AbortSignal;
  /** Reuse a worker (the app's); otherwise one is started and ended for this call. */
  worker?: ComputeWorker;
  forcedBackend?: BackendId | null;
}

/** Trains or resumes one run and returns its final state (see RunHandle.done for what rejects). */
export async function trainRun(options: TrainRunOptions): Promise<RunSummary> {
  const owned = !options.worker;
  const worker = options.worker ?? new ComputeWorker({ forcedBackend: options.forcedBackend });
  try {
    let handle: RunHandle;
    if (options.resume) {
      handle = await worker.resumeRun({ runDir: options.resume.runDir, data: options.data, epochs: options.resume.epochs });
    } else {
      if (!options.runsDir || !options.config) throw new CoreError('invalid_payload', 'trainRun needs runsDir and config, or resume', { field: 'config' });
      handle = await worker.startRun({ runsDir: options.runsDir, config: options.config, data: options.data });
    }
    const unsubscribe = options.onProgress ? handle.onProgress(options.onProgress) : () => {};
    const onAbort = () => handle.stop();
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const run = await handle.done;
      return { ...run, dir: handle.dir };
    } finally {
      unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    if (owned) await worker.dispose();
  }
}
