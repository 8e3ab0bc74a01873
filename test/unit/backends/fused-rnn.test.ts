import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSED_RNN_KERNELS } from '../../../main/core/backends/fused-rnn-kernels';
import { FusedGRU, FusedLSTM, fusedGru, fusedLstm, useFusedRnn } from '../../../main/core/backends/fused-rnn-layers';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { kernelThreads, useOneKernelThread } from '../../../main/core/native/kernel-threads';
import { kernelWorkspace } from '../../../main/core/native/kernel-workspace';
import { onStockCpu, randomSource, worstError } from './kernel-check';

/**
 * The fused LSTM/GRU kernels against tfjs-layers' own step-by-step path on the cpu backend with
 * its stock kernels (the reference), on random shapes: the layer's output and every gradient (dx, kernel, recurrent
 * kernel, bias), both directions, last output or whole sequences, on wasm and cpu; and one thread
 * against two (identical to the bit).
 */

const { rng, int, floats: unit } = randomSource(20240611);
const floats = (n: number, scale = 1) => unit(n).map((v) => v * scale);

type Kind = 'lstm' | 'gru';

interface Case {
  kind: Kind;
  batch: number;
  steps: number;
  width: number;
  units: number;
  goBackwards: boolean;
  returnSequences: boolean;
  x: Float32Array;
  weights: Float32Array[];
  /** Weights of the upstream gradient: the loss is Σ y·r. */
  r: Float32Array;
  dropout?: { rate: number; mask: Float32Array };
}

function randomCase(kind: Kind): Case {
  // At least 2 steps: tfjs's own path cannot take the gradient of a 1-step sequence (its Unpack
  // gradient gets a lone tensor where it stacks a list).
  const [batch, steps, width, units] = [int(1, 40), int(2, 7), int(1, 9), int(1, 11)];
  const gates = (kind === 'lstm' ? 4 : 3) * units;
  const returnSequences = rng() < 0.5;
  return {
    kind,
    batch,
    steps,
    width,
    units,
    goBackwards: rng() < 0.5,
    returnSequences,
    x: floats(batch * steps * width, 2),
    weights: [floats(width * gates, 0.6), floats(units * gates, 0.6), floats(gates, 0.5)],
    r: floats(batch * (returnSequences ? steps : 1) * units),
  };
}

interface Result {
  y: Float32Array;
  grads: Float32Array[];
}

/** The layer's output and its gradients (x, kernel, recurrent kernel, bias) on the current backend. */
function evaluate(c: Case, fused: boolean): Result {
  const args = {
    units: c.units,
    recurrentActivation: 'sigmoid' as const,
    goBackwards: c.goBackwards,
    returnSequences: c.returnSequences,
    dropout: c.dropout?.rate,
    // A fixed "random" mask, so both paths drop the same inputs.
    dropoutFunc: c.dropout ? (ones: tf.Tensor) => tf.mul(ones, tf.tensor2d(c.dropout!.mask, [c.batch, c.width])) : undefined,
  };
  const layer = c.kind === 'lstm' ? fusedLstm(args) : fusedGru(args);
  const before = tf.memory().numTensors;
  const result = tf.tidy(() => {
    const x = tf.tensor3d(c.x, [c.batch, c.steps, c.width]);
    layer.apply(x); // builds the layer
    layer.setWeights(c.weights.map((w, i) => tf.tensor(w, layer.getWeights()[i].shape)));
    const r = tf.tensor(c.r, c.returnSequences ? [c.batch, c.steps, c.units] : [c.batch, c.units]);
    const kwargs = { training: c.dropout != null };
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, kwargs) as tf.Tensor, r)) as tf.Scalar;
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(x), variables);
    const dx = tf.grad(loss)(x);
    const y = layer.apply(x, kwargs) as tf.Tensor;
    return { y: y.dataSync() as Float32Array, grads: [dx, ...variables.map((v) => grads[v.name])].map((g) => g.dataSync() as Float32Array) };
  });
  layer.dispose();
  // tfjs's own path keeps its dropout masks in the cell until the next call.
  if (fused) expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return result;
}

/** The fused path on `backend`. */
async function on(backend: 'wasm' | 'cpu', c: Case): Promise<Result> {
  await switchBackend(backend);
  return evaluate(c, true);
}

/** The reference: tfjs's own path, on cpu with the stock kernels. */
function reference(c: Case): Promise<Result> {
  return onStockCpu(() => {
    useFusedRnn(false);
    try {
      return evaluate(c, false);
    } finally {
      useFusedRnn(true);
    }
  });
}

function expectClose(actual: Result, expected: Result, what: string): void {
  const names = ['y', 'dx', 'dKernel', 'dRecurrentKernel', 'dBias'];
  const wanted = [expected.y, ...expected.grads];
  [actual.y, ...actual.grads].forEach((values, i) => {
    expect(values.length, `${what}: ${names[i]} size`).toBe(wanted[i].length);
    expect(worstError([{ shape: [values.length], values }], [{ shape: [values.length], values: wanted[i] }]), `${what}: ${names[i]}`).toBeLessThan(2e-5);
  });
}

const describeCase = (c: Case) =>
  `${c.kind} batch ${c.batch} steps ${c.steps} width ${c.width} units ${c.units}${c.goBackwards ? ' backwards' : ''}${c.returnSequences ? ' sequences' : ''}`;

