/**
 * Save and load tfjs Layers models as a folder with model.json + weights.bin (the layout
 * tfjs-node's file:// handler writes and any tfjs can load), without tfjs-node: plain tfjs
 * gives us the artifacts through `tf.io.withSaveHandler` and takes them back from our loader.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CoreError } from '../errors';
import { recoverDir, replaceDirAtomic, type DirFiles } from './atomic-dir';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** model.json + weights.bin for a set of artifacts (one weights shard). */
export function artifactsToFiles(artifacts: tf.io.ModelArtifacts): DirFiles {
  const weightData = artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const manifest: tf.io.WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }];
  // The fields tfjs's own getModelJSONForModelArtifacts writes (not exported by tfjs 4.22).
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: manifest,
  };
  if (artifacts.signature != null) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  return { [MODEL_JSON]: JSON.stringify(modelJson), [WEIGHTS_BIN]: new Uint8Array(weightData) };
}

/**
 * An IOHandler that writes the model into `dir` atomically (the whole folder is replaced at
 * once). `extra` files (a checkpoint's state.json) are written in the same swap.
 */
export function dirSaveHandler(dir: string, extra: DirFiles = {}): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    await replaceDirAtomic(dir, { ...artifactsToFiles(artifacts), ...extra });
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/** An IOHandler that reads model.json and its weight shards from `dir`. */
export function dirLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      await recoverDir(dir);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        throw new CoreError(missing ? 'not_found' : 'run_corrupt', `cannot read ${join(dir, MODEL_JSON)}: ${(error as Error).message}`, { path: dir });
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const path of group.paths) {
            // Shards live beside model.json; refuse anything that would read elsewhere.
            if (path.includes('/') || path.includes('\\') || path.startsWith('.')) throw new CoreError('run_corrupt', `bad weights path ${path}`, { path: dir });
            const bytes = await readFile(join(dir, path));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Saves a model (optionally with its optimizer state) into `dir`, replacing what was there. */
export async function saveModelToDir(model: tf.LayersModel, dir: string, options: { includeOptimizer?: boolean; extra?: DirFiles } = {}): Promise<void> {
  // tfjs 4.22 leaks one scalar per save with the optimizer (the step count getWeights() makes);
  // a scope around the save frees whatever the save itself allocated.
  tf.engine().startScope();
  try {
    await model.save(dirSaveHandler(dir, options.extra), { includeOptimizer: options.includeOptimizer ?? false });
  } finally {
    tf.engine().endScope();
  }
}

/**
 * Loads a model saved by `saveModelToDir`. A model saved with its optimizer comes back compiled,
 * optimizer state included, ready to continue training.
 */
export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(dirLoadHandler(dir));
}
