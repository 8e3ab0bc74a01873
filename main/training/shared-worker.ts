/**
 * The one compute worker of this process (DESIGN.md, STACK-NOTES: native TensorFlow loads in one
 * thread per process). Created on first use by the training handlers of any host, ended when the
 * host closes or the app quits; runs it held are then marked interrupted, resumable.
 */
import { ComputeWorker } from './compute-worker';

let shared: ComputeWorker | null = null;
const created = new Set<(worker: ComputeWorker) => void>();

/** The process's compute worker, started on first call. */
export function sharedComputeWorker(log?: (message: string) => void): ComputeWorker {
  if (!shared) {
    // Batch events at most 4 a second: enough for a smooth progress bar, light on the socket.
    shared = new ComputeWorker({ batchEventIntervalMs: 250, log });
    for (const listener of created) listener(shared);
  }
  return shared;
}

/** The worker if one was started, without starting it. */
export function existingComputeWorker(): ComputeWorker | null {
  return shared;
}

/** Called with each new shared worker (after a dispose, the next use starts another). */
export function onComputeWorkerCreated(listener: (worker: ComputeWorker) => void): () => void {
  created.add(listener);
  if (shared) listener(shared);
  return () => created.delete(listener);
}

/** Ends the worker (host closing, app quitting); its runs are marked interrupted. */
export async function disposeComputeWorker(): Promise<void> {
  const worker = shared;
  shared = null;
  await worker?.dispose();
}
