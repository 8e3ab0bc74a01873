import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How to start a worker_threads entry: `new Worker(entry.url, { workerData: entry.workerData })`. */
export interface WorkerEntry {
  url: URL;
  /** Set when the entry runs from sources: the bootstrap imports `entry`. */
  workerData?: { entry: string };
}

/**
 * Finds the worker `<name>.worker.*` that sits next to the module at `base` (pass
 * `import.meta.url`). In the built app electron-vite emits every `main/**\/*.worker.ts` as
 * `out/main/<name>.worker.js`, next to the bundle that asks, so that file is used. From sources
 * (the web host, the CLI, tests under tsx or vitest) there is only `<name>.worker.ts`: it starts
 * through tsx-worker-bootstrap.mjs, which registers tsx inside the worker thread first (Node 20
 * ignores `--import tsx` in a Worker's execArgv, nodejs/node#47747).
 */
export function resolveWorkerEntry(name: string, base: string | URL): WorkerEntry {
  const built = new URL(`./${name}.worker.js`, base);
  if (existsSync(fileURLToPath(built))) return { url: built };
  const source = new URL(`./${name}.worker.ts`, base);
  return { url: new URL('./tsx-worker-bootstrap.mjs', import.meta.url), workerData: { entry: source.href } };
}
