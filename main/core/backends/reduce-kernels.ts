/**
 * Max, Sum and Mean over a contiguous block of axes, and the gradients of Max and Mean, on the SIMD
 * kernels of native/kernels/reduce.c, for wasm and cpu. The text models reduce over the time
 * axis of [batch, time, channels] (global max and average pools) and over batch and time (a
 * bias gradient); tfjs's kernels transpose such inputs first (2 ms of a text-cnn step for the
 * pool alone), these read them in place.
 *
 * tfjs's gradient of Max is dy · cast(equal(x, y)): three full-size kernels, and wasm's
 * broadcasting Equal alone took ~25 ms of a ~70 ms text-cnn step. `ReduceMaxGrad` finds the
 * positions equal to the max in one pass and writes dy there into a zeroed dx. The gradient of
 * Mean (text-bow) is (dy · ones) / n, two full-size kernels; `ReduceMeanGrad` writes dy / n.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelWorkspace, type KernelWorkspace } from '../native/kernel-workspace';
import type { Attrs, KernelParams } from './kernel-types';
import { tensorIO, type TensorIO } from './tensor-io';

/** Our kernel for the gradient of `Max`: inputs dy, x, y (the max); attrs `axes`. */
export const REDUCE_MAX_GRAD = 'ReduceMaxGrad';
/** Our kernel for the gradient of `Mean`: inputs dy, x (for its shape); attrs `axes`. */
export const REDUCE_MEAN_GRAD = 'ReduceMeanGrad';

/** Below this many elements the stock kernels are as fast as a copy into the workspace. */
const MIN_ELEMENTS = 1 << 14;

interface Block {
  outer: number;
  mid: number;
  inner: number;
}

/** x viewed as [outer, mid, inner] with `axes` = mid, or null when the axes are not one contiguous block. */
export function reductionBlock(shape: number[], axes: number[]): Block | null {
  if (axes.length === 0) return null;
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.some((a, i) => i > 0 && a !== sorted[i - 1] + 1)) return null;
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  return {
    outer: tf.util.sizeFromShape(shape.slice(0, first)),
    mid: tf.util.sizeFromShape(shape.slice(first, last + 1)),
    inner: tf.util.sizeFromShape(shape.slice(last + 1)),
  };
}

/** x's reduction block when our kernels take the call: float32, big enough, contiguous axes. */
function coveredBlock(x: tf.TensorInfo, axes: number[]): Block | null {
  if (x.dtype !== 'float32' || tf.util.sizeFromShape(x.shape) < MIN_ELEMENTS) return null;
  const block = reductionBlock(x.shape, axes);
  return block && block.mid > 0 ? block : null;
}

/** Copies x into the reduce workspace; returns its offset. */
function stage(ws: KernelWorkspace, io: TensorIO, x: tf.TensorInfo, count: number): number {
  const at = ws.alloc(count);
  ws.f32(at, count).set(io.read(x).subarray(0, count));
  return at;
}

/** A reduction kernel (`Max`, `Sum`, `Mean`) over the block, through `run(ws, xAt, yAt, block)`. */
function reduceKernel(
  backendName: 'wasm' | 'cpu',
  stock: tf.KernelFunc,
  axesAttr: string,
  run: (ws: KernelWorkspace, xAt: number, yAt: number, block: Block) => void,
): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const x = params.inputs.x as tf.TensorInfo;
    const attrs = params.attrs as Attrs;
    const axes = tf.util.parseAxisParam(attrs[axesAttr] as number | number[], x.shape);
    const block = coveredBlock(x, axes);
    if (!block) return stock(params) as tf.TensorInfo;
    const reduced = x.shape.filter((_, i) => !axes.includes(i));
    const io = tensorIO(params, backendName);
    const out = io.output(attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(reduced, axes) : reduced);
    const ws = kernelWorkspace('reduce');
    ws.reset();
    const xAt = stage(ws, io, x, block.outer * block.mid * block.inner);
    const yAt = ws.alloc(block.outer * block.inner);
    run(ws, xAt, yAt, block);
    out.values().set(ws.f32(yAt, block.outer * block.inner));
    return out.info();
  };
}

/** `Max` with cpu's NaN rule (a NaN wins). */
export const maxKernel = (backendName: 'wasm' | 'cpu', stock: tf.KernelFunc) =>
  reduceKernel(backendName, stock, 'reductionIndices', (ws, xAt, yAt, { outer, mid, inner }) => ws.fn('reduce_max')(xAt, yAt, mid, inner, 0, outer));

