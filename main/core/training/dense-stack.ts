/**
 * The table models' fast training engine: a tfjs Sequential of Dense layers (relu between,
 * sigmoid / softmax / linear out) and Dropout, trained one whole step per WebAssembly call
 * (native/kernels/dense.c) instead of ~200 tfjs kernel calls. Weights and optimizer state are
 * copied in from the tfjs model and optimizer, and written back (`writeBack`) before anything
 * reads them (validation, checkpoints, the kept model), so runs, resumes and exports are
 * unchanged. Models it does not cover (`denseStackShape` → null) train through tfjs as before.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelThreads } from '../native/kernel-threads';
import { kernelWorkspace, type KernelWorkspace } from '../native/kernel-workspace';

const MAX_LAYERS = 8;
const OUT_KIND = { sigmoid: 0, softmax: 1, linear: 2 } as const;
const LOSS_FOR = { sigmoid: 'binaryCrossentropy', softmax: 'categoricalCrossentropy', linear: 'meanSquaredError' } as const;
/** tfjs's epsilon on the cpu and wasm backends (Adam's default, the losses' clip). */
const EPSILON = 1e-7;

export interface DenseStackShape {
  /** Widths: input, then each Dense layer's units. */
  sizes: number[];
  out: keyof typeof OUT_KIND;
  /** Per Dense layer: is a Dropout applied to its input. */
  dropoutBefore: boolean[];
  dropoutRate: number;
  l1: number;
  l2: number;
  dense: tf.layers.Layer[];
}

interface LayerConfig {
  activation?: string;
  useBias?: boolean;
  kernelRegularizer?: { className: string; config: { l1?: number; l2?: number } } | null;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
  rate?: number;
}

/** What the engine would train, or null when the model is not a plain dense stack it covers. */
export function denseStackShape(model: tf.LayersModel): DenseStackShape | null {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const dense: tf.layers.Layer[] = [];
  const dropoutBefore: boolean[] = [];
  let pendingDropout = false;
  let dropoutRate = 0;
  let penalty: { l1: number; l2: number } | null = null;
  for (const layer of layers) {
    const config = layer.getConfig() as LayerConfig;
    if (layer.getClassName() === 'Dropout') {
      if (pendingDropout || (dropoutRate && config.rate !== dropoutRate)) return null;
      pendingDropout = true;
      dropoutRate = config.rate ?? 0;
      continue;
    }
    if (layer.getClassName() !== 'Dense' || !config.useBias) return null;
    if (config.biasRegularizer || config.activityRegularizer || config.kernelConstraint || config.biasConstraint) return null;
    const reg = config.kernelRegularizer ? { l1: config.kernelRegularizer.config.l1 ?? 0, l2: config.kernelRegularizer.config.l2 ?? 0 } : { l1: 0, l2: 0 };
    if (config.kernelRegularizer && config.kernelRegularizer.className !== 'L1L2') return null;
    if (penalty && (penalty.l1 !== reg.l1 || penalty.l2 !== reg.l2)) return null;
    penalty = reg;
    dense.push(layer);
    dropoutBefore.push(pendingDropout);
    pendingDropout = false;
  }
  if (!dense.length || dense.length > MAX_LAYERS || pendingDropout) return null;
  const activations = dense.map((l) => (l.getConfig() as LayerConfig).activation);
  if (activations.slice(0, -1).some((a) => a !== 'relu')) return null;
  const out = activations[activations.length - 1];
  if (out !== 'sigmoid' && out !== 'softmax' && out !== 'linear') return null;
  if (model.loss !== LOSS_FOR[out]) return null;
  const inputShape = model.inputs[0].shape;
  if (inputShape.length !== 2 || !inputShape[1]) return null;
  const sizes = [inputShape[1], ...dense.map((l) => (l.getWeights()[0].shape[1] as number))];
  return { sizes, out, dropoutBefore, dropoutRate, l1: penalty!.l1, l2: penalty!.l2, dense };
}

