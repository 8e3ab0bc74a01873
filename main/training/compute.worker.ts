/**
 * The compute worker: the one thread that holds TensorFlow (native TensorFlow can be loaded by
 * one thread per process only). It climbs the backend ladder per model, runs training and
 * estimation jobs one at a time as its owner sends them, and streams their progress back.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { ModelId } from '../contract/training';
import { BackendLadder } from '../core/backends/select-backend';
import { prepareBackends } from '../core/backends/tf-setup';
import { TrainingControl } from '../core/training/control';
import { estimateModels } from '../core/training/estimate';
import { readRun } from '../core/training/run-store';
import { runTraining } from '../core/training/trainer';
import { serializeError, type FromWorker, type ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('compute.worker must run in a worker thread');

type Outgoing = FromWorker extends infer M ? (M extends FromWorker ? Omit<M, 'seq'> : never) : never;

let seq = 0;
const send = (message: Outgoing) => port.postMessage({ ...message, seq: ++seq } as FromWorker);

let ladder: BackendLadder | null = null;
const controls = new Map<string, TrainingControl>();

function selectFor(jobId: string) {
  return async (modelId: ModelId, probe: () => Promise<void>) => {
    if (!ladder) throw new Error('worker not initialized');
    const report = await ladder.select(modelId, probe);
    send({ type: 'backend', jobId, report, nativeLoaded: ladder.loadedNative });
    return report;
  };
}

async function train(message: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  const control = new TrainingControl();
  controls.set(message.jobId, control);
  try {
    const { config } = await readRun(message.request.runDir);
    const select = selectFor(message.jobId);
    const run = await runTraining(message.request, {
      control,
      emit: (event) => send({ type: 'progress', jobId: message.jobId, event }),
      selectBackend: (probe) => select(config.modelId, probe),
      batchEventIntervalMs: message.batchEventIntervalMs,
    });
    // A wasm heap that ran out of memory may be left unusable: this worker retires after the
    // reply, and the owner starts a fresh one for the next job.
    const retire = run.failure?.code === 'out_of_memory' && tf.getBackend() === 'wasm';
    send({ type: 'trained', jobId: message.jobId, run, retire });
    if (retire) setImmediate(() => process.exit(0));
  } finally {
    controls.delete(message.jobId);
  }
}

async function estimate(message: Extract<ToWorker, { type: 'estimate' }>): Promise<void> {
  const estimates = await estimateModels(message.request, { selectBackend: selectFor(message.jobId) });
  send({ type: 'estimated', jobId: message.jobId, estimates });
}

function debug(action: 'crash' | 'oom'): void {
  if (process.env.MODELPILOT_DEBUG_HOOKS !== '1') return;
  if (action === 'crash') {
    setImmediate(() => {
      throw new Error('debug crash requested');
    });
    return;
  }
  // Grow the JS heap until V8 gives up: the owner must see ERR_WORKER_OUT_OF_MEMORY.
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'init': {
      ladder = new BackendLadder({ forced: message.forced, nativeLost: message.nativeLost });
      prepareBackends();
      send({ type: 'ready', jobId: null, tfBackend: tf.getBackend() ?? 'none' });
      return;
    }
    case 'train':
    case 'estimate': {
      const job = message.type === 'train' ? train(message) : estimate(message);
      job.catch((error) => send({ type: 'failed', jobId: message.jobId, error: serializeError(error) }));
      return;
    }
    case 'control':
      controls.get(message.jobId)?.apply(message.action);
      return;
    case 'debug':
      debug(message.action);
      return;
  }
});
