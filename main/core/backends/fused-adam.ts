/**
 * Adam with one kernel per variable. tfjs's AdamOptimizer runs ~10 kernels per variable and
 * step, each allocating a tensor the size of the variable (for text-cnn's 10,000 × 64 Embedding,
 * 2.5 MB each, ~8 ms of a step on wasm). `FusedAdamOptimizer` keeps tfjs's state (moments as
 * tfjs variables, accBeta1/accBeta2, iterations), so getWeights/setWeights, checkpoints and the
 * model file are unchanged, and replaces only the arithmetic with the `FusedAdam` kernel
 * (native/kernels/optim.c), which computes tfjs's formula operation for operation in float32.
 * Backends without the kernel (tfjs-node) take tfjs's own update.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelWorkspace } from '../native/kernel-workspace';
import type { Attrs, KernelParams } from './kernel-types';
import { tensorIO } from './tensor-io';

export const FUSED_ADAM = 'FusedAdam';
/** Elements per block: four input blocks and the update fit in L2 (256 KiB each). */
const BLOCK = 1 << 16;

interface MomentSlot {
  originalName: string;
  variable: tf.Variable;
}

/** AdamOptimizer's fields that its typings keep private; the fused step shares them. */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: MomentSlot[];
  accumulatedSecondMoment: MomentSlot[];
}

/** A zero moment for `value`, named as tfjs names it (`<variable>/m`, `<variable>/v`). */
const zeroSlot = (name: string, value: tf.Variable): MomentSlot => ({ originalName: name, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });

type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (!tf.getKernel(FUSED_ADAM, tf.getBackend())) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamInternals;
    const list = Array.isArray(variableGradients) ? variableGradients : null;
    const names = list ? list.map((v) => v.name) : Object.keys(variableGradients);
    // β^t as tfjs keeps it: a float32 variable multiplied by β each step.
    const accBeta1 = state.accBeta1.dataSync()[0];
    const accBeta2 = state.accBeta2.dataSync()[0];
    const attrs = { learningRate: state.learningRate, beta1: state.beta1, beta2: state.beta2, epsilon: state.epsilon, accBeta1, accBeta2 };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        state.accumulatedFirstMoment[i] ??= zeroSlot(`${name}/m`, value);
        state.accumulatedSecondMoment[i] ??= zeroSlot(`${name}/v`, value);
        const gradient = list ? list[i].tensor : (variableGradients as Record<string, tf.Tensor | undefined>)[name];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf.engine().runKernel(FUSED_ADAM, { value, m, v, gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
    });
    this.incrementIterations();
  }
}

/**
 * `FusedAdam` for wasm and cpu: inputs value, m, v, gradient; outputs the new value, m and v.
 * Attrs: learningRate, beta1, beta2, epsilon, and accBeta1/accBeta2 (β^t before this step).
 */
export function fusedAdamKernel(backendName: 'wasm' | 'cpu'): (params: KernelParams) => tf.TensorInfo[] {
  return (params) => {
    const attrs = params.attrs as Attrs;
    const inputs = ['value', 'm', 'v', 'gradient'].map((k) => params.inputs[k] as tf.TensorInfo);
    const shape = inputs[0].shape;
    const n = tf.util.sizeFromShape(shape);
    const io = tensorIO(params, backendName);
    const outputs = [io.output(shape), io.output(shape), io.output(shape)];
    const ws = kernelWorkspace('optim');
    ws.reset();
    const [lr, beta1, beta2, epsilon] = [attrs.learningRate, attrs.beta1, attrs.beta2, attrs.epsilon] as number[];
    // Scalars rounded as tfjs rounds them: JS doubles turned into float32 tensors (a Float32Array
    // rounds the same way); 1 − β^t is a float32 subtraction of a float32 β^t.
    const oneMinus = (x: number) => 1 - Math.fround(x);
    const scalarsAt = ws.alloc(8);
    ws.f32(scalarsAt, 8).set([beta1, 1 - beta1, beta2, 1 - beta2, oneMinus(attrs.accBeta1 as number), oneMinus(attrs.accBeta2 as number), epsilon, -lr]);
    // A block at a time: the copies in, the update and the copies out stay in the cache, and the
    // workspace stays small whatever the variable's size.
    const block = Math.min(n, BLOCK);
    const at = inputs.map(() => ws.alloc(block));
    const src = inputs.map((t) => io.read(t));
    const dst = outputs.map((out) => out.values());
    const update = ws.fn('adam_update');
    for (let start = 0; start < n; start += block) {
      const end = Math.min(n, start + block);
      at.forEach((offset, k) => ws.f32(offset, end - start).set(src[k].subarray(start, end)));
      update(...at, scalarsAt, 0, end - start);
      dst.forEach((values, k) => values.set(ws.f32(at[k], end - start), start));
    }
    return outputs.map((out) => out.info());
  };
}
