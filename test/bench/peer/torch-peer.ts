/**
 * Runs peer/torch_peer.py: the same architecture in PyTorch, timed at each thread count. One
 * Python process per measurement, so a crash costs one point and every point starts from the
 * same state (importing torch takes about a second).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Architecture } from '../training-cases';

/**
 * Debian's interpreter: apt installs python3-torch for it. The `python3` first on PATH may be
 * another one (pyenv, a venv) without torch.
 */
export const PEER_PYTHON = '/usr/bin/python3';
export const PEER_INSTALL = 'apt-get install python3-torch libopenblas0-pthread';
/** 1 and 2 threads: the fair peer is PyTorch at its best thread count on this 2-core class of machine. */
export const PEER_THREADS = [1, 2];

const SCRIPT = fileURLToPath(new URL('./torch_peer.py', import.meta.url));

export interface PeerEnvironment {
  python: string;
  torch: string;
  /** The BLAS really loaded: openblas-pthread, reference, mkl… (torch's own BLAS_INFO says "generic" on Debian). */
  blas: string;
  blasLibrary: string | null;
  blasInfo: string | null;
  openblasConfig: string | null;
  cpus: number;
}

export type PeerProbe = ({ ok: true } & PeerEnvironment) | { ok: false; error: string };

export interface PeerMeasurement extends PeerEnvironment {
  model: string;
  batchSize: number;
  params: number;
  /** At the best thread count. */
  samplesPerSecond: number;
  threads: number;
  byThreads: Record<string, number>;
}

/** Whether the peer can run here, and with which torch and BLAS. */
export async function probePeer(): Promise<PeerProbe> {
  try {
    return parseLine(await runScript(['--probe'], 60_000)) as PeerProbe;
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Trains `architecture` in PyTorch for `seconds` (timed, after a warm-up) at each thread count. */
export async function measurePeer(architecture: Architecture, seconds: number): Promise<PeerMeasurement> {
  const args = ['--spec', JSON.stringify(architecture), '--seconds', String(seconds), '--threads', PEER_THREADS.join(',')];
  // Generous: warm-ups, the import, and a slow step on a busy machine; it only guards a hang.
  const timeoutMs = (PEER_THREADS.length * (seconds + 5) + 60) * 1000;
  const result = parseLine(await runScript(args, timeoutMs));
  if (!result.ok) throw new Error(String(result.error));
  return result as unknown as PeerMeasurement;
}

function runScript(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PEER_PYTHON, [SCRIPT, ...args], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      // A failed import still prints its {"ok": false} line (exit 3): that line is the reason.
      if (stdout.trim()) return resolve(stdout);
      if (error) {
        const detail = stderr.trim().split('\n').slice(-3).join(' | ');
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${PEER_PYTHON} not found` : error.message.split('\n')[0];
        return reject(new Error(detail ? `${why}: ${detail}` : why));
      }
      reject(new Error(`${PEER_PYTHON} ${SCRIPT} printed nothing`));
    });
  });
}

function parseLine(stdout: string): { ok: boolean } & Record<string, unknown> {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as { ok: boolean } & Record<string, unknown>;
  } catch {
    throw new Error(`unexpected peer output: ${last.slice(0, 200)}`);
  }
}
