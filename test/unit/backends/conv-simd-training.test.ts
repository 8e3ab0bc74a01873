import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWinograd } from '../../../main/core/backends/conv-simd';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { buildModel } from '../../../main/core/models/catalog';
import { compileModel } from '../../../main/core/models/compile';
import { closeKernelThreads, kernelThreads } from '../../../main/core/native/kernel-threads';
import { kernelWorkspace } from '../../../main/core/native/kernel-workspace';
import { onStockCpu, randomSource } from './kernel-check';

/**
 * Training text-cnn and text-bow on our kernels (convolution, pools, lookup, Embedding gradient,
 * fused Adam) follows tfjs's own path: the same seed and batches give the same loss curve and
 * weights, on wasm and on cpu. The reference is the cpu backend with every kernel we register
 * taken out (stock kernels, tfjs's gradients, tfjs's Adam update).
 *
 * With the direct convolution the runs agree to float rounding. Winograd rounds differently
 * (~1e-6 of the outputs' scale instead of ~1e-7), and training amplifies that: Adam moves a weight
 * whose gradient is nearly zero by lr·g/ε (ε = 1e-7), so such weights differ by ~1e-6 after one
 * step; the next forward pass then differs by ~1e-5, enough to move the global max pool's argmax
 * where two time steps are that close, and a filter whose argmax moved gets another gradient. So
 * with Winograd the loss curve stays within ~1e-3 of tfjs's over these steps while single weights
 * drift apart; it is the same computation, rounded differently.
 */

const { int, rng } = randomSource(20250304);
const VOCABULARY = 200;
const TOKENS = 40;
const BATCH = 16;
const STEPS = 8;

/** Fixed batches: token ids (some padding zeros at the end of texts) and 0/1 labels. */
const batches = Array.from({ length: STEPS }, () => ({
  ids: Int32Array.from({ length: BATCH * TOKENS }, (_, i) => (i % TOKENS > TOKENS - 1 - int(0, 6) ? 0 : int(1, VOCABULARY - 1))),
  labels: Float32Array.from({ length: BATCH }, () => (rng() < 0.5 ? 0 : 1)),
}));

interface Run {
  losses: number[];
  weights: Float32Array[];
}

/** Builds the catalog model afresh (seed 11) and trains it on the batches, one trainOnBatch each. */
async function train(modelId: 'text-cnn' | 'text-bow'): Promise<Run> {
  const model = buildModel(modelId, {
    input: { kind: 'sequence', vocabularySize: VOCABULARY, sequenceLength: TOKENS },
    output: { kind: 'binary', classes: 2 },
    hyperparameters: { embeddingDim: 32, ...(modelId === 'text-cnn' ? { filters: 32, kernelSize: 5 } : {}) },
    dropout: 0,
    l1: 0,
    l2: 0,
    seed: 11,
  });
  const optimizer = compileModel(model, 'binary', { optimizer: 'adam', learningRate: 0.01, momentum: 0.9 });
  const losses: number[] = [];
  for (const batch of batches) {
    const [x, y] = [tf.tensor2d(batch.ids, [BATCH, TOKENS], 'int32'), tf.tensor2d(batch.labels, [BATCH, 1])];
    const result = await model.trainOnBatch(x, y);
    losses.push((Array.isArray(result) ? result[0] : result) as number);
    tf.dispose([x, y]);
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  optimizer.dispose();
  return { losses, weights };
}

/** Loss bound, and largest weight difference (null: the weights are not compared). */
interface Bound {
  loss: number;
  weights: number | null;
}
/** Float rounding only. */
const TIGHT: Bound = { loss: 1e-5, weights: 1e-5 };
/** Winograd's rounding amplified by training (see above): the curve stays close, single weights do not. */
const WINOGRAD: Bound = { loss: 3e-3, weights: null };

function expectSameRun(actual: Run, expected: Run, bound: Bound) {
  actual.losses.forEach((loss, i) => expect(Math.abs(loss - expected.losses[i])).toBeLessThan(bound.loss));
  if (bound.weights === null) return;
  let worst = 0;
  actual.weights.forEach((w, i) => {
    for (let k = 0; k < w.length; k++) worst = Math.max(worst, Math.abs(w[k] - expected.weights[i][k]));
  });
  expect(worst).toBeLessThan(bound.weights);
}

beforeAll(async () => {
  prepareBackends();
  await switchBackend('wasm');
});

afterAll(async () => {
  await closeKernelThreads();
  await switchBackend('wasm');
});

describe('training on our kernels follows tfjs', () => {
  for (const modelId of ['text-cnn', 'text-bow'] as const) {
    it(`${modelId}: the same loss curve and weights as the stock path, on wasm and cpu`, async () => {
      const reference = await onStockCpu(() => train(modelId));
      // A learning curve: the loss moves over the steps.
      expect(new Set(reference.losses.map((l) => l.toFixed(4))).size).toBeGreaterThan(1);
      // The default path (direct products): what tfjs learns, to float rounding.
      for (const backend of ['wasm', 'cpu'] as const) {
        await switchBackend(backend);
        expectSameRun(await train(modelId), reference, TIGHT);
      }
      // The opt-in Winograd path: the curve stays close, single weights drift.
      useWinograd(true);
      try {
        for (const backend of ['wasm', 'cpu'] as const) {
          await switchBackend(backend);
          expectSameRun(await train(modelId), reference, modelId === 'text-cnn' ? WINOGRAD : TIGHT);
        }
      } finally {
        useWinograd(false);
      }
    });
  }

  it('shares the big kernels with the second thread (when it is up) without changing a bit', async () => {
    await switchBackend('wasm');
    const first = await train('text-cnn');
    // Give the second thread time to start, then train again: some parts must run there.
    const threads = kernelThreads(kernelWorkspace('conv'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = threads.helperRuns;
    const second = await train('text-cnn');
    if (threads.threads === 2) expect(threads.helperRuns).toBeGreaterThan(before);
    expect(second.losses).toEqual(first.losses);
    second.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(first.weights[i])));
  });
});
