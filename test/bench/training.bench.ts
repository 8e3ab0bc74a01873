/**
 * Training throughput bench: for every available backend rung, trains each catalog model with its
 * catalog defaults through the real engine (ComputeWorker → compute worker → fitDataset) and
 * prints one JSON line per case with samples per second, plus the main thread's event-loop delay
 * (p99) measured while the worker trains (cases: training-cases.ts):
 *   - text models (text-lstm, text-bow, text-cnn, text-bigru): 2,000 texts, 200 tokens,
 *     vocabulary 10,000, batch 32
 *   - table models (tabular-mlp, tabular-linear): 20 numeric columns, 3 classes, 20,000 rows,
 *     batch 32 and batch 256
 * Each rung runs in its own Node process (native TensorFlow loads once per process).
 *
 * --peer: on the wasm rung, each case is followed by the same model in PyTorch (peer/), and a
 * scaling table over batch size and sequence length follows; see peer/peer-bench.ts. Seconds
 * default to 4 then, so the whole run stays near ten minutes on two cores.
 *
 * Run: npx tsx test/bench/training.bench.ts [--seconds=N] [--rung=wasm] [--model=text-lstm] [--peer]
 * or:  npm run bench -- training [--seconds=N] [--peer]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendId } from '../../main/contract/schemas';
import { probeLadder } from '../../main/core/backends/ladder';
import { PEER_RUNG, runPeerBench } from './peer/peer-bench';
import { standardCases } from './training-cases';
import { idleEventLoopP99Ms, measureTraining } from './training-measure';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const PEER = process.argv.includes('--peer');
const SECONDS = Number(flag('seconds') ?? (PEER ? 4 : 20));

async function child(rung: BackendId): Promise<boolean> {
  const runsDir = await mkdtemp(join(tmpdir(), 'modelpilot-bench-'));
  const only = flag('model');
  const cases = standardCases().filter((c) => !only || c.model === only);
  const options = { runsDir, seconds: SECONDS, idleP99Ms: await idleEventLoopP99Ms(), only };
  try {
    if (PEER && rung === PEER_RUNG) return await runPeerBench(cases, options);
    for (const c of cases) process.stdout.write(JSON.stringify(await measureTraining(rung, c, options)) + '\n');
    return true;
  } finally {
    await rm(runsDir, { recursive: true, force: true });
  }
}

const rung = flag('rung') as BackendId | undefined;
if (rung) {
  process.exitCode = (await child(rung)) ? 0 : 1;
} else {
  const available = probeLadder({ ...process.env, MODELPILOT_BACKEND: '' }).rungs.filter((r) => r.available);
  // --peer compares on the wasm rung only; without it there is nothing to compare.
  const peerRungMissing = PEER && !available.some((r) => r.id === PEER_RUNG);
  if (peerRungMissing) {
    process.stdout.write(JSON.stringify({ bench: 'peer', skipped: true, reason: `the ${PEER_RUNG} rung is not available here` }) + '\n');
    process.stderr.write(`\n*** PyTorch peer SKIPPED: the ${PEER_RUNG} rung is not available here\n\n`);
  }
  let failed = peerRungMissing ? 1 : 0;
  for (const r of available) {
    const passThrough = process.argv.slice(2).filter((a) => !a.startsWith('--rung='));
    const result = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--rung=${r.id}`, ...passThrough], { stdio: 'inherit' });
    if (result.status !== 0) failed++;
    // A killed child prints nothing itself: say so, or its missing lines go unexplained.
    if (result.signal || result.error) process.stderr.write(`rung ${r.id}: ended by ${result.signal ?? result.error?.message}\n`);
  }
  process.exitCode = failed ? 1 : 0;
}
