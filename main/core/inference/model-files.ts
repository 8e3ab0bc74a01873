/**
 * Loads a tfjs Layers model from its model.json and weight shards, wherever they are (a run's
 * model/ folder, entries of a `.mpmodel` zip, an unzipped bundle on the user's disk). tfjs is
 * passed in rather than imported, so the standalone runtime shipped in a bundle uses the
 * user's own @tensorflow/tfjs. Without tfjs-node, `file://` URLs do not load: this is how.
 */
import type * as TF from '@tensorflow/tfjs';
import { CoreError } from '../errors';

/** The @tensorflow/tfjs namespace (the app's, or the one a bundle's user installed). */
export type Tfjs = typeof TF;

export const MODEL_JSON_FILE = 'model.json';

/** Reads one file named in model.json's weightsManifest (a name beside model.json). */
export type ShardReader = (name: string) => Promise<Uint8Array>;

/** Shards live beside model.json; a path that climbs or nests is refused. */
export function isSafeShardName(name: string): boolean {
  return name.length > 0 && !name.includes('/') && !name.includes('\\') && !name.startsWith('.') && !name.includes('\0');
}

/** The shard file names model.json refers to, in order. */
export function shardNames(modelJson: TF.io.ModelJSON): string[] {
  return (modelJson.weightsManifest ?? []).flatMap((group) => group.paths);
}

/** Parses model.json text; `bundle_corrupt` when it is not a Layers model description. */
export function parseModelJson(text: string): TF.io.ModelJSON {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CoreError('bundle_corrupt', `model.json is not JSON: ${(error as Error).message}`, { reason: 'model_json' });
  }
  const json = parsed as Partial<TF.io.ModelJSON> | null;
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new CoreError('bundle_corrupt', 'model.json has no modelTopology or weightsManifest', { reason: 'model_json' });
  }
  for (const name of shardNames(json as TF.io.ModelJSON)) {
    if (!isSafeShardName(name)) throw new CoreError('bundle_unsafe_path', `model.json names a weights file outside its folder: ${name}`, { path: name });
  }
  return json as TF.io.ModelJSON;
}

/** model.json + shards as in-memory artifacts (weights concatenated in manifest order). */
export async function modelArtifacts(modelJson: TF.io.ModelJSON, readShard: ShardReader): Promise<TF.io.ModelArtifacts> {
  const weightSpecs: TF.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const name of group.paths) {
      if (!isSafeShardName(name)) throw new CoreError('bundle_unsafe_path', `bad weights path ${name}`, { path: name });
      parts.push(await readShard(name));
    }
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    weightData.set(part, offset);
    offset += part.byteLength;
  }
  const artifacts: TF.io.ModelArtifacts = {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    weightSpecs,
    weightData: weightData.buffer,
  };
  if (modelJson.trainingConfig != null) artifacts.trainingConfig = modelJson.trainingConfig;
  if (modelJson.userDefinedMetadata != null) artifacts.userDefinedMetadata = modelJson.userDefinedMetadata;
  return artifacts;
}

/** Loads the model described by model.json text, reading its shards with `readShard`. */
export async function loadLayersModelFromFiles(tf: Tfjs, modelJsonText: string, readShard: ShardReader): Promise<TF.LayersModel> {
  const artifacts = await modelArtifacts(parseModelJson(modelJsonText), readShard);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new CoreError('bundle_corrupt', `the model could not be built from model.json and its weights: ${(error as Error).message}`, { reason: 'model' });
  }
}
