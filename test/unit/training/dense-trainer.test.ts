/**
 * Table models through the trainer on the dense-stack engine against the tfjs path: same seed,
 * same data, the same loss curve and model; and a stopped engine run resumes exactly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfigInput } from '../../../main/contract/training';
import { switchBackend } from '../../../main/core/backends/tf-setup';
import { TrainingControl } from '../../../main/core/training/control';
import { loadModelFromDir } from '../../../main/core/training/io-handlers';
import { createRun, readMetrics } from '../../../main/core/training/run-store';
import { runTraining } from '../../../main/core/training/trainer';
import { table } from './fixtures';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelpilot-dense-'));
  await switchBackend('wasm');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const config: TrainingConfigInput = {
  modelId: 'tabular-mlp',
  task: 'tabular-classification',
  epochs: 4,
  batchSize: 16,
  learningRate: 0.01,
  classWeights: 'balanced',
  earlyStopping: { enabled: false, patience: 3, restoreBestWeights: false },
  hyperparameters: { units: 12 },
};

async function epochLosses(runDir: string) {
  const metrics = await readMetrics(runDir);
  return metrics.filter((m) => m.kind === 'epoch').map((m) => [m.loss, m.valLoss!, m.metric!, m.valMetric!]);
}

async function weights(runDir: string) {
  const model = await loadModelFromDir(join(runDir, 'model'));
  const values = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return values.flat();
}

describe('table models on the dense-stack engine', () => {
  it.each(['tabular-mlp', 'tabular-linear'] as const)('%s learns what the tfjs path learns', async (modelId) => {
    const data = table(150, 4);
    const settings = { ...config, modelId, hyperparameters: modelId === 'tabular-mlp' ? config.hyperparameters : {} };
    const runs = await Promise.all([createRun(dir, settings), createRun(dir, settings)]);
    const fast = await runTraining({ runDir: runs[0].dir, data });
    const reference = await runTraining({ runDir: runs[1].dir, data }, { denseEngine: false });
    expect(fast.status).toBe('completed');
    expect(reference.status).toBe('completed');
    const [a, b] = [await epochLosses(runs[0].dir), await epochLosses(runs[1].dir)];
    expect(a).toHaveLength(4);
    a.forEach((row, e) => row.forEach((value, i) => expect(value).toBeCloseTo(b[e][i], 4)));
    const [wa, wb] = [await weights(runs[0].dir), await weights(runs[1].dir)];
    wa.forEach((w, i) => expect(w).toBeCloseTo(wb[i], 3));
  });

  it('a stopped engine run resumes to the same model as an uninterrupted one', async () => {
    const data = table(150, 6);
    const whole = await createRun(dir, config);
    await runTraining({ runDir: whole.dir, data });
    const parted = await createRun(dir, config);
    const control = new TrainingControl();
    // Stop at the end of the second epoch: the epoch event is emitted once its checkpoint is on disk.
    await runTraining({ runDir: parted.dir, data }, { control, emit: (e) => void (e.kind === 'epoch' && e.epoch === 2 && control.apply('stop')) });
    const resumed = await runTraining({ runDir: parted.dir, data, resume: {} });
    expect(resumed.status).toBe('completed');
    expect((await epochLosses(parted.dir)).length).toBe(4);
    const [wa, wb] = [await weights(whole.dir), await weights(parted.dir)];
    wa.forEach((w, i) => expect(w).toBeCloseTo(wb[i], 4));
  });
});
