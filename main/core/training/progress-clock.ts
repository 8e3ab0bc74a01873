/** Samples per second and time left, from batch timings that leave paused time out. */
export class ProgressClock {
  private readonly startedAt: number;
  private lastMark: number;
  private pausedMs = 0;
  private batchSeconds: number | null = null;
  private samplesPerSec = 0;
  private validationSeconds = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
    this.lastMark = this.startedAt;
  }

  /** Marks the start of timed work (after an epoch boundary, validation or a pause). */
  mark(): void {
    this.lastMark = this.now();
  }

  paused(ms: number): void {
    this.pausedMs += ms;
    this.lastMark = this.now();
  }

  /** Records one finished batch of `samples` rows. */
  batchDone(samples: number): void {
    const t = this.now();
    const seconds = Math.max(1e-6, (t - this.lastMark) / 1000);
    this.lastMark = t;
    // Exponential average: follows a change of pace (another job, thermal throttling) within ~10 batches.
    this.batchSeconds = this.batchSeconds === null ? seconds : this.batchSeconds * 0.9 + seconds * 0.1;
    const rate = samples / seconds;
    this.samplesPerSec = this.samplesPerSec === 0 ? rate : this.samplesPerSec * 0.9 + rate * 0.1;
  }

  validationDone(seconds: number): void {
    this.validationSeconds = seconds;
  }

  get samplesPerSecond(): number {
    return this.samplesPerSec;
  }

  /** Seconds left: remaining batches at the average pace plus one validation per remaining epoch. */
  eta(remainingBatches: number, remainingEpochs: number): number | null {
    if (this.batchSeconds === null) return null;
    return remainingBatches * this.batchSeconds + remainingEpochs * this.validationSeconds;
  }

  /** Seconds since start, pauses excluded. */
  get elapsedSeconds(): number {
    return (this.now() - this.startedAt - this.pausedMs) / 1000;
  }
}

/** Lets through at most one event per `intervalMs`. */
export class Throttle {
  private last = -Infinity;
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  ready(): boolean {
    const t = this.now();
    if (t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}
