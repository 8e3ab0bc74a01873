import type { BackendReport, ProgressEvent, RunFailure, RunStatus, RunSummary } from '../../main/contract/training';

export type EpochEvent = Extract<ProgressEvent, { kind: 'epoch' }>;
export type BatchEvent = Extract<ProgressEvent, { kind: 'batch' }>;
export type PreparingEvent = Extract<ProgressEvent, { kind: 'preparing' }>;

/**
 * One run as the live view draws it: the per-epoch series for the two charts (replaced, never
 * mutated, so `$state.raw` stays cheap however long the run), the last batch for the progress bar,
 * how far the worker got reading the data before the first pass, and the status. Fed by pushed progress events, or by a run's saved history when reopened.
 */
export class RunSeries {
  run = $state.raw<RunSummary | null>(null);
  status = $state<RunStatus | null>(null);
  failure = $state.raw<RunFailure | null>(null);
  backend = $state.raw<BackendReport | null>(null);
  epochs = $state.raw<number[]>([]);
  loss = $state.raw<number[]>([]);
  valLoss = $state.raw<(number | null)[]>([]);
  metric = $state.raw<(number | null)[]>([]);
  valMetric = $state.raw<(number | null)[]>([]);
  lastEpoch = $state.raw<EpochEvent | null>(null);
  lastBatch = $state.raw<BatchEvent | null>(null);
  /** Until training starts (never saved, so a reopened run has none). */
  preparing = $state.raw<PreparingEvent | null>(null);
  /** Time of the newest event applied: older ones (a replay that overlaps the history) are skipped. */
  private lastAt = '';

  get runId(): string | null {
    return this.run?.runId ?? null;
  }

  /** Starts over for `run`, then replays `events` (its history) if given. */
  reset(run: RunSummary, events: ProgressEvent[] = []): void {
    this.run = run;
    this.status = run.status;
    this.failure = run.failure;
    this.backend = run.backend;
    this.epochs = [];
    this.loss = [];
    this.valLoss = [];
    this.metric = [];
    this.valMetric = [];
    this.lastEpoch = null;
    this.lastBatch = null;
    this.preparing = null;
    const epochs = events.filter((e): e is EpochEvent => e.kind === 'epoch');
    // A resumed run may repeat epochs after its last checkpoint: the later entry wins.
    const byEpoch: Record<number, EpochEvent> = {};
    for (const e of epochs) byEpoch[e.epoch] = e;
    const ordered = Object.values(byEpoch).sort((a, b) => a.epoch - b.epoch);
    this.epochs = ordered.map((e) => e.epoch);
    this.loss = ordered.map((e) => e.loss);
    this.valLoss = ordered.map((e) => e.valLoss);
    this.metric = ordered.map((e) => e.metric);
    this.valMetric = ordered.map((e) => e.valMetric);
    this.lastEpoch = ordered.at(-1) ?? null;
    this.lastBatch = events.findLast((e): e is BatchEvent => e.kind === 'batch') ?? null;
    this.lastAt = events.reduce((latest, e) => (e.at > latest ? e.at : latest), '');
  }

  apply(event: ProgressEvent): void {
    if (event.at < this.lastAt) return;
    this.lastAt = event.at;
    switch (event.kind) {
      case 'status':
        this.status = event.status;
        if (event.backend) this.backend = event.backend;
        this.failure = event.failure ?? (event.status === 'failed' ? this.failure : null);
        this.preparing = null; // training started, or the run ended while its data was read
        return;
      case 'preparing':
        this.preparing = event;
        return;
      case 'batch':
        this.lastBatch = event;
        return;
      case 'epoch': {
        const at = this.epochs.indexOf(event.epoch);
        if (at >= 0) {
          // Resumed from a checkpoint before this epoch: drop it and what came after.
          this.epochs = this.epochs.slice(0, at);
          this.loss = this.loss.slice(0, at);
          this.valLoss = this.valLoss.slice(0, at);
          this.metric = this.metric.slice(0, at);
          this.valMetric = this.valMetric.slice(0, at);
        }
        this.epochs = [...this.epochs, event.epoch];
        this.loss = [...this.loss, event.loss];
        this.valLoss = [...this.valLoss, event.valLoss];
        this.metric = [...this.metric, event.metric];
        this.valMetric = [...this.valMetric, event.valMetric];
        this.lastEpoch = event;
        return;
      }
    }
  }
}
