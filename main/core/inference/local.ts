/**
 * Predictions in the calling thread, for the CLI, scripts and tests: tfjs on the WebAssembly
 * backend (else plain JavaScript), never native TensorFlow, which only the compute worker may
 * hold (STACK-NOTES). The app itself predicts through its compute worker.
 */
import * as tf from '@tensorflow/tfjs';
import type { Row } from '../../contract/data';
import type { ModelInfo, ModelSource, PredictResponse } from '../../contract/export';
import { switchBackend } from '../backends/tf-setup';
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
