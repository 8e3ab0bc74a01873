/**
 * Cost of each catalog model on the user's own data and this machine: parameter count, a memory
 * estimate, and a training time extrapolated from a short calibration (two warm-up batches, then
 * a few timed batches of real rows). A project's data is fitted on all its training rows but only
 * the first few are encoded (sampleSource), so measuring a million rows costs little memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendId } from '../../contract/schemas';
import type { BackendReport, ModelEstimate, ModelId, TrainingConfigInput } from '../../contract/training';
import { planSplit, type SplitPlan } from '../data/split-plan';
import { assertServesTask, buildModel, listCatalog } from '../models/catalog';
import { compileModel } from '../models/compile';
import { resolveHyperparameters } from '../models/layers-util';
import { estimateTrainingMemory } from '../models/memory-estimate';
import type { ModelInputSpec, OutputKind } from '../models/types';
import type { BatchSource } from './batch-source';
import { batchCount, epochOrder, makeBatch } from './batches';
import { prepareData } from './prepare';
import { probeFit } from './probe';
import { parseTrainingConfig } from './run-store';
import { sampleSource } from './source-sample';
import { isProjectData, type TrainingInput } from './training-data';

export interface EstimateRequest {
  data: TrainingInput;
  /** Shared settings (task, epochs, batch size…); each model's catalog defaults fill the rest. */
  config: Omit<TrainingConfigInput, 'modelId'>;
  /** Models to estimate; default: every model serving the task. */
  modelIds?: ModelId[];
  /** Per-model hyperparameters, by model id. */
  hyperparameters?: Partial<Record<ModelId, Record<string, number>>>;
  /** Timed batches after the warm-up (default 3). */
  calibrationBatches?: number;
}

export interface EstimateHooks {
  /** Chooses the backend for a model (the worker's ladder); default: the current one. */
  selectBackend?: (modelId: ModelId, probe: () => Promise<void>) => Promise<BackendReport>;
}

/** Forward-only validation costs about a third of a training step per row. */
const VALIDATION_COST = 0.35;

/** What a model is measured on: the data's shape and counts, and real rows to time batches on. */
interface Measured {
  input: ModelInputSpec;
  outputKind: OutputKind;
  classes: number;
  trainRows: number;
  validationRows: number;
  rows: BatchSource;
}

export async function estimateModels(request: EstimateRequest, hooks: EstimateHooks = {}): Promise<ModelEstimate[]> {
  const ids = request.modelIds ?? listCatalog(request.config.task).map((e) => e.id);
  const timed = Math.max(1, Math.floor(request.calibrationBatches ?? 3));
  const preparedCache = new Map<string, Measured>();
  let split: Promise<SplitPlan> | null = null;
  const results: ModelEstimate[] = [];
  for (const modelId of ids) {
    const definition = assertServesTask(modelId, request.config.task);
    const defaults = definition.entry.defaults;
    const config = parseTrainingConfig({
      epochs: defaults.epochs,
      batchSize: defaults.batchSize,
      learningRate: defaults.learningRate,
      optimizer: defaults.optimizer,
      ...request.config,
      modelId,
      hyperparameters: request.hyperparameters?.[modelId] ?? {},
    });
    const hyperparameters = resolveHyperparameters(definition.entry.hyperparameters, config.hyperparameters);
    const estimate: ModelEstimate = {
      modelId,
      paramCount: 0,
      memoryBytes: 0,
      samplesPerSecond: null,
      secondsPerEpoch: null,
      totalSeconds: null,
      backend: null,
      calibrationBatches: 0,
      error: null,
    };
    results.push(estimate);
    // Models with the same preprocessing knobs share one tokenization of the data.
    const key = JSON.stringify([definition.input, hyperparameters.vocabularySize, hyperparameters.sequenceLength]);
    let prepared = preparedCache.get(key);
    if (!prepared) {
      const data = request.data;
      if (isProjectData(data)) {
        // One split for every model; enough rows for the warm-up and timed batches.
        split ??= planSplit(data.projectDir, data.section);
        const s = await sampleSource(data, config, await split, Math.min(4096, config.batchSize * (WARM_UP_BATCHES + timed)));
        const { input, outputKind, classes } = s.encoder;
        prepared = { input, outputKind, classes, trainRows: s.trainRows, validationRows: s.validationRows, rows: s.sample };
      } else {
        const p = prepareData(data, config);
        prepared = { input: p.input, outputKind: p.outputKind, classes: p.classes, trainRows: p.train.rows, validationRows: p.validation.rows, rows: p.train };
      }
      preparedCache.set(key, prepared);
    }
    const data = prepared;
    let backend: BackendId | null = null;
    if (hooks.selectBackend) {
      try {
        const report = await hooks.selectBackend(modelId, () =>
          probeFit({ modelId, input: data.input, outputKind: data.outputKind, classes: data.classes, hyperparameters, optimizer: config.optimizer }),
        );
        backend = report.selected;
      } catch (error) {
        estimate.error = (error as Error).message;
      }
    }
    const model = buildModel(modelId, {
      input: data.input,
      output: { kind: data.outputKind, classes: data.classes },
      hyperparameters,
      dropout: config.dropout,
      l1: config.l1,
      l2: config.l2,
      seed: config.seed,
    });
    const optimizer = compileModel(model, data.outputKind, config);
    try {
      estimate.paramCount = model.countParams();
      estimate.memoryBytes = estimateTrainingMemory(model, {
        batchSize: config.batchSize,
        optimizer: config.optimizer,
        // A project's rows stay on disk: only a batch of them is in memory at a time.
        rows: isProjectData(request.data) ? config.batchSize : data.trainRows + data.validationRows,
        valuesPerRow: data.rows.width,
      });
      if (estimate.error) continue;
      estimate.backend = backend ?? null;
      const seconds = await timeBatches(model, data.rows, config.batchSize, config.seed, timed);
      const perBatch = median(seconds);
      const batches = batchCount(data.trainRows, config.batchSize);
      const validationSeconds = (data.validationRows / config.batchSize) * perBatch * VALIDATION_COST;
      estimate.calibrationBatches = seconds.length;
      estimate.samplesPerSecond = Math.min(config.batchSize, data.trainRows) / perBatch;
      estimate.secondsPerEpoch = batches * perBatch + validationSeconds;
      estimate.totalSeconds = estimate.secondsPerEpoch * config.epochs;
    } catch (error) {
      estimate.error = (error as Error).message;
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  }
  return results;
}

/**
 * Untimed batches first: the first ones run 1.3-2.5x slower than steady state (V8 warming up
 * tfjs's code paths, the wasm heap growing), then steady within a few percent.
 */
const WARM_UP_BATCHES = 2;

/** Trains warm-up + `timed` batches of real rows; returns the timings after the warm-up. */
async function timeBatches(model: tf.LayersModel, rows: BatchSource, batchSize: number, seed: number, timed: number): Promise<number[]> {
  const order = epochOrder(rows.rows, seed, 0);
  const size = Math.min(batchSize, rows.rows);
  const seconds: number[] = [];
  for (let i = 0; i < WARM_UP_BATCHES + timed; i++) {
    const start = ((i * size) % Math.max(1, rows.rows - size + 1)) | 0;
    const { xs, ys } = makeBatch(rows, order.subarray(start, start + size));
    try {
      const t0 = performance.now();
      await model.trainOnBatch(xs, ys);
      if (i >= WARM_UP_BATCHES) seconds.push((performance.now() - t0) / 1000);
    } finally {
      tf.dispose([xs, ys]);
    }
  }
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
