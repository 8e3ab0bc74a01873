import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface WebHostProcess {
  url: string;
  stop(): Promise<void>;
  /** Kills the host at once (SIGKILL), as a crash or a killed app would: nothing is cleaned up. */
  kill(): Promise<void>;
}

/**
 * Starts `main/host/serve.ts` exactly as `npm run serve` does (minus the build), on a free port,
 * with its own projects folder, and waits for the JSON line that carries its URL.
 */
export async function startWebHostProcess(home: string): Promise<WebHostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/host/serve.ts', '--port', '0', '--json'], {
    env: { ...process.env, MODELPILOT_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${stderr}`)));
  });
  return { url, stop: () => stopProcess(child), kill: () => stopProcess(child, 'SIGKILL') };
}

/** A host that does not finish its orderly shutdown in this time is killed, so teardown never hangs a test. */
const GRACEFUL_STOP_MS = 15_000;

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), GRACEFUL_STOP_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
