/**
 * The data worker: imports, audits and splits files off the main thread, so a 1 GB import never
 * freezes the window or the web host. Jobs run side by side; each has its own AbortController,
 * which the core checks between chunks.
 */
import { parentPort } from 'node:worker_threads';
import { importDataset } from '../core/data/import-dataset';
import { analyzeDataset, profileSource } from '../core/data/prepare-stream';
import type { JobControl } from '../core/data/byte-source';
import { isCoreError } from '../core/errors';
import type { DataJob, FromWorker, SerializedError, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('data.worker.ts runs in a worker thread only');

const running = new Map<number, AbortController>();
const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') running.get(message.jobId)?.abort();
  else void run(message.jobId, message.job);
});

async function run(jobId: number, job: DataJob): Promise<void> {
  const controller = new AbortController();
  running.set(jobId, controller);
  const control: JobControl = { signal: controller.signal, onProgress: (progress) => send({ type: 'progress', jobId, progress }) };
  try {
    send({ type: 'done', jobId, value: await execute(job, control) });
  } catch (error) {
    send({ type: 'failed', jobId, error: serialize(error) });
  } finally {
    running.delete(jobId);
  }
}

function execute(job: DataJob, control: JobControl): Promise<unknown> {
  switch (job.kind) {
    case 'import':
      return importDataset(job.projectDir, job.path, job.options, control);
    case 'analyze':
      return analyzeDataset(job.projectDir, job.source, job.roles, job.recipe, job.split, control);
    case 'profile':
      return profileSource(job.projectDir, job.source, control);
  }
}

function serialize(error: unknown): SerializedError {
  if (isCoreError(error)) return { name: error.name, message: error.message, stack: error.stack, code: error.code, params: error.params };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}