export interface StepStats {
  /** Weighted loss summed over the rows (divide by rows for the batch mean). */
  lossSum: number;
  metricSum: number;
  /** The regularization term tfjs adds to the loss. */
  penalty: number;
}

interface OptimizerState {
  kind: 'adam' | 'momentum';
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  momentum: number;
  iterations: number;
  /** beta1^t and beta2^t of the next step, as tfjs keeps them: a float32 running product. */
  accBeta1: number;
  accBeta2: number;
}

/**
 * From this many multiply-adds in a step's forward pass, the step is shared by both kernel threads
 * in PARTS parts of whole rows (tabular-mlp from batch 64); below, the hand-off costs more than
 * it saves (tabular-linear at batch 256 lost 8%).
 */
const SHARE_MACS = 200_000;
/** More parts than threads: a thread slowed by another program takes fewer. */
const PARTS = 4;

/** A Net's own buffers (dense.c); the weights and optimizer slots are the engine's. */
interface NetBuffers {
  act: number[];
  delta: number[];
  mask: number[];
  gw: number[];
  gb: number[];
  rng: number;
}

/**
 * The engine that holds this thread's 'dense' kernel memory. Engines take turns (a compute worker
 * trains one run at a time); one that lost the memory to a newer engine must not step on it.
 */
let owner: DenseStackEngine | null = null;

export class DenseStackEngine {
  private readonly ws: KernelWorkspace;
  /** The Net of the whole batch (and part 0 of a shared step), then the other parts' Nets. */
  private readonly nets: number[] = [];
  private readonly optimizerAt: number;
  /** Per Net: loss sum, metric sum, penalty. */
  private readonly statsAt: number[] = [];
  private readonly xAt: number;
  private readonly yAt: number;
  private readonly weightsAt: number;
  private readonly params: { w: number; b: number; m: [number, number]; v: [number, number]; shape: [number, number] }[] = [];
  private readonly optimizer: OptimizerState;
  private readonly macsPerRow: number;

