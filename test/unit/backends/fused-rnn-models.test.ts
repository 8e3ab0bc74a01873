import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedGRU, FusedLSTM, useFusedRnn } from '../../../main/core/backends/fused-rnn-layers';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { createRng } from '../../../main/core/data/prng';
import { buildModel } from '../../../main/core/models/catalog';
import { loadModelFromDir, saveModelToDir } from '../../../main/core/training/io-handlers';
import { onStockCpu } from './kernel-check';

/**
 * The catalog's text-lstm and text-bigru with the fused layers: a short training run follows
 * tfjs's own path (same seed, same data; cpu with its stock kernels) batch by batch, and a saved model is a
 * plain tfjs model: class names LSTM / Bidirectional + GRU, loadable and identical in predictions
 * with @tensorflow/tfjs alone (a separate Node process that never sees the app's code).
 */

const VOCABULARY = 300;
const LENGTH = 24;
const BATCH = 16;
const BATCHES = 6;

type ModelId = 'text-lstm' | 'text-bigru';

function build(id: ModelId): tf.LayersModel {
  return buildModel(id, {
    input: { kind: 'sequence', vocabularySize: VOCABULARY, sequenceLength: LENGTH },
    output: { kind: 'binary', classes: 2 },
    dropout: 0,
    l1: 0,
    l2: 0,
    seed: 11,
  });
}

/** Token ids with a learnable rule: the label says whether token 7 occurs. */
function data(): { x: Int32Array; y: Float32Array } {
  const rng = createRng(5);
  const x = Int32Array.from({ length: BATCHES * BATCH * LENGTH }, () => 1 + Math.floor(rng() * (VOCABULARY - 1)));
  const y = new Float32Array(BATCHES * BATCH);
  for (let i = 0; i < y.length; i++) {
    if (rng() < 0.5) x[i * LENGTH + Math.floor(rng() * LENGTH)] = 7;
    y[i] = x.subarray(i * LENGTH, (i + 1) * LENGTH).includes(7) ? 1 : 0;
  }
  return { x, y };
}

/**
 * Per-batch training losses from the same starting weights (the model is reused: building
 * text-lstm runs a 64×256 orthogonal initializer, seconds on cpu).
 */
async function lossCurve(model: tf.LayersModel, backend: 'wasm' | 'cpu', fused: boolean, start: Float32Array[]): Promise<number[]> {
  await switchBackend(backend);
  useFusedRnn(fused);
  const optimizer = tf.train.adam(0.01);
  try {
    model.setWeights(start.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
    model.compile({ optimizer, loss: 'binaryCrossentropy' });
    const { x, y } = data();
    const losses: number[] = [];
    for (let b = 0; b < BATCHES; b++) {
      const xs = tf.tensor2d(x.subarray(b * BATCH * LENGTH, (b + 1) * BATCH * LENGTH), [BATCH, LENGTH], 'int32');
      const ys = tf.tensor2d(y.subarray(b * BATCH, (b + 1) * BATCH), [BATCH, 1]);
      losses.push((await model.trainOnBatch(xs, ys)) as number);
      tf.dispose([xs, ys]);
    }
    return losses;
  } finally {
    optimizer.dispose();
    useFusedRnn(true);
  }
}

let dir = '';

beforeAll(async () => {
  prepareBackends();
  dir = await mkdtemp(join(tmpdir(), 'fused-rnn-'));
});

afterAll(async () => {
  await switchBackend('wasm');
  await rm(dir, { recursive: true, force: true });
});

describe('catalog recurrent models on the fused layers', () => {
  for (const id of ['text-lstm', 'text-bigru'] as const) {
    it(`${id}: the loss curve follows tfjs's own path`, async () => {
      await switchBackend('cpu');
      const model = build(id);
      const start = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
      const reference = await onStockCpu(() => lossCurve(model, 'cpu', false, start));
      for (const backend of ['wasm', 'cpu'] as const) {
        const fused = await lossCurve(model, backend, true, start);
        fused.forEach((loss, i) => expect(Math.abs(loss - reference[i]), `${backend} batch ${i}`).toBeLessThan(1e-4));
      }
      model.dispose();
      // The weights did move (a curve of equal losses would prove nothing).
      expect(new Set(reference.map((l) => l.toFixed(4))).size).toBeGreaterThan(1);
    });
  }

  it('saves models that plain @tensorflow/tfjs loads and runs the same, and that resume on the fused layers', async () => {
    await switchBackend('wasm');
    const { x } = data();
    const tokens = Array.from(x.subarray(0, 4 * LENGTH));
    for (const id of ['text-lstm', 'text-bigru'] as const) {
      const model = build(id);
      const modelDir = join(dir, id);
      await saveModelToDir(model, modelDir);
      const input = tf.tensor2d(tokens, [4, LENGTH], 'int32');
      const expected = Array.from((model.predict(input) as tf.Tensor).dataSync());

      const json = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8'));
      const layers = json.modelTopology.config.layers as { class_name: string; config: { layer?: { class_name: string } } }[];
      const names = layers.map((l) => (l.class_name === 'Bidirectional' ? `Bidirectional(${l.config.layer!.class_name})` : l.class_name));
      expect(names).toContain(id === 'text-lstm' ? 'LSTM' : 'Bidirectional(GRU)');

      // Plain tfjs in a fresh process: no app code, no registered classes.
      const script = `
        import * as tf from '@tensorflow/tfjs';
        import { readFileSync } from 'node:fs';
        const dir = process.argv[1];
        const json = JSON.parse(readFileSync(dir + '/model.json', 'utf8'));
        const bin = readFileSync(dir + '/weights.bin');
        const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
        const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
        const y = model.predict(tf.tensor2d(JSON.parse(process.argv[2]), [4, ${LENGTH}], 'int32'));
        process.stdout.write(JSON.stringify(Array.from(y.dataSync())));
      `;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, modelDir, JSON.stringify(tokens)], { cwd: process.cwd(), encoding: 'utf8' });
      const plain = JSON.parse(out.slice(out.indexOf('['))) as number[];
      plain.forEach((p, i) => expect(Math.abs(p - expected[i])).toBeLessThan(1e-5));

      // Resuming from a checkpoint brings the fused layers back.
      const loaded = await loadModelFromDir(modelDir);
      const recurrent = loaded.layers[1] as unknown as { forwardLayer?: unknown; backwardLayer?: unknown };
      if (id === 'text-lstm') expect(recurrent).toBeInstanceOf(FusedLSTM);
      else {
        expect(recurrent.forwardLayer).toBeInstanceOf(FusedGRU);
        expect(recurrent.backwardLayer).toBeInstanceOf(FusedGRU);
      }
      const again = Array.from((loaded.predict(input) as tf.Tensor).dataSync());
      again.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
      tf.dispose([input]);
      model.dispose();
      loaded.dispose();
    }
  });
});
