/**
 * Loaded models kept by the compute worker between prediction jobs, so the local API answers
 * without re-reading the file each time. An entry is reused only while its files on disk are
 * unchanged and tfjs is still on the backend it was loaded on; the oldest is disposed past
 * `capacity`. `fresh` loads bypass the cache (the parity check must read the file again).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelInfo, ModelSource } from '../../contract/export';
import { MODEL_DIR, RUN_FILE } from '../training/run-store';
import type { Tfjs } from './model-files';
import { loadModelSource, type LoadedModel } from './predictor';
import { DEFAULT_DECISION_THRESHOLD } from './preprocess';

/** What a loaded model is, without its weights. */
export function modelInfoOf(loaded: LoadedModel): ModelInfo {
  const pre = loaded.recipe.preprocessing;
  return {
    source: loaded.source,
    name: loaded.name,
    task: loaded.task,
    modelId: loaded.modelId,
    outputKind: pre.outputKind,
    labels: pre.labels,
    input: loaded.input,
    labelColumn: pre.labelColumn,
    decisionThreshold: pre.outputKind === 'binary' ? (loaded.recipe.decisionThreshold ?? DEFAULT_DECISION_THRESHOLD) : null,
  };
}

async function fileKey(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  return info ? `${info.size}:${info.mtimeMs}` : 'missing';
}

/** Identifies the weights a run keeps now (a resumed run replaces them). */
export async function runModelKey(runDir: string): Promise<string> {
  const model = join(runDir, MODEL_DIR);
  return `${await fileKey(join(model, 'model.json'))}:${await fileKey(join(model, 'weights.bin'))}`;
}

/**
 * Identifies a source's current content (paths plus sizes and modification times); for a run,
 * run.json too, since it holds the decision threshold the answers depend on.
 */
async function sourceKey(source: ModelSource): Promise<string> {
  if (source.kind === 'bundle') return `bundle:${source.path}:${await fileKey(source.path)}`;
  return `run:${source.runDir}:${await runModelKey(source.runDir)}:${await fileKey(join(source.runDir, RUN_FILE))}`;
}

export class ModelCache {
  private readonly entries = new Map<string, LoadedModel>();

  constructor(
    private readonly tf: Tfjs,
    private readonly capacity = 2,
  ) {}

  /**
   * The model for `source`, loaded if needed. With `fresh`, always loaded from disk and handed
   * over (the caller disposes it: see `release`).
   */
  async get(source: ModelSource, options: { fresh?: boolean } = {}): Promise<LoadedModel> {
    if (options.fresh) return loadModelSource(this.tf, source);
    const key = `${this.tf.getBackend()}|${await sourceKey(source)}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const loaded = await loadModelSource(this.tf, source);
    // Stale versions of the same source go first.
    for (const [k, entry] of this.entries) if (JSON.stringify(entry.source) === JSON.stringify(source)) this.drop(k);
    this.entries.set(key, loaded);
    while (this.entries.size > this.capacity) this.drop(this.entries.keys().next().value as string);
    return loaded;
  }

  /** Disposes a model that `get` handed over with `fresh` (cached ones stay). */
  release(loaded: LoadedModel): void {
    if (![...this.entries.values()].includes(loaded)) loaded.model.dispose();
  }

  /** Disposes every cached model. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private drop(key: string): void {
    this.entries.get(key)?.model.dispose();
    this.entries.delete(key);
  }
}
