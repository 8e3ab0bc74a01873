import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sourcePath } from '../../../main/core/data/dataset';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { TrainingControl } from '../../../main/core/training/control';
import { readDataSnapshot } from '../../../main/core/training/project-data';
import type { ProgressEvent } from '../../../main/contract/training';
import { createRun, readMetrics, readRun } from '../../../main/core/training/run-store';
import { runTraining } from '../../../main/core/training/trainer';
import { csvOf, projectOf } from './stream-fixtures';

const exists = (path: string) => stat(path).then(() => true, () => false);
const config = { modelId: 'tabular-linear' as const, task: 'tabular-classification' as const, epochs: 2, batchSize: 16 };

beforeAll(() => switchBackend('wasm'));

describe('runTraining on a project’s data (streamed, not handed over as rows)', () => {
  it('trains from the run’s cache, writes data.json, removes the cache at the end, and resumes only on the same data', async () => {
    const ref = await projectOf(csvOf('classes', 300));
    const run = await createRun(join(ref.projectDir, 'runs'), config);
    const done = await runTraining({ runDir: run.dir, data: ref });
    expect(done).toMatchObject({ status: 'completed', epochsCompleted: 2, data: { trainRows: 240, validationRows: expect.any(Number) } });
    expect((await readDataSnapshot(run.dir)).recipe.fittedOn).toEqual({ rows: 240 });
    expect(await exists(join(run.dir, 'cache'))).toBe(false);

    const longer = await runTraining({ runDir: run.dir, data: ref, resume: { epochs: 3 } });
    expect(longer).toMatchObject({ status: 'completed', epochsCompleted: 3, resumeCount: 1 });
    expect(longer.data?.fingerprint).toBe(done.data?.fingerprint);

    const otherSplit = { ...ref, section: { ...ref.section, split: { ...ref.section.split, seed: 7 } } };
    await expect(runTraining({ runDir: run.dir, data: otherSplit, resume: { epochs: 4 } })).rejects.toMatchObject({ code: 'training_data_mismatch' });
    expect(await exists(join(run.dir, 'cache'))).toBe(false);
    expect((await readRun(run.dir)).status).toBe('completed');
  });

  it('says how far it got reading the data, stage by stage, before the first pass', async () => {
    const ref = await projectOf(csvOf('classes', 300));
    const run = await createRun(join(ref.projectDir, 'runs'), config);
    const events: ProgressEvent[] = [];
    await runTraining({ runDir: run.dir, data: ref }, { emit: (e) => events.push(e) });
    const preparing = events.filter((e) => e.kind === 'preparing');
    const firstStatus = events.findIndex((e) => e.kind === 'status');
    expect(events.findLastIndex((e) => e.kind === 'preparing')).toBeLessThan(firstStatus);
    // Each stage reports at least the end of each of its passes, in order, through the whole file.
    expect([...new Set(preparing.map((e) => e.stage))]).toEqual(['split', 'fit', 'encode']);
    const { size } = await stat(sourcePath(ref.projectDir, ref.section.source!));
    for (const stage of ['split', 'fit', 'encode'] as const) {
      const last = preparing.findLast((e) => e.stage === stage)!;
      expect(last).toMatchObject({ runId: run.runId, bytesRead: size, totalBytes: size, rows: 300 });
    }
    // Not saved: a reopened run's history holds its passes, not how its data was read.
    expect((await readMetrics(run.dir)).some((e) => e.kind === 'preparing')).toBe(false);
  });

  it('a run cancelled while its data is read ends cancelled, with nothing kept', async () => {
    const ref = await projectOf(csvOf('classes', 300));
    const run = await createRun(join(ref.projectDir, 'runs'), config);
    const control = new TrainingControl();
    control.apply('cancel');
    const statuses: string[] = [];
    const done = await runTraining({ runDir: run.dir, data: ref }, { control, emit: (e) => e.kind === 'status' && statuses.push(e.status) });
    expect(done).toMatchObject({ status: 'cancelled', hasModel: false, resumable: false });
    expect(statuses).toEqual(['cancelled']);
    expect(await exists(join(run.dir, 'cache'))).toBe(false);
    expect(await exists(join(run.dir, 'data.json'))).toBe(false);
  });
});
