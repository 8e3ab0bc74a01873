/**
 * Training throughput bench: for every available backend rung, trains through the real engine
 * (ComputeWorker → compute worker → fitDataset) and prints one JSON line per model with samples
 * per second, plus the main thread's event-loop delay (p99) measured while the worker trains.
 *   - text-lstm: Embedding(10000, 32) → LSTM(64) → Dense(1), batch 32, 200 tokens, 2,000 rows
 *   - text-cnn: Embedding(10000, 64) → Conv1D(64, 5) → max pool → Dense(1), same data
 *   - tabular-mlp: 20 numbers → 64 → 64 → 3 classes, batch 32 and batch 256, 20,000 rows
 * Each rung runs in its own Node process (native TensorFlow loads once per process).
 * Run: npx tsx test/bench/training.bench.ts [--seconds=N] [--rung=wasm] [--model=text-lstm]
 * or:  npm run bench -- training [--seconds=N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Row } from '../../main/contract/data';
import type { BackendId } from '../../main/contract/schemas';
import type { ProgressEvent, TrainingConfigInput } from '../../main/contract/training';
import { probeLadder } from '../../main/core/backends/ladder';
import { createRng } from '../../main/core/data/prng';
import type { TrainingData } from '../../main/core/training/training-data';
import { ComputeWorker } from '../../main/training/compute-worker';

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

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const SECONDS = Number(flag('seconds') ?? 20);

interface Case {
  model: string;
  config: TrainingConfigInput;
  data: () => TrainingData;
  tokens: number | null;
}

/** 2,000 texts of 200+ words drawn from 12,000 distinct words, so the vocabulary fills to 10,000. */
function syntheticTexts(rows: number): TrainingData {
  const rng = createRng(7);
  const train: Row[] = Array.from({ length: rows }, (_, i) => ({
    text: Array.from({ length: 200 + Math.floor(rng() * 40) }, () => `w${Math.floor(rng() * 12_000)}`).join(' ') + (i % 2 ? ' good' : ' bad'),
    label: i % 2 ? 'pos' : 'neg',
  }));
  return { inputs: [{ name: 'text', role: 'text' }], label: 'label', train, validation: train.slice(0, 64) };
}

/** 20 numeric columns, 3 classes. */
function syntheticTable(rows: number): TrainingData {
  const rng = createRng(8);
  const names = Array.from({ length: 20 }, (_, i) => `x${i}`);
  const train: Row[] = Array.from({ length: rows }, () => {
    const row: Row = {};
    let s = 0;
    for (const n of names) s += (row[n] = rng() * 2 - 1);
    row.label = s > 1 ? 'a' : s < -1 ? 'b' : 'c';
    return row;
  });
  return { inputs: names.map((name) => ({ name, role: 'numeric' as const })), label: 'label', train, validation: train.slice(0, 256) };
}

const text = syntheticTexts(2000);
const tableData = syntheticTable(20_000);
const cases: Case[] = [
  {
    model: 'text-lstm',
    tokens: 200,
    data: () => text,
    config: { modelId: 'text-lstm', task: 'text-classification', epochs: 1, batchSize: 32, hyperparameters: { vocabularySize: 10_000, sequenceLength: 200, embeddingDim: 32, units: 64 } },
  },
  {
    model: 'text-cnn',
    tokens: 200,
    data: () => text,
    config: { modelId: 'text-cnn', task: 'text-classification', epochs: 1, batchSize: 32, hyperparameters: { vocabularySize: 10_000, sequenceLength: 200, embeddingDim: 64, filters: 64, kernelSize: 5 } },
  },
  {
    model: 'tabular-mlp',
    tokens: null,
    data: () => tableData,
    config: { modelId: 'tabular-mlp', task: 'tabular-classification', epochs: 3, batchSize: 32, hyperparameters: { hiddenLayers: 2, units: 64 } },
  },
  {
    model: 'tabular-mlp',
    tokens: null,
    data: () => tableData,
    config: { modelId: 'tabular-mlp', task: 'tabular-classification', epochs: 10, batchSize: 256, hyperparameters: { hiddenLayers: 2, units: 64 } },
  },
];

/** Trains one case on one rung for about SECONDS (then stops it) and measures. */
async function measure(rung: BackendId, c: Case, runsDir: string, idleP99Ms: number): Promise<TrainingBench> {
  const worker = new ComputeWorker({ forcedBackend: rung, batchEventIntervalMs: 0 });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  try {
    const data = c.data();
    const handle = await worker.startRun({ runsDir, config: c.config, data });
    const batches: { t: number; epoch: number; batch: number; size: number }[] = [];
    let params: number | null = null;
    handle.onProgress((e: ProgressEvent) => {
      if (e.kind === 'status' && e.status === 'running' && !delay.count) delay.enable();
      if (e.kind !== 'batch') return;
      batches.push({ t: performance.now(), epoch: e.epoch, batch: e.batch, size: c.config.batchSize! });
      // Skip the warm-up batch, then time about SECONDS of steady training.
      if (performance.now() - batches[0].t > SECONDS * 1000) handle.stop();
    });
    const run = await handle.done;
    delay.disable();
    params = run.paramCount;
    // Batch-to-batch time within epochs only: validation and checkpoints are not training throughput.
    let seconds = 0;
    let timed = 0;
    for (let i = 1; i < batches.length; i++) {
      if (batches[i].epoch !== batches[i - 1].epoch) continue;
      seconds += (batches[i].t - batches[i - 1].t) / 1000;
      timed++;
    }
    return {
      bench: 'training',
      model: c.model,
      rung,
      usedRung: run.backend?.selected ?? null,
      batchSize: c.config.batchSize!,
      rows: data.train.length,
      tokens: c.tokens,
      params,
      samplesPerSecond: timed ? Math.round(((timed * c.config.batchSize!) / seconds) * 10) / 10 : 0,
      batchesTimed: timed,
      eventLoopDelayP99Ms: Math.round((delay.percentile(99) / 1e6) * 100) / 100,
      eventLoopDelayMaxMs: Math.round((delay.max / 1e6) * 100) / 100,
      eventLoopIdleP99Ms: idleP99Ms,
      cpus: cpus().length,
      node: process.versions.node,
      error: run.failure?.message ?? null,
    };
  } finally {
    await worker.dispose();
  }
}

async function child(rung: BackendId): Promise<void> {
  const runsDir = await mkdtemp(join(tmpdir(), 'modelpilot-bench-'));
  const only = flag('model');
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  idle.disable();
  const idleP99Ms = Math.round((idle.percentile(99) / 1e6) * 100) / 100;
  try {
    for (const c of cases.filter((x) => !only || x.model === only)) {
      process.stdout.write(JSON.stringify(await measure(rung, c, runsDir, idleP99Ms)) + '\n');
    }
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
}

const rung = flag('rung') as BackendId | undefined;
if (rung) {
  await child(rung);
} else {
  const available = probeLadder({ ...process.env, MODELPILOT_BACKEND: '' }).rungs.filter((r) => r.available);
  let failed = 0;
  for (const r of available) {
    const passThrough = process.argv.slice(2).filter((a) => !a.startsWith('--rung='));
    const result = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--rung=${r.id}`, ...passThrough], { stdio: 'inherit' });
    if (result.status !== 0) failed++;
  }
  process.exitCode = failed ? 1 : 0;
}
