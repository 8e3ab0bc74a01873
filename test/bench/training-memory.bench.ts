/**
 * Training memory bench: does peak memory grow with the number of rows? For each size (100,000
 * and 1,000,000 rows by default) and each kind of data it writes a CSV project, then trains one
 * epoch through the app's own path (projects:create → data:import → models:choose →
 * training:start over the handler table, the compute worker, fitDataset), each size in a child
 * process of its own, and prints one JSON line per size with the peak resident memory and the
 * main thread's peak heap, then one line with the ratio of the largest size to the smallest.
 *   - table: 20 numeric columns and a 3-class label, tabular-mlp
 *   - text: short reviews (4–12 words) and a 2-class label, text-bow
 * Making the project (CSV + import) runs in a child of its own, so the figures are training's.
 * Run: npx tsx test/bench/training-memory.bench.ts [--rows=100000,1000000] [--kinds=table,text]
 *      [--batch=256] [--max-batches=N]   (N: stop after about N batches of the epoch)
 * or:  npm run bench -- training-memory
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunSummary } from '../../main/contract/training';
import type { TrainingProgressEvent } from '../../main/contract/training-channels';
import { createDispatch, type Dispatch } from '../../main/handlers';
import { disposeComputeWorker } from '../../main/training/shared-worker';

type Kind = 'table' | 'text';

export interface TrainingMemoryBench {
  bench: 'training-memory';
  kind: Kind;
  model: string;
  rows: number;
  csvMB: number;
  trainRows: number | null;
  validationRows: number | null;
  /** Batches in one epoch, and the last batch a (throttled) progress event reported. */
  batchesPerEpoch: number | null;
  lastBatchSeen: number;
  status: string;
  /** Peak resident memory of the whole training process (main thread + compute worker + native). */
  peakRssMB: number;
  /** Resident memory once the modules are loaded, before training starts. */
  baselineRssMB: number;
  /** Sampled peaks while the worker reads and encodes the data (until the run is running), and after. */
  peakRssPreparingMB: number;
  peakRssTrainingMB: number;
  /** Peak V8 heap of the main thread, sampled every 25 ms (the compute worker's heap is inside peakRssMB). */
  peakMainHeapMB: number;
  /** Peak of array buffers outside the heap (typed arrays, tensors' backing stores), whole process. */
  peakArrayBuffersMB: number;
  seconds: number;
  error: string | null;
}

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (flag('rows') ?? '100000,1000000').split(',').map(Number);
const KINDS = (flag('kinds') ?? 'table,text').split(',') as Kind[];
const BATCH = Number(flag('batch') ?? 256);
const MAX_BATCHES = flag('max-batches') ? Number(flag('max-batches')) : null;
const MODEL: Record<Kind, string> = { table: 'tabular-mlp', text: 'text-bow' };
const MB = 1024 * 1024;
const round = (x: number) => Math.round(x * 10) / 10;

const WORDS = ['the', 'product', 'delivery', 'box', 'price', 'screen', 'battery', 'it', 'was', 'really', 'very', 'and', '这个', '产品', '快递'];
const POSITIVE = ['good', 'great', 'love', 'excellent', '好用'];
const NEGATIVE = ['bad', 'awful', 'hate', 'broken', '失望'];

