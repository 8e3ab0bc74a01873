/**
 * Where one training step's time goes, per kernel, on a backend rung (wasm by default): for each
 * catalog model at the bench's data shapes, warm-up steps, then a few profiled steps of
 * model.trainOnBatch. Prints one JSON line per model (step time, and per kernel: calls, ms per
 * step, share, GFLOP/s and the fraction of this machine's SIMD ceiling for products and
 * convolutions), and a readable table on stderr. Profiling syncs after every kernel, so the
 * step time printed beside it is measured separately, unprofiled. Table models also get a line
 * for the dense-stack engine the trainer uses for them.
 * Run: npm run bench -- kernel-profile [--rung=cpu] [--model=text-lstm] [--steps=3]
 */
import * as tf from '@tensorflow/tfjs';
import { kernelFlops } from '../../main/core/backends/kernel-flops';
import { prepareBackends, switchBackend } from '../../main/core/backends/tf-setup';
import { getModel } from '../../main/core/models/catalog';
import { compileModel } from '../../main/core/models/compile';
import { resolveHyperparameters } from '../../main/core/models/layers-util';
import type { ModelBuildSpec } from '../../main/core/models/types';
import { measureSimdCeiling } from '../../main/core/native/simd-ceiling';
import { DenseStackEngine, denseStackShape } from '../../main/core/training/dense-stack';

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const rung = (flag('rung') ?? 'wasm') as 'wasm' | 'cpu';
const steps = Number(flag('steps') ?? 3);

interface ProfileCase {
  model: string;
  batchSize: number;
  hyperparameters: Record<string, number>;
}

/** The training bench's shapes: texts of 200 tokens from a 10,000-word vocabulary; 20 numbers, 3 classes. */
const TOKENS = 200;
const VOCABULARY = 10_000;
const FEATURES = 20;
const cases: ProfileCase[] = [
  { model: 'text-lstm', batchSize: 32, hyperparameters: { vocabularySize: VOCABULARY, sequenceLength: TOKENS } },
  { model: 'text-cnn', batchSize: 32, hyperparameters: { vocabularySize: VOCABULARY, sequenceLength: TOKENS } },
  { model: 'text-bigru', batchSize: 32, hyperparameters: { vocabularySize: VOCABULARY, sequenceLength: TOKENS } },
  { model: 'text-bow', batchSize: 32, hyperparameters: { vocabularySize: VOCABULARY, sequenceLength: TOKENS } },
  { model: 'tabular-mlp', batchSize: 32, hyperparameters: {} },
  { model: 'tabular-mlp', batchSize: 256, hyperparameters: {} },
  { model: 'tabular-linear', batchSize: 32, hyperparameters: {} },
];

function buildCase(c: ProfileCase): { model: tf.LayersModel; optimizer: tf.Optimizer; xs: tf.Tensor; ys: tf.Tensor } {
  const definition = getModel(c.model);
  const text = definition.input === 'sequence';
  const hyperparameters = resolveHyperparameters(definition.entry.hyperparameters, c.hyperparameters);
  const spec: ModelBuildSpec = {
    input: text ? { kind: 'sequence', vocabularySize: VOCABULARY, sequenceLength: TOKENS } : { kind: 'features', width: FEATURES },
    output: text ? { kind: 'binary', classes: 2 } : { kind: 'multiclass', classes: 3 },
    hyperparameters,
    dropout: 0,
    l1: 0,
    l2: 0,
    seed: 1,
  };
  const model = definition.build(spec);
  const optimizer = compileModel(model, spec.output.kind, { optimizer: 'adam', learningRate: 0.001, momentum: 0.9 });
  const xs = text ? tf.randomUniform([c.batchSize, TOKENS], 1, VOCABULARY, 'int32', 3) : tf.randomNormal([c.batchSize, FEATURES], 0, 1, 'float32', 3);
  const ys = text ? tf.cast(tf.greater(tf.randomUniform([c.batchSize, 1], 0, 1, 'float32', 4), 0.5), 'float32') : tf.oneHot(tf.randomUniform([c.batchSize], 0, 3, 'int32', 4), 3).toFloat();
  return { model, optimizer, xs, ys };
}

function disposeCase(built: ReturnType<typeof buildCase>): void {
  tf.dispose([built.xs, built.ys]);
  built.model.dispose();
  built.optimizer.dispose();
}

interface KernelRow {
  kernel: string;
  calls: number;
  msPerStep: number;
  share: number;
  gflops: number | null;
  /** Against one core's SIMD ceiling, and against every core's (kernels that split over two threads). */
  ofCeiling: number | null;
  ofAllCores: number | null;
}

/**
 * Table models train on the dense-stack engine (one WebAssembly call per step): its step time
 * and GFLOP/s, counting forward, weight-gradient and input-gradient products (2·rows·in·out each).
 */