  private constructor(
    private readonly shape: DenseStackShape,
    readonly maxRows: number,
    optimizer: OptimizerState,
    seed: number,
  ) {
    this.optimizer = optimizer;
    this.ws = kernelWorkspace('dense');
    this.ws.reset(); // the previous engine's buffers go (see `owner`)
    // A fresh optimizer's slots start at zero; the memory still holds the previous engine's.
    const zeroed = (count: number) => this.ws.f32(this.ws.alloc(count), Math.max(1, count)).fill(0).byteOffset;
    const netFields = this.ws.fn('net_size')() / 4;
    const { sizes } = shape;
    const layers = sizes.length - 1;
    const perLayer = (count: (l: number) => number) => Array.from({ length: layers }, (_, l) => zeroed(count(l)));
    this.optimizerAt = zeroed(this.ws.fn('optimizer_size')() / 4);
    this.xAt = zeroed(maxRows * sizes[0]);
    this.yAt = zeroed(maxRows * sizes[layers]);
    this.weightsAt = zeroed(maxRows);
    const w = perLayer((l) => sizes[l] * sizes[l + 1]);
    const b = perLayer((l) => sizes[l + 1]);
    const m = [perLayer((l) => sizes[l] * sizes[l + 1]), perLayer((l) => sizes[l + 1])];
    const v = [perLayer((l) => sizes[l] * sizes[l + 1]), perLayer((l) => sizes[l + 1])];
    const buffersFor = (rows: number, rng: number): NetBuffers => ({
      act: Array.from({ length: layers + 1 }, (_, l) => zeroed(rows * sizes[l])),
      delta: Array.from({ length: layers + 1 }, (_, l) => zeroed(rows * sizes[l])),
      mask: perLayer((l) => rows * sizes[l]),
      gw: perLayer((l) => sizes[l] * sizes[l + 1]),
      gb: perLayer((l) => sizes[l + 1]),
      rng,
    });
    const writeNet = (own: NetBuffers): number => {
      const at = zeroed(netFields);
      const ints = this.ws.i32(at, netFields);
      const floats = new Float32Array(ints.buffer, ints.byteOffset, ints.length);
      // Field indices follow the Net struct in dense.c.
      let i = 0;
      const fields = (values: readonly number[], count: number) => {
        for (let l = 0; l < count; l++) ints[i++] = values[l] ?? 0;
      };
      ints[i++] = layers;
      fields(sizes, MAX_LAYERS + 1);
      ints[i++] = OUT_KIND[shape.out];
      fields(shape.dropoutBefore.map(Number), MAX_LAYERS);
      floats[i++] = shape.dropoutRate;
      ints[i++] = (own.rng >>> 0) || 0x9e3779b9;
      floats[i++] = shape.l1;
      floats[i++] = shape.l2;
      for (const list of [w, b, own.gw, own.gb, m[0], m[1], v[0], v[1]]) fields(list, MAX_LAYERS);
      fields(own.act, MAX_LAYERS + 1);
      fields(own.delta, MAX_LAYERS + 1);
      fields(own.mask, MAX_LAYERS);
      if (i + 1 !== ints.length) throw new Error(`dense kernel layout mismatch: wrote ${i + 1} of ${ints.length} fields`);
      return at;
    };
    this.nets.push(writeNet(buffersFor(maxRows, seed)));
    // Parts 1… of a shared step: a part is at most a quarter of the batch (rounded up to 4 rows).
    const partRows = Math.ceil(maxRows / PARTS / 4) * 4;
    this.macsPerRow = sizes.slice(1).reduce((sum, n, l) => sum + sizes[l] * n, 0);
    if (maxRows * this.macsPerRow >= SHARE_MACS) for (let k = 1; k < PARTS; k++) this.nets.push(writeNet(buffersFor(partRows, seed + k * 0x9e3779b9)));
    for (let k = 0; k < this.nets.length; k++) this.statsAt.push(zeroed(4));
    for (let l = 0; l < layers; l++) this.params.push({ w: w[l], b: b[l], m: [m[0][l], m[1][l]], v: [v[0][l], v[1][l]], shape: [sizes[l], sizes[l + 1]] });
  }

  /**
   * An engine holding `model`'s weights and `optimizer`'s state (an Adam or momentum optimizer
   * from compile.ts), or null when either is not one it covers.
   */
  static async create(model: tf.LayersModel, optimizer: tf.Optimizer, maxRows: number, seed: number): Promise<DenseStackEngine | null> {
    const shape = denseStackShape(model);
    const state = shape && optimizerState(optimizer);
    if (!shape || !state) return null;
    const engine = new DenseStackEngine(shape, maxRows, state, seed);
    owner = engine;
    await engine.readFrom(optimizer);
    return engine;
  }

  /** Copies the model's weights and the optimizer's slots (when it has any: a resumed run) in. */
  private async readFrom(optimizer: tf.Optimizer): Promise<void> {
    this.shape.dense.forEach((layer, l) => {
      const [kernel, bias] = layer.getWeights();
      const p = this.params[l];
      this.ws.f32(p.w, kernel.size).set(kernel.dataSync());
      this.ws.f32(p.b, bias.size).set(bias.dataSync());
    });
    const slots = await optimizer.getWeights();
    // getWeights makes a new scalar for the step count each call; the slots are the optimizer's own.
    const iterations = slots[0]?.tensor;
    try {
      if (slots.length > 1) this.readSlots(slots);
    } finally {
      iterations?.dispose();
    }
  }

  private readSlots(slots: Awaited<ReturnType<tf.Optimizer['getWeights']>>): void {
    const o = this.optimizer;
    o.iterations = slots[0].tensor.dataSync()[0];
    // As tfjs's setWeights does: beta^(iterations + 1) for the next step.
    o.accBeta1 = Math.fround(Math.pow(o.beta1, o.iterations + 1));
    o.accBeta2 = Math.fround(Math.pow(o.beta2, o.iterations + 1));
    const expected = 1 + this.params.length * 2 * (this.optimizer.kind === 'adam' ? 2 : 1);
    if (slots.length !== expected) throw new Error(`optimizer has ${slots.length} slots, the dense stack needs ${expected}`);
    this.forEachSlot((position, at, count) => {
      const saved = slots[position].tensor;
      if (saved.size !== count) throw new Error(`optimizer slot ${slots[position].name} has ${saved.size} values, expected ${count}`);
      this.ws.f32(at, count).set(saved.dataSync());
    });
  }

