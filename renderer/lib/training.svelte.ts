import type { ProgressEvent, RunSummary } from '../../main/contract/training';
import type { TrainingProgressEvent, TrainingView } from '../../main/contract/training-channels';
import type { TrainingSettings } from '../../main/contract/training-settings';
import { api } from './api';
import { notices } from './notices.svelte';
import { RunSeries } from './run-series.svelte';

const LIVE = new Set(['queued', 'running', 'paused']);
const AUTOSAVE_MS = 500;
/** Pushed events are applied in batches at most this often: a tiny model can finish 100 epochs a second. */
const DRAW_MS = 100;

/**
 * The Training step of one project: the settings form (autosaved), the runs with their status,
 * and the run shown in the live view. Pushed progress updates the shown run in place; a status
 * change refreshes the run list.
 */
export class TrainingStepState {
  view = $state.raw<TrainingView | null>(null);
  loaded = $state(false);
  /** The form; edits are saved shortly after the last change. */
  settings = $state.raw<TrainingSettings | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  readonly shown = new RunSeries();
  starting = $state(false);
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Events of runs not shown (yet): a run's first events can arrive before the reply that starts it. */
  private readonly early: Record<string, ProgressEvent[]> = {};

  constructor(readonly projectId: string) {}

  /** The run this project is training now, if any. */
  get active(): RunSummary | null {
    return this.runs.find((r) => LIVE.has(r.status)) ?? null;
  }

  /** A run that finished with a model the next steps can use. */
  get hasModel(): boolean {
    return this.runs.some((r) => r.hasModel && (r.status === 'completed' || r.status === 'stopped'));
  }

  async load(): Promise<void> {
    const result = await api.trainingGet({ projectId: this.projectId });
    this.loaded = true;
    if (!result.ok) return notices.fail(result.error);
    this.view = result.value;
    this.settings = result.value.settings;
    this.runs = result.value.runs;
    // Reopening the step shows the latest run's charts from its saved history.
    const latest = this.active ?? this.runs[0];
    if (latest) await this.show(latest.runId);
  }

  listen(): () => void {
    let pending: TrainingProgressEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const events = pending;
      pending = [];
      for (const payload of events) {
        if (payload.runId === this.shown.runId) this.shown.apply(payload.event);
        else this.keep(payload.runId, payload.event);
      }
      if (events.some((p) => p.event.kind === 'status')) void this.refreshRuns();
    };
    const off = api.on('training:progress', (payload: TrainingProgressEvent) => {
      if (payload.projectId !== this.projectId) return;
      pending.push(payload);
      timer ??= setTimeout(flush, DRAW_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }

  /** Shows a run's charts from its saved history (and follows it live if it is training). */
  async show(runId: string): Promise<void> {
    const result = await api.trainingMetrics({ projectId: this.projectId, runId });
    if (!result.ok) return notices.fail(result.error);
    this.shown.reset(result.value.run, result.value.events);
    this.replay(runId);
  }

  edit(settings: TrainingSettings): void {
    this.settings = settings;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), AUTOSAVE_MS);
  }

  /** Back to the chosen model's recommended settings. */
  resetSettings(): void {
    if (this.view) this.edit(this.view.defaults);
  }

  async start(): Promise<void> {
    if (!this.settings || this.active || this.starting) return;
    notices.clear();
    this.flushTimer();
    this.starting = true;
    const result = await api.trainingStart({ projectId: this.projectId, settings: this.settings });
    this.starting = false;
    if (!result.ok) return notices.fail(result.error);
    this.shown.reset(result.value);
    this.replay(result.value.runId);
    this.runs = [result.value, ...this.runs.filter((r) => r.runId !== result.value.runId)];
    notices.say('training.started');
  }

  async control(action: 'pause' | 'resume' | 'stop' | 'cancel', runId = this.shown.runId): Promise<void> {
    if (!runId) return;
    notices.clear();
    const payload = { projectId: this.projectId, runId };
    const call = { pause: api.trainingPause, resume: api.trainingResume, stop: api.trainingStop, cancel: api.trainingCancel }[action];
    const result = await call(payload);
    if (!result.ok) return notices.fail(result.error);
    if (!result.value.accepted) {
      notices.say('training.notRunning');
      await this.refreshRuns();
    }
  }

  /** Continues an interrupted (or failed, or stopped) run from its last checkpoint. */
  async resumeRun(runId: string): Promise<void> {
    if (this.active) return;
    notices.clear();
    const result = await api.trainingResumeInterrupted({ projectId: this.projectId, runId });
    if (!result.ok) return notices.fail(result.error);
    await this.show(runId);
    await this.refreshRuns();
    notices.say('training.resumed');
  }

  async refreshRuns(): Promise<void> {
    const result = await api.trainingRuns({ projectId: this.projectId });
    if (!result.ok) return;
    this.runs = result.value;
    const shown = this.runs.find((r) => r.runId === this.shown.runId);
    if (shown) this.shown.run = shown;
  }

  /** Saves a pending edit now (leaving the step, or starting a run). */
  flushTimer(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    void this.save();
  }

  private keep(runId: string, event: ProgressEvent): void {
    const list = (this.early[runId] ??= []);
    list.push(event);
    if (list.length > 200) list.shift();
  }

  private replay(runId: string): void {
    for (const event of this.early[runId] ?? []) this.shown.apply(event);
    delete this.early[runId];
  }

  private async save(): Promise<void> {
    this.saveTimer = null;
    if (!this.settings || !this.view?.model) return;
    const result = await api.trainingSaveSettings({ projectId: this.projectId, settings: this.settings });
    if (!result.ok) notices.fail(result.error);
  }
}