/** Streams a CSV of `rows` rows, respecting back-pressure so the writer's memory stays flat. */
async function writeCsv(path: string, kind: Kind, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  const columns = Array.from({ length: 20 }, (_, i) => `x${i}`);
  let chunk = kind === 'table' ? `${columns.join(',')},label\n` : 'review,label\n';
  for (let i = 0; i < rows; i++) {
    if (kind === 'table') {
      let sum = 0;
      const cells = columns.map(() => {
        const v = rand() * 2 - 1;
        sum += v;
        return v.toFixed(4);
      });
      chunk += `${cells.join(',')},${sum > 1 ? 'a' : sum < -1 ? 'b' : 'c'}\n`;
    } else {
      const positive = rand() < 0.5;
      const words = Array.from({ length: 4 + Math.floor(rand() * 8) }, () => WORDS[Math.floor(rand() * WORDS.length)]);
      const pool = positive ? POSITIVE : NEGATIVE;
      words.splice(Math.floor(rand() * words.length), 0, pool[Math.floor(rand() * pool.length)]);
      chunk += `${words.join(' ')},${positive ? 'pos' : 'neg'}\n`;
    }
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function ok<T>(result: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(JSON.stringify(settled.error));
  return settled.value as T;
}

function dispatchFor(home: string, onProgress: (event: TrainingProgressEvent) => void = () => {}): Dispatch {
  return createDispatch({
    host: 'electron',
    home,
    version: 'bench',
    emit: (event, payload) => {
      if (event === 'training:progress') onProgress(payload as TrainingProgressEvent);
    },
  });
}

/** Child 1: the CSV and the project (import, label found by its name), then the model choice. */
async function make(home: string, kind: Kind, rows: number): Promise<void> {
  const csv = join(home, `${kind}-${rows}.csv`);
  await writeCsv(csv, kind, rows);
  const dispatch = dispatchFor(home);
  const project = await ok<{ id: string }>(dispatch('projects:create', { name: `${kind} ${rows}` }));
  await ok(dispatch('data:import', { projectId: project.id, jobId: 'bench-import', source: { kind: 'path', path: csv } }));
  await ok(dispatch('models:choose', { projectId: project.id, modelId: MODEL[kind], hyperparameters: {} }));
  await writeFile(join(home, 'made.json'), JSON.stringify({ projectId: project.id, csvMB: (await stat(csv)).size / MB }));
}

/** Child 2: trains one epoch through training:start and reports the process's peak memory. */
async function train(home: string, kind: Kind, rows: number): Promise<TrainingMemoryBench> {
  const { projectId, csvMB } = JSON.parse(await readFile(join(home, 'made.json'), 'utf8')) as { projectId: string; csvMB: number };
  let batches = 0;
  let training = false;
  const peakRss = { preparing: 0, training: 0 };
  let batchesPerEpoch: number | null = null;
  let settle: (status: string) => void = () => {};
  const finished = new Promise<string>((resolve) => (settle = resolve));
  let runId = '';
  let stopping = false;
  const dispatch = dispatchFor(home, ({ runId: id, event }) => {
    if (id !== runId) return;
    if (event.kind === 'batch') {
      batches = Math.max(batches, event.batch);
      batchesPerEpoch = event.batchesPerEpoch;
      if (MAX_BATCHES !== null && batches >= MAX_BATCHES && !stopping) {
        stopping = true;
        void dispatch('training:stop', { projectId, runId });
      }
    }
    if (event.kind === 'status' && event.status === 'running') training = true;
    if (event.kind === 'status' && !['queued', 'running', 'paused'].includes(event.status)) settle(event.status);
  });
  const view = await ok<{ settings: Record<string, unknown> }>(dispatch('training:get', { projectId }));
  const settings = { ...view.settings, epochs: 1, batchSize: BATCH };
  global.gc?.();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakBuffers = baseline.arrayBuffers;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    const phase = training ? 'training' : 'preparing';
    peakRss[phase] = Math.max(peakRss[phase], m.rss);
  }, 25);
  const t0 = performance.now();
  let run: RunSummary | null = null;
  let status = 'failed';
  let error: string | null;
  try {
    run = await ok<RunSummary>(dispatch('training:start', { projectId, settings }));
    runId = run.runId;
    status = await finished;
    const runs = await ok<RunSummary[]>(dispatch('training:runs', { projectId }));
    run = runs.find((r) => r.runId === runId) ?? run;
    error = run.failure?.message ?? null;
  } catch (e) {
    error = (e as Error).message;
  } finally {
    clearInterval(sampler);
    await disposeComputeWorker();
  }
  return {
    bench: 'training-memory',
    kind,
    model: MODEL[kind],
    rows,
    csvMB: round(csvMB),
    trainRows: run?.data?.trainRows ?? null,
    validationRows: run?.data?.validationRows ?? null,
    batchesPerEpoch,
    lastBatchSeen: batches,
    status,
    peakRssMB: round((process.resourceUsage().maxRSS * 1024) / MB),
    baselineRssMB: round(baseline.rss / MB),
    peakRssPreparingMB: round(peakRss.preparing / MB),
    peakRssTrainingMB: round(peakRss.training / MB),
    peakMainHeapMB: round(peakHeap / MB),
    peakArrayBuffersMB: round(peakBuffers / MB),
    seconds: round((performance.now() - t0) / 1000),
    error,
  };
}

function spawnChild(args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  return { status: result.status, stdout: result.stdout ?? '' };
}

const role = flag('child');
if (role) {
  const home = flag('home')!;
  const kind = flag('kind') as Kind;
  const rows = Number(flag('size'));
  if (role === 'make') await make(home, kind, rows);
  else process.stdout.write(JSON.stringify(await train(home, kind, rows)) + '\n');
  process.exit(0);
} else {
  let failed = 0;
  for (const kind of KINDS) {
    const results: TrainingMemoryBench[] = [];
    for (const rows of SIZES) {
      const home = await mkdtemp(join(tmpdir(), 'modelpilot-bench-memory-'));
      try {
        const common = [`--home=${home}`, `--kind=${kind}`, `--size=${rows}`];
        if (spawnChild(['--child=make', ...common]).status !== 0) throw new Error(`making the ${rows}-row ${kind} project failed`);
        const trained = spawnChild(['--child=train', ...common, ...process.argv.slice(2).filter((a) => !a.startsWith('--rows=') && !a.startsWith('--kinds='))]);
        const line = trained.stdout.trim().split('\n').at(-1) ?? '';
        if (trained.status !== 0 || !line.startsWith('{')) throw new Error(`training the ${rows}-row ${kind} project failed`);
        const result = JSON.parse(line) as TrainingMemoryBench;
        if (result.error) failed++;
        results.push(result);
        process.stdout.write(line + '\n');
      } catch (error) {
        failed++;
        process.stderr.write(`error: ${(error as Error).message}\n`);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    }
    if (results.length >= 2) {
      const [small, large] = [results[0], results.at(-1)!];
      const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
      process.stdout.write(
        JSON.stringify({
          bench: 'training-memory-ratio',
          kind,
          rows: [small.rows, large.rows],
          peakRssRatio: ratio(large.peakRssMB, small.peakRssMB),
          peakRssAboveBaselineRatio: ratio(large.peakRssMB - large.baselineRssMB, Math.max(1, small.peakRssMB - small.baselineRssMB)),
          peakMainHeapRatio: ratio(large.peakMainHeapMB, small.peakMainHeapMB),
        }) + '\n',
      );
    }
  }
  process.exitCode = failed ? 1 : 0;
}