  /**
   * Each optimizer slot's position in tfjs's list ([iterations, m…, v…] for Adam, [iterations,
   * accumulators…] for momentum, variables in the model's order) and its place here. By position,
   * as tfjs restores them: a loaded checkpoint's variables carry other names than its slots.
   */
  private forEachSlot(visit: (position: number, at: number, count: number) => void): void {
    const total = this.params.length * 2;
    let k = 0;
    this.params.forEach((p) => {
      for (let j = 0; j < 2; j++, k++) {
        const count = j === 0 ? p.shape[0] * p.shape[1] : p.shape[1];
        visit(1 + k, p.m[j], count);
        if (this.optimizer.kind === 'adam') visit(1 + total + k, p.v[j], count);
      }
    });
  }

  /**
   * One training step on `rows` rows (x [rows, inputs], y [rows, outputs], optional row weights).
   * A big enough step (SHARE_MACS) is split into PARTS parts of whole rows whose gradients are
   * summed in part order: the same result on one kernel thread or two.
   */
  trainStep(x: Float32Array, y: Float32Array, rows: number, rowWeights: Float32Array | null = null): StepStats {
    this.assertOwner();
    if (rows > this.maxRows) throw new RangeError(`a batch of ${rows} rows exceeds the engine's ${this.maxRows}`);
    this.writeOptimizer();
    const o = this.optimizer;
    o.iterations++;
    o.accBeta1 = Math.fround(o.accBeta1 * Math.fround(o.beta1));
    o.accBeta2 = Math.fround(o.accBeta2 * Math.fround(o.beta2));
    this.ws.f32(this.xAt, x.length).set(x);
    this.ws.f32(this.yAt, y.length).set(y);
    if (rowWeights) this.ws.f32(this.weightsAt, rows).set(rowWeights);
    const weightsAt = rowWeights ? this.weightsAt : 0;
    const [net, stats] = [this.nets[0], this.statsAt[0]];
    if (this.partsFor(rows) === 1) {
      this.ws.fn('dense_train_step')(net, this.optimizerAt, this.xAt, this.yAt, weightsAt, rows, stats);
      return this.stats();
    }
    const step = Math.ceil(rows / PARTS / 4) * 4;
    const parts: number[][] = [];
    for (let start = 0, k = 0; start < rows; start += step, k++) {
      parts.push([this.xAt, this.yAt, weightsAt, rows, this.nets[k], this.statsAt[k], start, Math.min(rows, start + step)]);
    }
    kernelThreads(this.ws).run('dense_step_part', parts);
    for (let k = 1; k < parts.length; k++) this.ws.fn('dense_step_add')(net, this.nets[k], stats, this.statsAt[k]);
    this.ws.fn('dense_step_update')(net, this.optimizerAt, stats);
    return this.stats();
  }

  /** How many parts a training step on `rows` rows is split into (1: not shared). */
  partsFor(rows: number): number {
    return rows * this.macsPerRow >= SHARE_MACS && this.nets.length === PARTS ? PARTS : 1;
  }

  /** Loss and metric sums on rows without training (validation), in chunks of maxRows. */
  evaluate(x: Float32Array, y: Float32Array, rows: number): StepStats {
    this.assertOwner();
    const [inputs, outputs] = [this.shape.sizes[0], this.shape.sizes[this.shape.sizes.length - 1]];
    const total: StepStats = { lossSum: 0, metricSum: 0, penalty: 0 };
    for (let start = 0; start < rows; start += this.maxRows) {
      const n = Math.min(this.maxRows, rows - start);
      this.ws.f32(this.xAt, n * inputs).set(x.subarray(start * inputs, (start + n) * inputs));
      this.ws.f32(this.yAt, n * outputs).set(y.subarray(start * outputs, (start + n) * outputs));
      this.ws.fn('dense_evaluate')(this.nets[0], this.xAt, this.yAt, n, this.statsAt[0]);
      const s = this.stats();
      total.lossSum += s.lossSum;
      total.metricSum += s.metricSum;
      total.penalty = s.penalty;
    }
    return total;
  }

