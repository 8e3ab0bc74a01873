/**
 * Getting tfjs backends ready in Node: where the wasm binaries are (also inside a packaged
 * app), the training kernels, and switching rungs. Safe to import anywhere; nothing native here.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendId } from '../../contract/schemas';
import type { BackendReport } from '../../contract/training';
import { registerTrainingKernels } from './wasm-kernels';

const require = createRequire(import.meta.url);

/**
 * The folder holding tfjs-backend-wasm's .wasm files, with a trailing separator. In a packaged
 * app the package sits in app.asar but the binaries must be read from app.asar.unpacked.
 */
export function wasmBinariesDir(): string {
  const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const marker = `${sep}app.asar${sep}`;
  if (dir.includes(marker)) {
    const unpacked = dir.replace(marker, `${sep}app.asar.unpacked${sep}`);
    if (existsSync(unpacked)) return unpacked + sep;
  }
  return dir + sep;
}

let wasmPathsSet = false;

/** Points the wasm backend at its binaries and registers the training kernels (idempotent). */
export function prepareBackends(): void {
  if (!wasmPathsSet) {
    setWasmPaths(wasmBinariesDir());
    // Threads are not used in Node (STACK-NOTES): do not even try the threaded binary.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    // PROD only silences tfjs's console advice ("install our node backend…"): the ladder
    // already reports what is in use and why, in words the UI owns.
    tf.enableProdMode();
    wasmPathsSet = true;
  }
  registerTrainingKernels();
}

/** Switches tfjs to `name` ('wasm', 'cpu', 'tensorflow'); throws when it cannot initialize. */
export async function switchBackend(name: 'wasm' | 'cpu' | 'tensorflow'): Promise<void> {
  prepareBackends();
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend '${name}' failed to initialize`);
  await tf.ready();
}

/** The running tfjs backend as a report, for callers that did not go through the ladder. */
export function currentBackendReport(): BackendReport {
  const name = tf.getBackend();
  const selected: BackendId = name === 'tensorflow' ? 'tfjs-node' : name === 'wasm' ? 'wasm' : 'cpu';
  return { selected, forced: null, rungs: [{ id: selected, used: true, reason: 'available', detail: `tfjs backend '${name}'` }] };
}
