/**
 * Predictions in the calling thread, for the CLI, scripts and tests: tfjs on the WebAssembly
 * backend (else plain JavaScript), never native TensorFlow, which only the compute worker may
 * hold (STACK-NOTES). The app itself predicts through its compute worker.
 */
import * as tf from '@tensorflow/tfjs';
import type { Row } from '../../contract/data';
import type { ModelInfo, ModelSource, PredictResponse } from '../../contract/export';
import { switchBackend } from '../backends/tf-setup';
import { detectSource } from '../data/read-table';
import { readRows } from '../data/dataset';
import { CoreError } from '../errors';
import { ModelCache, modelInfoOf } from './model-cache';
import { predictLoaded } from './predictor';

/** Puts tfjs in this thread on wasm, or on its JavaScript backend where wasm cannot start. */
export async function useLocalBackend(): Promise<void> {
  try {
    await switchBackend('wasm');
  } catch {
    await switchBackend('cpu');
  }
}

/** Models loaded in this thread, with the same interface as the compute worker's. */
export class LocalModels {
  private readonly cache = new ModelCache(tf);

  async describeModel(source: ModelSource): Promise<ModelInfo> {
    await useLocalBackend();
    return modelInfoOf(await this.cache.get(source));
  }

  async predict(request: { source: ModelSource; rows: Row[]; cleaned?: boolean; fresh?: boolean }): Promise<PredictResponse> {
    await useLocalBackend();
    const loaded = await this.cache.get(request.source, { fresh: request.fresh });
    try {
      return await predictLoaded(tf, loaded, request.rows, { cleaned: request.cleaned });
    } finally {
      if (request.fresh) this.cache.release(loaded);
    }
  }

  /** Frees every loaded model. */
  dispose(): void {
    this.cache.clear();
  }
}

/**
 * Reads a table to predict with the Data step's own reader (CSV/TSV in any encoding it detects,
 * Excel, JSON, JSON Lines). The first row is always the header: the model needs column names.
 */
export async function readInputTable(path: string): Promise<{ columns: string[]; rows: Row[] }> {
  const sniff = await detectSource(path, { hasHeader: true });
  if (sniff.isFolder) throw new CoreError('predict_input_invalid', `${path} is a folder; give a table file (CSV, Excel, JSON)`, { path, reason: 'folder' });
  const rows = await readRows(path, sniff.spec);
  const columns = sniff.spec.columns.length ? sniff.spec.columns : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { columns, rows };
}
