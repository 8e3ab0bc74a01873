/**
 * Measures our side: trains one bench case through the real engine (ComputeWorker → compute
 * worker → fitDataset) on one backend rung for about `seconds` of steady training, then stops it.
 */
import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BackendId } from '../../main/contract/schemas';
import type { ProgressEvent } from '../../main/contract/training';
import { ComputeWorker } from '../../main/training/compute-worker';
import type { BenchCase } from './training-cases';

export interface TrainingBench {
  bench: 'training';
  model: string;
  /** The rung asked for, and the one the ladder actually used (they differ if its probe failed). */
  rung: BackendId;
  usedRung: BackendId | null;
  batchSize: number;
  rows: number;
  tokens: number | null;
  params: number | null;
  samplesPerSecond: number;
  batchesTimed: number;
  /**
   * Main-thread event-loop delay while the worker trained (ms), sampled every 5 ms; Node's
   * histogram includes that 5 ms interval, so an idle loop reads ~5.2 (see eventLoopIdleP99Ms).
   * Progress events come for every batch here (no throttle), the worst case for the main thread.
   */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  eventLoopIdleP99Ms: number;
  cpus: number;
  node: string;
  /** Why the run failed, when it did (then samplesPerSecond is 0). */
  error: string | null;
}

const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

/** The main thread's event-loop delay p99 (ms) over one idle second: the floor of the figure above. */
export async function idleEventLoopP99Ms(): Promise<number> {
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  idle.disable();
  return ms(idle.percentile(99));
}

/** Trains `c` on `rung` for about `seconds` after its first batch (then stops it) and measures. */
export async function measureTraining(rung: BackendId, c: BenchCase, options: { runsDir: string; seconds: number; idleP99Ms: number }): Promise<TrainingBench> {
  // The worker's own trouble (a crash at start, an error) goes to stderr: the line only has the summary.
  const log = (message: string) => process.stderr.write(`${c.model} batch ${c.batchSize}: ${message}\n`);
  const worker = new ComputeWorker({ forcedBackend: rung, batchEventIntervalMs: 0, log });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const data = c.data();
  const line: TrainingBench = {
    bench: 'training',
    model: c.model,
    rung,
    usedRung: null,
    batchSize: c.batchSize,
    rows: data.train.length,
    tokens: c.tokens,
    params: null,
    samplesPerSecond: 0,
    batchesTimed: 0,
    eventLoopDelayP99Ms: 0,
    eventLoopDelayMaxMs: 0,
    eventLoopIdleP99Ms: options.idleP99Ms,
    cpus: cpus().length,
    node: process.versions.node,
    error: null,
  };
  try {
    const handle = await worker.startRun({ runsDir: options.runsDir, config: c.config, data });
    const batches: { t: number; epoch: number; batch: number; last: boolean }[] = [];
    handle.onProgress((e: ProgressEvent) => {
      if (e.kind === 'status' && e.status === 'running' && !delay.count) delay.enable();
      if (e.kind !== 'batch') return;
      batches.push({ t: performance.now(), epoch: e.epoch, batch: e.batch, last: e.batch === e.batchesPerEpoch });
      // The first batch is the warm-up (kernels compile, buffers grow): time from its end.
      if (performance.now() - batches[0].t > options.seconds * 1000) handle.stop();
    });
    const run = await handle.done;
    delay.disable();
    // Batch-to-batch time within epochs only: validation and checkpoints are not training
    // throughput. Counted by batch number, not by event, in case events ever skip batches; an
    // epoch's last batch may be short, so the interval ending on it is left out.
    let seconds = 0;
    let timed = 0;
    for (let i = 1; i < batches.length; i++) {
      if (batches[i].epoch !== batches[i - 1].epoch || batches[i].last) continue;
      seconds += (batches[i].t - batches[i - 1].t) / 1000;
      timed += batches[i].batch - batches[i - 1].batch;
    }
    return {
      ...line,
      usedRung: run.backend?.selected ?? null,
      params: run.paramCount,
      samplesPerSecond: timed ? Math.round(((timed * c.batchSize) / seconds) * 10) / 10 : 0,
      batchesTimed: timed,
      eventLoopDelayP99Ms: ms(delay.percentile(99)),
      eventLoopDelayMaxMs: ms(delay.max),
      error: run.failure?.message ?? null,
    };
  } catch (error) {
    // A run that could not start (a config the catalog refuses, bad data) is a result too.
    return { ...line, error: error instanceof Error ? error.message : String(error) };
  } finally {
    delay.disable();
    await worker.dispose();
  }
}