export const sumKernel = (backendName: 'wasm' | 'cpu', stock: tf.KernelFunc) =>
  reduceKernel(backendName, stock, 'axis', (ws, xAt, yAt, { outer, mid, inner }) => ws.fn('reduce_sum')(xAt, yAt, mid, inner, 1, 0, outer));

/** `Mean`: the sum divided by the count, as tfjs computes it. */
export const meanKernel = (backendName: 'wasm' | 'cpu', stock: tf.KernelFunc) =>
  reduceKernel(backendName, stock, 'axis', (ws, xAt, yAt, { outer, mid, inner }) => ws.fn('reduce_sum')(xAt, yAt, mid, inner, mid, 0, outer));

/** What both gradient kernels start from: x as [outer, mid, inner], an output of x's shape, a fresh workspace. */
function gradientSetup(params: KernelParams, backendName: 'wasm' | 'cpu') {
  const x = params.inputs.x as tf.TensorInfo;
  const { outer, mid, inner } = reductionBlock(x.shape, (params.attrs as Attrs).axes as number[])!;
  const io = tensorIO(params, backendName);
  const out = io.output(x.shape);
  const ws = kernelWorkspace('reduce');
  ws.reset();
  return { x, outer, mid, inner, io, out, ws };
}

/** `ReduceMaxGrad`: dx = dy where x equals its max (every tie gets it, as in tfjs), else 0. */
export function reduceMaxGradKernel(backendName: 'wasm' | 'cpu'): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const { x, outer, mid, inner, io, out, ws } = gradientSetup(params, backendName);
    const size = outer * mid * inner;
    const xAt = stage(ws, io, x, size);
    const yAt = stage(ws, io, params.inputs.y as tf.TensorInfo, outer * inner);
    const idxAt = ws.alloc(size);
    const count = ws.fn('reduce_max_positions')(xAt, yAt, outer, mid, inner, idxAt);
    const idx = ws.i32(idxAt, count);
    const dx = out.values();
    dx.fill(0);
    const dy = io.read(params.inputs.dy as tf.TensorInfo);
    const plane = mid * inner;
    for (let k = 0; k < count; k++) {
      const at = idx[k];
      dx[at] = dy[Math.floor(at / plane) * inner + (at % inner)];
    }
    return out.info();
  };
}

/** `ReduceMeanGrad`: dx = dy / n broadcast over the reduced axes (tfjs's (dy · 1) / n, bit for bit). */
export function reduceMeanGradKernel(backendName: 'wasm' | 'cpu'): (params: KernelParams) => tf.TensorInfo {
  return (params) => {
    const { outer, mid, inner, io, out, ws } = gradientSetup(params, backendName);
    const dyAt = stage(ws, io, params.inputs.dy as tf.TensorInfo, outer * inner);
    const dxAt = ws.alloc(outer * mid * inner);
    ws.fn('reduce_mean_grad')(dyAt, dxAt, outer, mid, inner, mid);
    out.values().set(ws.f32(dxAt, outer * mid * inner));
    return out.info();
  };
}

/**
 * Replaces tfjs's gradients of `Max` and `Mean` with ones that run our kernel where the active
 * backend has it (wasm, cpu) and our forward kernel would take the call; elsewhere (tfjs-node,
 * other layouts) tfjs's own gradient runs.
 */
export function registerReduceGradients(): void {
  const stockMax = tf.getGradient('Max');
  tf.registerGradient({
    kernelName: 'Max',
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved;
      const axes = tf.util.parseAxisParam(attrs.reductionIndices as number | number[], x.shape);
      const fast = tf.getKernel(REDUCE_MAX_GRAD, tf.getBackend()) && coveredBlock(x, axes) && (dy as tf.Tensor).dtype === 'float32';
      if (!fast) return stockMax.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(REDUCE_MAX_GRAD, { dy: dy as tf.Tensor, x, y }, { axes } as unknown as tf.NamedAttrMap) as tf.Tensor };
    },
  });
  const stockMean = tf.getGradient('Mean');
  tf.registerGradient({
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const fast = tf.getKernel(REDUCE_MEAN_GRAD, tf.getBackend()) && coveredBlock(x, axes) && (dy as tf.Tensor).dtype === 'float32';
      if (!fast) return stockMean.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(REDUCE_MEAN_GRAD, { dy: dy as tf.Tensor, x }, { axes } as unknown as tf.NamedAttrMap) as tf.Tensor };
    },
  });
}
