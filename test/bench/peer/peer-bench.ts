/**
 * `--peer`: ours against PyTorch on the same machine in the same run. For each point our engine
 * trains first, then the PyTorch peer, one after the other, so both see the same machine state
 * (the machine is shared; minutes apart the figures would not compare). Prints
 *   {"bench":"peer",…}         one line per standard case (every catalog model),
 *   {"bench":"peer-scaling",…} samples/s versus batch size and versus sequence length,
 * and the same as tables on stderr. Runs on the wasm rung: the rung that runs wherever native
 * TensorFlow is absent, and every test here.
 */
import type { BackendId } from '../../../main/contract/schemas';
import { catalogCase, DEFAULT_TOKENS, type BenchCase } from '../training-cases';
import { measureTraining, type TrainingBench } from '../training-measure';
import { formatTable } from './peer-table';
import { measurePeer, PEER_INSTALL, PEER_PYTHON, PEER_THREADS, probePeer, type PeerMeasurement } from './torch-peer';

export const PEER_RUNG: BackendId = 'wasm';
const BATCH_SIZES = [8, 16, 32, 64, 128, 256];
const TOKEN_COUNTS = [50, 100, 200, 400];

export interface PeerOptions {
  runsDir: string;
  /** Timed seconds of steady training per point, for each side. */
  seconds: number;
  idleP99Ms: number;
  /** Only this model (the bench's --model). */
  only?: string;
}

interface Comparison {
  c: BenchCase;
  ours: TrainingBench;
  peer: PeerMeasurement | null;
  peerError: string | null;
}

interface ScalingPoint {
  axis: 'batchSize' | 'tokens';
  c: BenchCase;
}

/**
 * Measures `cases` on the wasm rung, each followed by the peer, then the scaling points. Returns
 * false when the peer could not run (the cases are still measured and printed, as without --peer).
 */
export async function runPeerBench(cases: BenchCase[], options: PeerOptions): Promise<boolean> {
  const probe = await probePeer();
  if (!probe.ok) {
    emit({ bench: 'peer', skipped: true, reason: probe.error, python: PEER_PYTHON, install: PEER_INSTALL });
    process.stderr.write(`\n*** PyTorch peer SKIPPED: ${probe.error}\n*** --peer needs torch for ${PEER_PYTHON}: ${PEER_INSTALL}\n\n`);
    for (const c of cases) emit(await measureTraining(PEER_RUNG, c, options));
    return false;
  }
  const { ok: _ok, ...environment } = probe;
  emit({ bench: 'peer-env', ...environment, threadsTried: PEER_THREADS });
  if (probe.blas === 'reference') {
    process.stderr.write(`warning: PyTorch runs on the reference BLAS here, several times slower than OpenBLAS: not a fair peer (${PEER_INSTALL})\n`);
  }

  const standard: Comparison[] = [];
  for (const c of cases) {
    const result = await compare(c, options);
    emit(result.ours);
    emit(peerLine('peer', result));
    standard.push(result);
  }
  process.stderr.write('\n' + comparisonTable(`ours (${PEER_RUNG}) vs PyTorch ${probe.torch} + ${probe.blas}, samples/s`, standard));

  // Points the standard cases already measured are measured again: a curve taken in one sweep
  // sees one machine state, where reusing a figure from minutes before would put a kink in it.
  const scaling: { axis: ScalingPoint['axis']; result: Comparison }[] = [];
  for (const point of scalingPoints().filter((p) => !options.only || p.c.model === options.only)) {
    const result = await compare(point.c, options);
    emit({ ...peerLine('peer-scaling', result), axis: point.axis });
    scaling.push({ axis: point.axis, result });
  }
  for (const axis of ['batchSize', 'tokens'] as const) {
    const rows = scaling.filter((s) => s.axis === axis).map((s) => s.result);
    if (rows.length) process.stderr.write('\n' + comparisonTable(`scaling with ${axis === 'batchSize' ? 'batch size' : 'sequence length'}, samples/s`, rows));
  }
  return true;
}

/** Batch 8…256 for the LSTM (200 tokens) and the MLP; 50…400 tokens for the LSTM and the CNN at batch 32. */
function scalingPoints(): ScalingPoint[] {
  const points: ScalingPoint[] = [];
  for (const model of ['text-lstm', 'tabular-mlp'] as const) {
    for (const batchSize of BATCH_SIZES) points.push({ axis: 'batchSize', c: catalogCase(model, { batchSize, tokens: DEFAULT_TOKENS }) });
  }
  for (const model of ['text-lstm', 'text-cnn'] as const) {
    for (const tokens of TOKEN_COUNTS) points.push({ axis: 'tokens', c: catalogCase(model, { batchSize: 32, tokens }) });
  }
  return points;
}

/** Ours, then the peer right after. The peer splits its time over its thread counts, so each side trains `seconds`. */
async function compare(c: BenchCase, options: PeerOptions): Promise<Comparison> {
  const ours = await measureTraining(PEER_RUNG, c, options);
  try {
    const peer = await measurePeer(c.architecture, Math.max(1, options.seconds / PEER_THREADS.length));
    return { c, ours, peer, peerError: null };
  } catch (error) {
    process.stderr.write(`PyTorch peer failed on ${pointKey(c)}: ${(error as Error).message}\n`);
    return { c, ours, peer: null, peerError: (error as Error).message };
  }
}

function peerLine(bench: 'peer' | 'peer-scaling', { c, ours, peer, peerError }: Comparison) {
  const ratio = peer && ours.samplesPerSecond > 0 ? Number((ours.samplesPerSecond / peer.samplesPerSecond).toPrecision(3)) : null;
  return {
    bench,
    model: c.model,
    batchSize: c.batchSize,
    tokens: c.tokens,
    ours: ours.samplesPerSecond,
    pytorch: peer?.samplesPerSecond ?? null,
    pytorchThreads: peer?.threads ?? null,
    ratio,
    rung: ours.rung,
    usedRung: ours.usedRung,
    pytorchByThreads: peer?.byThreads ?? null,
    // PyTorch's LSTM and GRU keep two bias vectors where tfjs keeps one: a few hundred more, same work.
    params: { ours: ours.params, pytorch: peer?.params ?? null },
    pytorchBlas: peer?.blas ?? null,
    error: ours.error ?? peerError,
  };
}

function comparisonTable(title: string, results: Comparison[]): string {
  return formatTable(
    title,
    ['model', 'batch', 'tokens', 'ours', 'pytorch', 'threads', 'ours/pytorch'],
    results.map((r) => {
      const line = peerLine('peer', r);
      return [r.c.model, r.c.batchSize, r.c.tokens, r.ours.error ? 'failed' : line.ours, line.pytorch, line.pytorchThreads, line.ratio];
    }),
  );
}

function pointKey(c: BenchCase): string {
  return `${c.model} batch ${c.batchSize}${c.tokens === null ? '' : ` tokens ${c.tokens}`}`;
}

function emit(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}