beforeAll(async () => {
  prepareBackends();
  await switchBackend('wasm');
});

afterAll(async () => {
  useOneKernelThread(false);
  await switchBackend('wasm');
});

describe('fused recurrent kernels', () => {
  for (const kind of ['lstm', 'gru'] as const) {
    it(`${kind}: output and every gradient match tfjs-layers on random shapes (wasm and cpu)`, async () => {
      for (let trial = 0; trial < 10; trial++) {
        const c = randomCase(kind);
        const expected = await reference(c);
        expectClose(await on('wasm', c), expected, `wasm ${describeCase(c)}`);
        expectClose(await on('cpu', c), expected, `cpu ${describeCase(c)}`);
      }
    });

    it(`${kind}: input dropout is applied as tfjs does (one mask per batch, every step)`, async () => {
      const c = randomCase(kind);
      c.dropout = { rate: 0.3, mask: Float32Array.from({ length: c.batch * c.width }, () => (rng() < 0.3 ? 0 : 1 / 0.7)) };
      expectClose(await on('wasm', c), await reference(c), `dropout ${describeCase(c)}`);
    });
  }

  it('the seed widths (batch 32, width 32, 64 / 32 units; 30 of the 200 steps) match too', async () => {
    for (const kind of ['lstm', 'gru'] as const) {
      const units = kind === 'lstm' ? 64 : 32;
      const gates = (kind === 'lstm' ? 4 : 3) * units;
      const c: Case = {
        kind,
        batch: 32,
        steps: 30,
        width: 32,
        units,
        goBackwards: kind === 'gru',
        returnSequences: false,
        x: floats(32 * 30 * 32),
        weights: [floats(32 * gates, 0.3), floats(units * gates, 0.3), floats(gates, 0.3)],
        r: floats(32 * units),
      };
      expectClose(await on('wasm', c), await reference(c), describeCase(c));
    }
  });

  it('gives the same bits on one thread and on two', async () => {
    await switchBackend('wasm');
    const threads = kernelThreads(kernelWorkspace('rnn'));
    expect(threads.threads).toBe(2);
    for (const kind of ['lstm', 'gru'] as const) {
      const c = { ...randomCase(kind), batch: 29, steps: 9 }; // 3 slices
      c.x = floats(c.batch * c.steps * c.width);
      c.r = floats(c.batch * (c.returnSequences ? c.steps : 1) * c.units);
      useOneKernelThread(true);
      const one = await on('wasm', c);
      useOneKernelThread(false);
      // The helper may still be starting: run until it has taken at least one slice.
      const runs = threads.helperRuns;
      let two = await on('wasm', c);
      for (let i = 0; i < 50 && threads.helperRuns === runs; i++) two = await on('wasm', c);
      expect(threads.helperRuns).toBeGreaterThan(runs);
      expect(two.y).toEqual(one.y);
      two.grads.forEach((g, i) => expect(g).toEqual(one.grads[i]));
    }
  });

  it('leaves unsupported configurations to tfjs (no fused kernel runs)', async () => {
    await switchBackend('wasm');
    const x = tf.randomNormal([2, 3, 4]);
    for (const layer of [
      fusedLstm({ units: 3 }), // hardSigmoid gates, tfjs's default
      fusedGru({ units: 3, recurrentActivation: 'sigmoid', recurrentDropout: 0.5 }),
      fusedLstm({ units: 3, recurrentActivation: 'sigmoid', returnState: true }),
    ]) {
      const profile = await tf.profile(() => layer.apply(x, { training: true }) as tf.Tensor | tf.Tensor[]);
      const names = profile.kernels.map((k) => k.name);
      expect(names).not.toContain(FUSED_RNN_KERNELS.lstm.forward);
      expect(names).not.toContain(FUSED_RNN_KERNELS.gru.forward);
      expect(names.length).toBeGreaterThan(0);
      layer.dispose();
    }
    x.dispose();
  });

  it('registers the fast layers under LSTM and GRU: deserialized models and Bidirectional copies use them', () => {
    const model = tf.sequential();
    model.add(tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 5 }));
    model.add(fusedLstm({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true }));
    model.add(tf.layers.bidirectional({ layer: fusedGru({ units: 2, recurrentActivation: 'sigmoid' }) as tf.RNN }));
    const json = model.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'] & { config: { layers: { class_name: string; config: { layer: { class_name: string } } }[] } };
    const layers = json.config.layers;
    expect(layers[1].class_name).toBe('LSTM');
    expect(layers[2].class_name).toBe('Bidirectional');
    expect(layers[2].config.layer.class_name).toBe('GRU');
    const copy = tf.models.modelFromJSON(json as unknown as tf.io.ModelJSON['modelTopology'] as never) as unknown as Promise<tf.LayersModel>;
    return copy.then((loaded) => {
      expect(loaded.layers[1]).toBeInstanceOf(FusedLSTM);
      const bidirectional = loaded.layers[2] as unknown as { forwardLayer: unknown; backwardLayer: unknown };
      expect(bidirectional.forwardLayer).toBeInstanceOf(FusedGRU);
      expect(bidirectional.backwardLayer).toBeInstanceOf(FusedGRU);
      model.dispose();
      loaded.dispose();
    });
  });
});
