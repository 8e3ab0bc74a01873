import type { NeedsPatch, NeedsView } from '../../main/contract/needs-channels';
import type { ProjectNeeds } from '../../main/contract/needs';
import { api } from './api';
import { notices } from './notices.svelte';

const AUTOSAVE_MS = 400;

/**
 * The Needs step of one project: the sheet as the user edits it (shown at once) and autosaved
 * shortly after the last change; edits made while a save is on its way are merged into the next.
 */
export class NeedsStepState {
  view = $state.raw<NeedsView | null>(null);
  /** The sheet as on screen: the server's, with the edits not saved yet on top. */
  needs = $state.raw<ProjectNeeds | null>(null);
  loaded = $state(false);
  /** 'saving' while edits wait or travel; 'saved' after the last one landed. */
  status = $state<'idle' | 'saving' | 'saved'>('idle');
  private pending: NeedsPatch = {};
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(readonly projectId: string) {}

  async load(): Promise<void> {
    const result = await api.needsGet({ projectId: this.projectId });
    this.loaded = true;
    if (!result.ok) return notices.fail(result.error);
    this.apply(result.value);
  }

  /** Applies an edit on screen now and saves it shortly (text fields call this on every keystroke). */
  edit(patch: NeedsPatch): void {
    if (!this.needs) return;
    const { costs, maxLatencyMs, maxModelSizeMB, ...rest } = patch;
    const next: ProjectNeeds = { ...this.needs, ...rest, costs: { ...this.needs.costs, ...costs } };
    if (maxLatencyMs !== undefined) next.maxLatencyMs = maxLatencyMs ?? undefined;
    if (maxModelSizeMB !== undefined) next.maxModelSizeMB = maxModelSizeMB ?? undefined;
    this.needs = next;
    this.pending = { ...this.pending, ...patch, ...(costs ? { costs: { ...this.pending.costs, ...costs } } : {}) };
    this.status = 'saving';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), AUTOSAVE_MS);
  }

  /** Saves what is waiting now (leaving the step, marking it done). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
    if (Object.keys(this.pending).length === 0) return;
    const patch = this.pending;
    this.pending = {};
    this.inFlight = this.save(patch);
    await this.inFlight;
    this.inFlight = null;
  }

  private async save(patch: NeedsPatch): Promise<void> {
    const result = await api.needsUpdate({ projectId: this.projectId, patch });
    if (!result.ok) {
      this.status = 'idle';
      return notices.fail(result.error);
    }
    this.apply(result.value);
  }

  private apply(view: NeedsView): void {
    this.view = view;
    // Edits typed while this save travelled stay on screen; the next save sends them.
    const waiting = Object.keys(this.pending).length > 0 || this.timer !== null;
    if (!waiting) {
      this.needs = view.needs;
      if (this.status === 'saving') this.status = 'saved';
    }
  }
}
