import type { ModelEstimate, ModelId } from '../../main/contract/training';
import type { ModelsView } from '../../main/contract/training-channels';
import { api } from './api';
import { notices } from './notices.svelte';

/**
 * The Model step of one project: the catalog for its task with the recommendation, the estimates
 * measured on its data (one model at a time, so each card shows its own progress), and the choice.
 */
export class ModelStepState {
  view = $state.raw<ModelsView | null>(null);
  loaded = $state(false);
  estimates = $state.raw<Partial<Record<ModelId, ModelEstimate>>>({});
  /** Models still to measure, the one being measured first. */
  queue = $state.raw<ModelId[]>([]);
  total = $state(0);
  saving = $state(false);

  constructor(readonly projectId: string) {}

  get measuring(): ModelId | null {
    return this.queue[0] ?? null;
  }

  async load(): Promise<void> {
    const result = await api.modelsCatalog({ projectId: this.projectId });
    this.loaded = true;
    if (!result.ok) return notices.fail(result.error);
    this.apply(result.value);
  }

  /** Measures every model of the task on this data, one after the other. */
  measureAll(): Promise<void> {
    notices.clear();
    return this.measure(this.view?.entries.map((e) => e.id) ?? []);
  }

  /** Measures `ids` one after the other, each card showing its own progress. */
  async measure(ids: ModelId[]): Promise<void> {
    if (this.queue.length > 0 || ids.length === 0) return;
    this.queue = ids;
    this.total = ids.length;
    while (this.queue.length > 0) {
      const id = this.queue[0];
      const result = await api.modelsEstimate({ projectId: this.projectId, modelIds: [id] });
      if (!result.ok) {
        this.queue = [];
        return notices.fail(result.error);
      }
      this.estimates = { ...this.estimates, ...Object.fromEntries(result.value.estimates.map((e) => [e.modelId, e])) };
      this.queue = this.queue.slice(1);
    }
    if (ids.length > 1) notices.say('model.measured');
  }

  async choose(modelId: ModelId, hyperparameters: Record<string, number> = {}): Promise<boolean> {
    notices.clear();
    this.saving = true;
    const result = await api.modelsChoose({ projectId: this.projectId, modelId, hyperparameters });
    this.saving = false;
    if (!result.ok) {
      notices.fail(result.error);
      return false;
    }
    const changedKnobs = this.view?.choice?.modelId === modelId && JSON.stringify(this.view.choice.hyperparameters) !== JSON.stringify(hyperparameters);
    const wasMeasured = this.estimates[modelId] !== undefined;
    this.apply(result.value, changedKnobs ? modelId : null);
    notices.say('model.chosen');
    // New knobs change the model's size and speed: measure it again if it had been measured.
    if (changedKnobs && wasMeasured && !this.estimates[modelId]) void this.measure([modelId]);
    return true;
  }

  /** New state from the Node side; estimates measured with other knobs of `stale` are dropped. */
  private apply(view: ModelsView, stale: ModelId | null = null): void {
    this.view = view;
    const kept = { ...this.estimates };
    if (stale) delete kept[stale];
    for (const estimate of view.estimates) kept[estimate.modelId] = estimate;
    this.estimates = kept;
  }
}
