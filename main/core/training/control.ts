/**
 * Pause, resume, stop and cancel for one training run. The training loop checks it after every
 * batch; pausing parks the loop on a promise (the worker stays responsive to messages).
 */
export type ControlAction = 'pause' | 'resume' | 'stop' | 'cancel';

export class TrainingControl {
  private pausedSince: number | null = null;
  private waiters: (() => void)[] = [];
  /** Stop after the current batch and keep the best model so far. */
  stopRequested = false;
  /** Stop after the current batch and throw the run away. */
  cancelRequested = false;
  private readonly finished = new AbortController();

  /** Fires on stop or cancel: what a long step before the first batch (reading the data) listens to. */
  get signal(): AbortSignal {
    return this.finished.signal;
  }

  get paused(): boolean {
    return this.pausedSince !== null;
  }

  /** Applies an action; returns false when it changes nothing (pausing a paused run…). */
  apply(action: ControlAction): boolean {
    switch (action) {
      case 'pause':
        if (this.paused || this.finishing) return false;
        this.pausedSince = Date.now();
        return true;
      case 'resume':
        if (!this.paused) return false;
        this.release();
        return true;
      case 'stop':
        if (this.finishing) return false;
        this.stopRequested = true;
        this.release();
        this.finished.abort();
        return true;
      case 'cancel':
        if (this.cancelRequested) return false;
        this.cancelRequested = true;
        this.release();
        this.finished.abort();
        return true;
    }
  }

  get finishing(): boolean {
    return this.stopRequested || this.cancelRequested;
  }

  /** Resolves when not paused; returns how long it waited (ms), for throughput and ETA. */
  async waitWhilePaused(): Promise<number> {
    if (!this.paused) return 0;
    const since = this.pausedSince!;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    return Date.now() - since;
  }

  private release(): void {
    this.pausedSince = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
