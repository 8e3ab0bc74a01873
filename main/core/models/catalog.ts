/**
 * The model catalog: every model the app can train, with its plain-language description in
 * English and 简体中文, its knobs, and a builder returning a tfjs Layers model.
 */
import type * as tf from '@tensorflow/tfjs';
import { modelCatalogEntrySchema, type ModelCatalogEntry, type ModelId, type TaskId } from '../../contract/training';
import { CoreError } from '../errors';
import { resolveHyperparameters } from './layers-util';
import { tabularLinear } from './tabular-linear';
import { tabularMlp } from './tabular-mlp';
import { textBigru } from './text-bigru';
import { textBow } from './text-bow';
import { textCnn } from './text-cnn';
import { textLstm } from './text-lstm';
import type { ModelBuildSpec, ModelDefinition } from './types';

const definitions: readonly ModelDefinition[] = [textLstm, textBow, textCnn, textBigru, tabularMlp, tabularLinear];
const byId = new Map<string, ModelDefinition>(definitions.map((d) => [d.entry.id, d]));

/** All catalog entries as the UI shows them (validated against the contract schema). */
export function listCatalog(task?: TaskId): ModelCatalogEntry[] {
  return definitions
    .filter((d) => !task || d.entry.tasks.includes(task))
    .map((d) => modelCatalogEntrySchema.parse(d.entry));
}

/** One model's definition; `not_found` for an unknown id. */
export function getModel(id: ModelId | string): ModelDefinition {
  const model = byId.get(id);
  if (!model) throw new CoreError('not_found', `no model ${id} in the catalog`, { modelId: id });
  return model;
}

/** Throws `model_task_mismatch` when the model does not serve the task. */
export function assertServesTask(id: ModelId, task: TaskId): ModelDefinition {
  const model = getModel(id);
  if (!model.entry.tasks.includes(task)) {
    throw new CoreError('model_task_mismatch', `${id} does not serve ${task}`, { modelId: id, task });
  }
  return model;
}

/**
 * Builds a fresh, uncompiled model. Hyperparameters are checked against the entry's ranges and
 * filled with defaults; the caller owns (and disposes) the model.
 */
export function buildModel(id: ModelId, spec: Omit<ModelBuildSpec, 'hyperparameters'> & { hyperparameters?: Record<string, number> }): tf.LayersModel {
  const definition = getModel(id);
  if (definition.input !== spec.input.kind) {
    throw new CoreError('model_task_mismatch', `${id} reads ${definition.input} input, not ${spec.input.kind}`, { modelId: id });
  }
  const hyperparameters = resolveHyperparameters(definition.entry.hyperparameters, spec.hyperparameters);
  return definition.build({ ...spec, hyperparameters });
}
