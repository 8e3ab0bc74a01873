import { Worker } from 'node:worker_threads';
import type { DataProgress } from '../contract/data';
import { CoreError } from '../core/errors';
import { resolveWorkerEntry } from '../workers/worker-entry';
import type { DataJob, DataJobResults, FromWorker, JobOf, SerializedError, ToWorker } from './protocol';

export interface DataWorkerOptions {
  /** A worker with no job for this long is stopped, giving back the memory of its last job. */
  idleMs?: number;
  log?: (message: string) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: DataProgress) => void;
}

/**
 * Owns the data worker thread: starts it on the first job, numbers jobs, fans progress out to
 * each job's listener, cancels through the job's AbortSignal, turns serialized errors back into
 * CoreErrors, and stops the thread when it has been idle a while. A crashed worker fails its
 * jobs with `internal`; the next job starts a fresh one. An idle worker never keeps Node alive.
 */
export class DataWorker {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: DataWorkerOptions = {}) {}

  run<K extends DataJob['kind']>(
    job: JobOf<K>,
    control: { signal?: AbortSignal; onProgress?: (progress: DataProgress) => void } = {},
  ): Promise<DataJobResults[K]> {
    if (control.signal?.aborted) return Promise.reject(new CoreError('cancelled', 'cancelled by the user'));
    const worker = this.ensure();
    const jobId = ++this.seq;
    const onAbort = () => this.post(worker, { type: 'cancel', jobId });
    const settled = new Promise<DataJobResults[K]>((resolve, reject) => {
      this.pending.set(jobId, { resolve: resolve as (value: unknown) => void, reject, onProgress: control.onProgress });
    });
    control.signal?.addEventListener('abort', onAbort, { once: true });
    this.post(worker, { type: 'run', jobId, job });
    this.refresh();
    return settled.finally(() => control.signal?.removeEventListener('abort', onAbort));
  }

  /** Stops the thread now; running jobs fail with `internal`. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (worker) await worker.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const entry = resolveWorkerEntry('data', import.meta.url);
    const worker = new Worker(entry.url, { workerData: entry.workerData });
    worker.on('message', (message: FromWorker) => this.onMessage(message));
    worker.on('error', (error) => this.options.log?.(`data worker error: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      const jobs = [...this.pending.values()];
      this.pending.clear();
      for (const job of jobs) job.reject(new CoreError('internal', `the data worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromWorker): void {
    const job = this.pending.get(message.jobId);
    if (!job) return;
    if (message.type === 'progress') {
      job.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.jobId);
    this.refresh();
    if (message.type === 'done') job.resolve(message.value);
    else job.reject(revive(message.error));
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  /** Keeps Node alive only while jobs run; stops the thread after it idles. */
  private refresh(): void {
    const worker = this.worker;
    if (!worker) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.pending.size > 0) {
      worker.ref();
      return;
    }
    worker.unref();
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0 && this.worker === worker) void this.terminate();
    }, this.options.idleMs ?? 30_000);
    this.idleTimer.unref();
  }
}

/** A worker's error as the main side throws it: a CoreError when it was one, else an Error with the worker's stack. */
function revive(error: SerializedError): Error {
  if (error.code) {
    const revived = new CoreError(error.code, error.message, error.params ?? {});
    if (error.stack) revived.stack = error.stack;
    return revived;
  }
  const revived = new Error(error.message);
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}