  private stats(): StepStats {
    const [lossSum, metricSum, penalty] = this.ws.f32(this.statsAt[0], 3);
    return { lossSum, metricSum, penalty };
  }

  private assertOwner(): void {
    if (owner !== this) throw new Error('a newer dense-stack engine on this thread has taken its kernel memory');
  }

  private writeOptimizer(): void {
    const o = this.optimizer;
    const ints = this.ws.i32(this.optimizerAt, 8);
    const floats = new Float32Array(ints.buffer, ints.byteOffset, 8);
    ints[0] = o.kind === 'adam' ? 0 : 1;
    floats[1] = o.learningRate;
    floats[2] = o.beta1;
    floats[3] = o.beta2;
    floats[4] = o.epsilon;
    floats[5] = 1 - o.accBeta1;
    floats[6] = 1 - o.accBeta2;
    floats[7] = o.momentum;
  }

  /**
   * Writes the weights into the tfjs model and the slots into the optimizer (creating them the
   * way tfjs names them when the optimizer has not stepped yet), so tfjs reads what was trained.
   */
  async writeBack(model: tf.LayersModel, optimizer: tf.Optimizer): Promise<void> {
    this.assertOwner();
    this.shape.dense.forEach((layer, l) => {
      const p = this.params[l];
      const [kernel, bias] = [tf.tensor2d(this.ws.f32(p.w, p.shape[0] * p.shape[1]).slice(), p.shape), tf.tensor1d(this.ws.f32(p.b, p.shape[1]).slice())];
      layer.setWeights([kernel, bias]);
      tf.dispose([kernel, bias]);
    });
    let slots = await optimizer.getWeights();
    if (slots.length <= 1) {
      // No slots yet: one zero-gradient step creates them under tfjs's own names (their values are replaced below).
      tf.dispose(slots.map((s) => s.tensor));
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      tf.tidy(() => optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: tf.zerosLike(v) }))));
      slots = await optimizer.getWeights();
    }
    const replaced = slots.map((s) => ({ name: s.name, tensor: s.tensor }));
    replaced[0] = { name: slots[0].name, tensor: tf.scalar(this.optimizer.iterations, 'int32') };
    this.forEachSlot((position, at, count) => {
      replaced[position] = { name: slots[position].name, tensor: tf.tensor(this.ws.f32(at, count).slice(), slots[position].tensor.shape) };
    });
    await optimizer.setWeights(replaced);
    // setWeights made variables of its own from these, and dropped the old slots without freeing them.
    tf.dispose([...replaced.map((r) => r.tensor), ...slots.map((s) => s.tensor)]);
  }
}

function optimizerState(optimizer: tf.Optimizer): OptimizerState | null {
  const config = optimizer.getConfig() as Record<string, number | boolean | undefined>;
  const name = optimizer.getClassName();
  const base = { learningRate: Number(config.learningRate), beta1: 0, beta2: 0, epsilon: EPSILON, momentum: 0, iterations: 0, accBeta1: 0, accBeta2: 0 };
  if (name === 'Adam') {
    const [beta1, beta2] = [Number(config.beta1), Number(config.beta2)];
    return { ...base, kind: 'adam', beta1, beta2, epsilon: Number(config.epsilon ?? EPSILON), accBeta1: Math.fround(beta1), accBeta2: Math.fround(beta2) };
  }
  if (name === 'Momentum' && !config.useNesterov) return { ...base, kind: 'momentum', momentum: Number(config.momentum) };
  return null;
}