async function profileEngine(c: ProfileCase, ceilingGflops: number, allCoresGflops: number) {
  const { model, optimizer, xs, ys } = buildCase(c);
  const shape = denseStackShape(model);
  const engine = await DenseStackEngine.create(model, optimizer, c.batchSize, 1);
  if (!shape || !engine) return null;
  const [x, y] = [xs.dataSync() as Float32Array, ys.dataSync() as Float32Array];
  for (let i = 0; i < 50; i++) engine.trainStep(x, y, c.batchSize);
  const calls = 2000;
  const t = performance.now();
  for (let i = 0; i < calls; i++) engine.trainStep(x, y, c.batchSize);
  const stepMs = (performance.now() - t) / calls;
  const products = shape.sizes.slice(1).reduce((sum, n, l) => sum + shape.sizes[l] * n * (l === 0 ? 2 : 3), 0);
  const gflops = (2 * c.batchSize * products) / (stepMs / 1000) / 1e9;
  // A step split into parts runs on both kernel threads: its share of both cores says more.
  const parts = engine.partsFor(c.batchSize);
  disposeCase({ model, optimizer, xs, ys });
  return {
    bench: 'kernel-profile',
    model: c.model,
    rung: 'dense-stack engine',
    batchSize: c.batchSize,
    stepMs: round(stepMs, 4),
    samplesPerSecond: Math.round((c.batchSize / stepMs) * 1000),
    kernelMsPerStep: round(stepMs, 4),
    frameworkShare: 0,
    kernelCallsPerStep: 1,
    ceilingGflops,
    kernels: [
      {
        kernel: parts > 1 ? `dense step (${parts} parts)` : 'dense_train_step',
        calls: 1,
        msPerStep: round(stepMs, 4),
        share: 1,
        gflops: round(gflops, 2),
        ofCeiling: round(gflops / ceilingGflops, 3),
        ofAllCores: parts > 1 ? round(gflops / allCoresGflops, 3) : null,
      },
    ],
  };
}

async function profileCase(c: ProfileCase, ceilingGflops: number, allCoresGflops: number) {
  const { model, optimizer, xs, ys } = buildCase(c);
  const step = () => model.trainOnBatch(xs, ys);
  for (let i = 0; i < 3; i++) await step();
  // Unprofiled step time: what training actually pays per batch (kernels plus framework).
  const t = performance.now();
  for (let i = 0; i < steps; i++) await step();
  const stepMs = (performance.now() - t) / steps;

  const byKernel = new Map<string, { calls: number; ms: number; flops: number; counted: boolean }>();
  const info = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await step();
  });
  // Entries named `<op>__op` wrap kernels that are listed on their own (custom-gradient ops): skip them.
  const listed = info.kernels.filter((k) => !k.name.endsWith('__op'));
  for (const k of listed) {
    const ms = await k.kernelTimeMs;
    const row = byKernel.get(k.name) ?? { calls: 0, ms: 0, flops: 0, counted: false };
    const flops = kernelFlops(k.name, k.inputShapes, k.outputShapes);
    row.calls++;
    row.ms += typeof ms === 'number' ? ms : 0;
    if (flops !== null) {
      row.flops += flops;
      row.counted = true;
    }
    byKernel.set(k.name, row);
  }
  const kernelMs = [...byKernel.values()].reduce((a, r) => a + r.ms, 0) / steps;
  const kernels: KernelRow[] = [...byKernel.entries()]
    .map(([kernel, r]) => {
      const gflops = r.counted && r.ms > 0 ? r.flops / (r.ms / 1000) / 1e9 : null;
      return {
        kernel,
        calls: r.calls / steps,
        msPerStep: round(r.ms / steps, 3),
        share: round(r.ms / steps / kernelMs, 3),
        gflops: gflops === null ? null : round(gflops, 2),
        ofCeiling: gflops === null ? null : round(gflops / ceilingGflops, 3),
        ofAllCores: gflops === null ? null : round(gflops / allCoresGflops, 3),
      };
    })
    .sort((a, b) => b.msPerStep - a.msPerStep);
  disposeCase({ model, optimizer, xs, ys });
  return {
    bench: 'kernel-profile',
    model: c.model,
    rung: rung as string,
    batchSize: c.batchSize,
    stepMs: round(stepMs, 2),
    samplesPerSecond: Math.round((c.batchSize / stepMs) * 1000),
    kernelMsPerStep: round(kernelMs, 2),
    /** Step time outside kernels: tfjs's layers, tape and dispatch, and the profile's own syncs. */
    frameworkShare: round(Math.max(0, 1 - kernelMs / stepMs), 3),
    kernelCallsPerStep: listed.length / steps,
    ceilingGflops,
    kernels,
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function printTable(result: Awaited<ReturnType<typeof profileCase>>): void {
  const lines = [
    `\n${result.model} (batch ${result.batchSize}, ${result.rung}): ${result.stepMs} ms/step, ${result.samplesPerSecond} samples/s, ${result.kernelCallsPerStep} kernel calls/step, kernels ${result.kernelMsPerStep} ms`,
    '  kernel                         calls   ms/step  share  GFLOP/s  of 1 core  of all cores',
  ];
  for (const k of result.kernels.slice(0, 12)) {
    lines.push(
      `  ${k.kernel.padEnd(30)} ${String(k.calls).padStart(5)} ${k.msPerStep.toFixed(2).padStart(9)} ${(k.share * 100).toFixed(1).padStart(5)}% ${k.gflops === null ? '      -' : k.gflops.toFixed(2).padStart(8)}  ${(k.ofCeiling === null ? '-' : (k.ofCeiling * 100).toFixed(1) + '%').padStart(9)}  ${(k.ofAllCores === null ? '-' : (k.ofAllCores * 100).toFixed(1) + '%').padStart(11)}`,
    );
  }
  process.stderr.write(lines.join('\n') + '\n');
}

prepareBackends();
await switchBackend(rung);
const ceiling = await measureSimdCeiling();
process.stdout.write(JSON.stringify({ bench: 'simd-ceiling', ...ceiling }) + '\n');
const only = flag('model');
for (const c of cases.filter((x) => !only || x.model === only)) {
  const results: (Awaited<ReturnType<typeof profileCase>> | null)[] = [await profileCase(c, ceiling.simdGflops, ceiling.allCoresGflops)];
  // What the trainer actually runs for table models; the tfjs profile above is the path it replaced.
  if (getModel(c.model).input === 'features') results.push(await profileEngine(c, ceiling.simdGflops, ceiling.allCoresGflops));
  for (const result of results) {
    if (!result) continue;
    process.stdout.write(JSON.stringify(result) + '\n');
    printTable(result);
  }
}
