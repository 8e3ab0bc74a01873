/**
 * The local prediction API of this process: at most one server at a time (starting another
 * stops the first), answering through the compute worker. Every change (start, stop, requests
 * answered, at most a few times a second) is told to the listeners, so every window shows it.
 */
import type { ModelRef, ServingView } from '../contract/deployment-channels';
import type { ModelSource } from '../contract/export';
import { stoppedStatus } from '../core/serving/server';
import { startServing, type ModelBackend, type ServingHandle } from '../core/serving/service';

interface Serving {
  handle: ServingHandle;
  projectId: string;
  ref: ModelRef;
}

let current: Serving | null = null;
const listeners = new Set<(view: ServingView) => void>();
let notifyTimer: ReturnType<typeof setTimeout> | null = null;
/** Request counts are pushed at most this often. */
const NOTIFY_MS = 300;

/** The API as the page shows it. */
export function servingView(): ServingView {
  if (!current) return { status: stoppedStatus(), projectId: null, ref: null, model: null, snippets: null };
  return { status: current.handle.status(), projectId: current.projectId, ref: current.ref, model: current.handle.model, snippets: current.handle.snippets };
}

/** Called with the view after every change; returns the unsubscribe function. */
export function onServingChange(listener: (view: ServingView) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  if (notifyTimer) clearTimeout(notifyTimer);
  notifyTimer = null;
  const view = servingView();
  for (const listener of listeners) listener(view);
}

/** Serves `source` on `port` (a running API is stopped first); `serving_port_in_use` when taken. */
export async function startServingModel(backend: ModelBackend, options: { projectId: string; ref: ModelRef; source: ModelSource; port: number }): Promise<ServingView> {
  await stopServingModel();
  const handle = await startServing(backend, { source: options.source, port: options.port }, () => {
    notifyTimer ??= setTimeout(notify, NOTIFY_MS);
  });
  current = { handle, projectId: options.projectId, ref: options.ref };
  notify();
  return servingView();
}

/** Stops the API if it runs (also when the host closes). */
export async function stopServingModel(): Promise<ServingView> {
  const was = current;
  current = null;
  if (was) {
    await was.handle.stop();
    notify();
  }
  return servingView();
}
