import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendLadder } from '../../../main/core/backends/select-backend';
import { probeFit } from '../../../main/core/training/probe';

const noNative = { env: {} as NodeJS.ProcessEnv };
const reasons = (report: Awaited<ReturnType<BackendLadder['select']>>) => Object.fromEntries(report.rungs.map((r) => [r.id, r.reason]));

describe('backend ladder in the compute worker', () => {
  it('uses the highest rung whose probe fit passes and says why the others are not used', async () => {
    const ladder = new BackendLadder(noNative);
    const report = await ladder.select('text-cnn', () =>
      probeFit({
        modelId: 'text-cnn',
        input: { kind: 'sequence', vocabularySize: 100, sequenceLength: 20 },
        outputKind: 'binary',
        classes: 2,
        hyperparameters: { vocabularySize: 100, sequenceLength: 0, embeddingDim: 8, filters: 4, kernelSize: 3 },
        optimizer: 'adam',
      }),
    );
    expect(report.selected).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // The native packages cannot install here (no libtensorflow download): see STACK-NOTES.
    expect(reasons(report)).toMatchObject({ wasm: 'available', cpu: 'not_needed' });
    expect(['not_installed', 'missing_files', 'load_failed', 'no_cuda']).toContain(reasons(report)['tfjs-node']);
    expect(report.rungs.find((r) => r.id === 'wasm')!.detail).toMatch(/probe fit of text-cnn passed/);
  });

  it('probes multi-class and regression outputs too', async () => {
    const ladder = new BackendLadder(noNative);
    for (const [key, outputKind, classes] of [['mlp-3', 'multiclass', 3], ['mlp-reg', 'regression', 1]] as const) {
      const report = await ladder.select(key, () =>
        probeFit({ modelId: 'tabular-mlp', input: { kind: 'features', width: 5 }, outputKind, classes, hyperparameters: { hiddenLayers: 2, units: 16 }, optimizer: 'sgd' }),
      );
      expect(report.selected).toBe('wasm');
    }
  });

  it('falls through to cpu when the probe fails on wasm, with the failure as the reason', async () => {
    const ladder = new BackendLadder(noNative);
    const report = await ladder.select('fragile', async () => {
      if (tf.getBackend() === 'wasm') throw new Error('kernel X missing');
    });
    expect(report.selected).toBe('cpu');
    expect(report.rungs.find((r) => r.id === 'wasm')).toMatchObject({ used: false, reason: 'probe_failed', detail: 'kernel X missing' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('honours a forced rung and reports the others as forced off', async () => {
    const ladder = new BackendLadder({ ...noNative, forced: 'cpu' });
    const report = await ladder.select('any', async () => {});
    expect(report).toMatchObject({ selected: 'cpu', forced: 'cpu' });
    expect(reasons(report).wasm).toBe('forced_off');
    const fromEnv = new BackendLadder({ env: { MODELPILOT_BACKEND: 'cpu' } });
    expect((await fromEnv.select('any', async () => {})).selected).toBe('cpu');
  });

  it('fails with every rung’s reason when nothing can train the model', async () => {
    const ladder = new BackendLadder(noNative);
    await expect(
      ladder.select('broken', async () => {
        throw new Error('always');
      }),
    ).rejects.toThrow(/no compute backend can train broken.*wasm: always/);
    await tf.setBackend('wasm');
  });
});
