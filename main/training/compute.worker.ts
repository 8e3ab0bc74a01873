/**
 * The compute worker: the one thread that holds TensorFlow (native TensorFlow can be loaded by
 * one thread per process only). It climbs the backend ladder per model, runs training,
 * estimation and prediction jobs one at a time as its owner sends them, and streams their
 * progress back.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { ModelId } from '../contract/training';
import { BackendLadder } from '../core/backends/select-backend';
import { prepareBackends } from '../core/backends/tf-setup';
import { TrainingControl } from '../core/training/control';
import { ModelCache, modelInfoOf } from '../core/inference/model-cache';
import { predictLoaded } from '../core/inference/predictor';
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

// Inference (predict, describe): models stay loaded between jobs (the local API's requests).
const models = new ModelCache(tf);
let inferenceBackend: string | null = null;

/** A forward pass every rung must manage before it serves predictions. */
async function inferenceProbe(): Promise<void> {
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const y = tf.matMul(x, x);
  await y.data();
  tf.dispose([x, y]);
}

/** Puts tfjs on the best rung for inference; reports the rung when it changes. */
async function selectForInference(jobId: string): Promise<void> {
  if (!ladder) throw new Error('worker not initialized');
  const report = await ladder.select('inference', inferenceProbe);
  if (report.selected !== inferenceBackend) {
    inferenceBackend = report.selected;
    send({ type: 'backend', jobId, report, nativeLoaded: ladder.loadedNative });
  }
}

async function predict(message: Extract<ToWorker, { type: 'predict' }>): Promise<void> {
  await selectForInference(message.jobId);
  const loaded = await models.get(message.source, { fresh: message.fresh });
  try {
    const response = await predictLoaded(tf, loaded, message.rows, { cleaned: message.cleaned });
    send({ type: 'predicted', jobId: message.jobId, response });
  } finally {
    if (message.fresh) models.release(loaded);
  }
}

async function describe(message: Extract<ToWorker, { type: 'describe' }>): Promise<void> {
  await selectForInference(message.jobId);
  send({ type: 'described', jobId: message.jobId, info: modelInfoOf(await models.get(message.source)) });
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
    case 'estimate':
    case 'predict':
    case 'describe': {
      const job = message.type === 'train' ? train(message) : message.type === 'estimate' ? estimate(message) : message.type === 'predict' ? predict(message) : describe(message);
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
