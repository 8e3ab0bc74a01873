import { afterEach, describe, expect, it } from 'vitest';
import { DataWorker } from '../../main/data/data-worker';
import { CoreError } from '../../main/core/errors';
import { coreErrorOf, fixture, tempDir } from './data/helpers';

const workers: DataWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.terminate();
});

function worker(): DataWorker {
  const made = new DataWorker({ idleMs: 50 });
  workers.push(made);
  return made;
}

describe('the data worker', () => {
  it('runs an import off the main thread, with progress', async () => {
    const dir = await tempDir('mp-worker-');
    const seen: string[] = [];
    const result = await worker().run({ kind: 'import', projectDir: dir, path: fixture('messy.csv'), options: {} }, { onProgress: (p) => seen.push(p.phase) });
    expect(result.source.rows).toBe(40);
    expect(seen).toContain('import');
  });

  it('brings a core error back as a CoreError with its code and params', async () => {
    const dir = await tempDir('mp-worker-');
    const error = await coreErrorOf(() => worker().run({ kind: 'import', projectDir: dir, path: fixture('binary.csv'), options: {} }));
    expect(error).toBeInstanceOf(CoreError);
    expect(error.code).toBe('data_binary');
    expect(error.params).toMatchObject({ file: 'binary.csv' });
  });

  it('cancels through the signal, and fails jobs with `internal` when the thread goes away', async () => {
    const dir = await tempDir('mp-worker-');
    const w = worker();
    const controller = new AbortController();
    controller.abort();
    expect((await coreErrorOf(() => w.run({ kind: 'import', projectDir: dir, path: fixture('messy.csv'), options: {} }, { signal: controller.signal }))).code).toBe('cancelled');
    const running = w.run({ kind: 'import', projectDir: dir, path: fixture('messy.csv'), options: {} });
    await w.terminate();
    expect((await coreErrorOf(() => running)).code).toBe('internal');
    // The next job starts a fresh thread.
    expect((await w.run({ kind: 'import', projectDir: dir, path: fixture('messy.csv'), options: {} })).source.rows).toBe(40);
  });
});
