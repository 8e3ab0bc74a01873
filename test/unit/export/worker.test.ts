/**
 * Predictions through the app's compute worker: the same answers as in this thread, models kept
 * between jobs, a fresh load for the parity check, and a bad file's CoreError crossing intact.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { exportRun } from '../../../main/core/export/export-bundle';
import { checkParity } from '../../../main/core/export/parity';
import { CoreError } from '../../../main/core/errors';
import { loadRunModel, predictLoaded } from '../../../main/core/inference/predictor';
import { ComputeWorker } from '../../../main/training/compute-worker';
import { trainFixture, type TrainedFixture } from './helpers';

let dir: string;
let fixture: TrainedFixture;
let file: string;
let worker: ComputeWorker;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-export-worker-'));
  await switchBackend('wasm');
  fixture = await trainFixture(dir, 'tabular-binary');
  file = join(dir, 'churn.mpmodel');
  await exportRun({ runDir: fixture.runDir, outPath: file });
  worker = new ComputeWorker({ forcedBackend: 'wasm' });
}, 120_000);

afterAll(async () => {
  await worker?.terminate();
  await rm(dir, { recursive: true, force: true });
});

describe('compute worker predictions', () => {
  it('describes and scores an exported file as this thread does', async () => {
    const info = await worker.describeModel({ kind: 'bundle', path: file });
    expect(info).toMatchObject({ task: 'tabular-classification', outputKind: 'binary', labels: ['churn', 'stay'], input: { kind: 'tabular' } });
    const response = await worker.predict({ source: { kind: 'bundle', path: file }, rows: fixture.rawTest });
    const loaded = await loadRunModel(tf, fixture.runDir);
    const here = await predictLoaded(tf, loaded, fixture.rawTest);
    loaded.model.dispose();
    expect(response.predictions).toEqual(here.predictions);
    expect(worker.lastBackend?.selected).toBe('wasm');
  });

  it('checks parity with fresh loads of the run and the file', async () => {
    const result = await checkParity((request) => worker.predict(request), { runDir: fixture.runDir, bundlePath: file, rows: fixture.rawTest });
    expect(result).toMatchObject({ identical: true, labelDisagreements: 0, maxAbsDiff: 0 });
  });

  it('rejects a bad file and a run without a model with their codes', async () => {
    const bad = join(dir, 'bad.mpmodel');
    await writeFile(bad, 'not a zip');
    const error = await worker.predict({ source: { kind: 'bundle', path: bad }, rows: [{}] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('bundle_corrupt');
    const missing = await worker.describeModel({ kind: 'run', runDir: join(dir, 'nope') }).catch((e: unknown) => e);
    expect((missing as CoreError).code).toBe('not_found');
    // The worker is still there for the next job.
    expect((await worker.predict({ source: { kind: 'bundle', path: file }, rows: fixture.rawTest.slice(0, 1) })).predictions).toHaveLength(1);
  });
});
