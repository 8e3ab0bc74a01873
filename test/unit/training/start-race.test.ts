import { resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { TrainingProgressEvent } from '../../../main/contract';
import type { RunSummary } from '../../../main/contract/training';
import { createDispatch, type Dispatch } from '../../../main/handlers';
import { disposeComputeWorker } from '../../../main/training/shared-worker';
import { makeTempHome } from '../helpers/temp-home';
import { ok } from '../helpers/dispatch-results';

let cleanup: () => Promise<void>;
let dispatch: Dispatch;
let progress: TrainingProgressEvent[];

beforeEach(async () => {
  const temp = await makeTempHome();
  cleanup = temp.cleanup;
  progress = [];
  dispatch = createDispatch({ host: 'electron', home: temp.home, version: '1', emit: (event, payload) => event === 'training:progress' && progress.push(payload as TrainingProgressEvent) });
});
afterEach(async () => {
  await disposeComputeWorker();
  await cleanup();
});
afterAll(() => disposeComputeWorker());

it('a run listed while it is being created is not taken for an abandoned one (autosave racing Start)', async () => {
  const project = await ok<{ id: string }>(dispatch('projects:create', { name: 'Race' }));
  await ok(dispatch('data:import', { projectId: project.id, jobId: 'i', source: { kind: 'path', path: resolve('test/fixtures/training/reviews.csv') } }));
  // Warm the worker up, so the next start is quick and the listings land while it writes run.json.
  await ok(dispatch('training:get', { projectId: project.id }));
  let starting = true;
  // The page lists runs while Start is on its way (an autosave answers with the run list): keep listing.
  const listing = (async () => {
    while (starting) await dispatch('training:runs', { projectId: project.id });
  })();
  const run = await ok<RunSummary>(dispatch('training:start', { projectId: project.id, settings: { epochs: 1 } as never }));
  starting = false;
  await listing;
  for (let waited = 0; !progress.some((p) => p.runId === run.runId && p.event.kind === 'status' && ['completed', 'failed'].includes((p.event as { status: string }).status)); waited += 20) {
    if (waited > 30_000) throw new Error('the run did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
  const statuses = progress.filter((p) => p.runId === run.runId && p.event.kind === 'status').map((p) => (p.event as { status: string }).status);
  expect(statuses).not.toContain('failed');
  expect(statuses.at(-1)).toBe('completed');
});
