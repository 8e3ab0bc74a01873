/**
 * The backend ladder as the compute worker climbs it: tfjs-node-gpu → tfjs-node → wasm → cpu.
 * A rung is used only after loading it and a one-batch probe fit of the model to be trained
 * succeed; the report says which rung is in use and why each other one is not. Native packages
 * are loaded with guarded dynamic imports, and only ever in the compute worker (STACK-NOTES:
 * one thread per process can hold native TensorFlow).
 */
import { isMainThread } from 'node:worker_threads';
import { backendIds, type BackendId } from '../../contract/schemas';
import type { BackendReport } from '../../contract/training';
import { probeLadder } from './ladder';
import { prepareBackends, switchBackend } from './tf-setup';

type Rung = BackendReport['rungs'][number];

export interface LadderOptions {
  /** Force a rung (setting or MODELPILOT_BACKEND); when it fails, the others are tried. */
  forced?: BackendId | null;
  /** An earlier worker of this process loaded native TensorFlow: it cannot be loaded again. */
  nativeLost?: boolean;
  env?: NodeJS.ProcessEnv;
}

const NATIVE_PACKAGE: Partial<Record<BackendId, string>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

export class BackendLadder {
  private readonly forced: BackendId | null;
  private readonly loadErrors = new Map<BackendId, string>();
  private readonly probed = new Map<string, string | null>();
  /** The native package this thread loaded, if any (the owner must know: it cannot be reloaded). */
  loadedNative: BackendId | null = null;

  constructor(private readonly options: LadderOptions = {}) {
    const env = options.env ?? process.env;
    this.forced = options.forced ?? probeLadder(env).forced;
  }

  /**
   * Selects the highest rung that loads and passes `probe` for `key` (a model id: results are
   * cached per rung and model). Leaves tfjs on that backend.
   */
  async select(key: string, probe: () => Promise<void>): Promise<BackendReport> {
    prepareBackends();
    // File checks only; forcing is applied here so a failing forced rung can fall through.
    const statics = new Map(probeLadder({ ...(this.options.env ?? process.env), MODELPILOT_BACKEND: '' }).rungs.map((r) => [r.id, r]));
    const order = this.forced ? [this.forced, ...backendIds.filter((id) => id !== this.forced)] : [...backendIds];
    const outcome = new Map<BackendId, Omit<Rung, 'id'>>();
    let selected: BackendId | null = null;
    for (const id of order) {
      const known = statics.get(id)!;
      if (selected) {
        const reason = this.forced && selected === this.forced ? 'forced_off' : known.available ? 'not_needed' : known.reason;
        outcome.set(id, { used: false, reason, detail: known.detail });
        continue;
      }
      if (!known.available) {
        outcome.set(id, { used: false, reason: known.reason, detail: known.detail });
        continue;
      }
      if (NATIVE_PACKAGE[id] && this.options.nativeLost && this.loadedNative !== id) {
        outcome.set(id, { used: false, reason: 'native_lost', detail: 'native TensorFlow was loaded by an earlier worker; restart the app to use it again' });
        continue;
      }
      const loadError = await this.load(id);
      if (loadError) {
        outcome.set(id, { used: false, reason: 'load_failed', detail: loadError });
        continue;
      }
      const probeError = await this.probe(id, key, probe);
      if (probeError) {
        outcome.set(id, { used: false, reason: 'probe_failed', detail: probeError });
        continue;
      }
      selected = id;
      outcome.set(id, { used: true, reason: 'available', detail: `${known.detail}; probe fit of ${key} passed` });
    }
    if (!selected) {
      const why = [...outcome.entries()].map(([id, o]) => `${id}: ${o.detail}`).join('; ');
      throw new Error(`no compute backend can train ${key} (${why})`);
    }
    await switchBackend(tfName(selected));
    return { selected, forced: this.forced, rungs: backendIds.map((id) => ({ id, ...outcome.get(id)! })) };
  }

  private async load(id: BackendId): Promise<string | null> {
    if (this.loadErrors.has(id)) return this.loadErrors.get(id)!;
    const pkg = NATIVE_PACKAGE[id];
    let error: string | null = null;
    if (pkg) {
      if (isMainThread) {
        // STACK-NOTES: the main thread must never hold native TensorFlow (one thread per process can).
        error = `${pkg} is loaded only inside the compute worker`;
      } else if (this.loadedNative && this.loadedNative !== id) {
        error = `${this.loadedNative} is already loaded in this worker`;
      } else if (!this.loadedNative) {
        try {
          // A variable specifier: bundlers leave it alone and tsc does not need the package.
          const specifier = pkg;
          await import(/* @vite-ignore */ specifier);
          this.loadedNative = id;
        } catch (e) {
          error = `${pkg}: ${(e as Error).message}`;
        }
      }
    }
    if (!error) {
      try {
        await switchBackend(tfName(id));
      } catch (e) {
        error = (e as Error).message;
      }
    }
    if (error) this.loadErrors.set(id, error);
    return error;
  }

  private async probe(id: BackendId, key: string, probe: () => Promise<void>): Promise<string | null> {
    const cacheKey = `${id}/${key}`;
    if (this.probed.has(cacheKey)) return this.probed.get(cacheKey)!;
    let error: string | null = null;
    try {
      await switchBackend(tfName(id));
      await probe();
    } catch (e) {
      error = (e as Error).message;
    }
    this.probed.set(cacheKey, error);
    return error;
  }
}

function tfName(id: BackendId): 'tensorflow' | 'wasm' | 'cpu' {
  return id === 'wasm' ? 'wasm' : id === 'cpu' ? 'cpu' : 'tensorflow';
}

