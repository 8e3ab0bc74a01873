/**
 * Fused LSTM and GRU kernels for tfjs (wasm and cpu backends): a whole layer, every time step,
 * forward or backward, in one call to native/kernels/rnn.c on two threads. tfjs-layers runs an
 * RNN as ~15 kernels per time step (thousands per batch, each a tiny matrix product); this is one
 * forward kernel, one gradient kernel, and large products inside.
 *
 * The forward kernel's second output is a handle to the state the gradient kernel needs
 * (activated gates, cells, outputs, in the C module's layout; fused-rnn-state.ts); tfjs keeps it
 * for the gradient through the gradient config's `outputsToSave`. We register the gradient with
 * tf.registerGradient rather than wrap calls in tf.customGrad: the gradient then belongs to the
 * kernel name, so it works for any caller (layers, tf.grad, tests), the engine decides how long
 * the handle lives (while a tape may still need it), and the gradient itself is a registered
 * kernel per backend.
 */
import * as tf from '@tensorflow/tfjs';
import { registerKernelFlops } from './kernel-flops';
import { kernelThreads } from '../native/kernel-threads';
import { kernelWorkspace, type KernelWorkspace } from '../native/kernel-workspace';
import { keepState, releaseState, savedState } from './fused-rnn-state';
import { phases, timings, type RnnCell } from './fused-rnn-timings';
import type { Attrs, KernelParams } from './kernel-types';
import { tensorIO } from './tensor-io';

export type { RnnCell } from './fused-rnn-timings';
export { fusedRnnTimings } from './fused-rnn-timings';

export const FUSED_RNN_KERNELS = {
  lstm: { forward: 'ModelPilotFusedLstm', backward: 'ModelPilotFusedLstmGrad' },
  gru: { forward: 'ModelPilotFusedGru', backward: 'ModelPilotFusedGruGrad' },
} as const;

export interface FusedRnnOptions {
  goBackwards: boolean;
  returnSequences: boolean;
}

const CELL_ID: Record<RnnCell, number> = { lstm: 0, gru: 1 };
const GATES: Record<RnnCell, number> = { lstm: 4, gru: 3 };
/** int32 slots of rnn.c's RnnArgs. */
const ARG_SLOTS = 18;
/**
 * A call's batch is cut into slices the two threads take one at a time, so a thread that gets
 * less CPU (a busy machine) takes fewer. At least 8 rows a slice: a slice runs its sequence as a
 * loop of small products, and thinner ones pay more per row. At most 4 (2 per thread).
 */
const MIN_SLICE_ROWS = 8;
const MAX_SLICES = 4;

/** How many slices a batch is cut into (the forward and the gradient call agree: same batch). */
function slicesFor(batch: number): number {
  return Math.max(1, Math.min(MAX_SLICES, Math.floor(batch / MIN_SLICE_ROWS)));
}

type KernelFn = (...args: number[]) => number;

interface Dims {
  batch: number;
  steps: number;
  in: number;
  units: number;
  gates: number;
}

function dimsOf(cell: RnnCell, x: tf.TensorInfo, recurrentKernel: tf.TensorInfo): Dims {
  const [batch, steps, width] = x.shape;
  const units = recurrentKernel.shape[0];
  return { batch, steps, in: width, units, gates: GATES[cell] * units };
}

/** Buffers of one call in the kernel memory (byte offsets; 0 for the ones the call does not use). */
interface Buffers {
  x: number;
  w: number;
  u: number;
  bias: number;
  y: number;
  ws: number;
  dy: number;
  dx: number;
  dwu: number;
  db: number;
  scratch: number;
}

/** Writes rnn.c's RnnArgs at `at`. */
function writeArgs(ws: KernelWorkspace, at: number, cell: RnnCell, d: Dims, attrs: Attrs, b: Buffers): void {
  ws.i32(at, ARG_SLOTS).set([
    CELL_ID[cell], d.batch, d.steps, d.in, d.units, attrs.goBackwards ? 1 : 0, attrs.returnSequences ? 1 : 0,
    b.x, b.w, b.u, b.bias, b.y, b.ws, b.dy, b.dx, b.dwu, b.db, b.scratch,
  ]);
}

function sizes(ws: KernelWorkspace, cell: RnnCell, d: Dims): { workspace: number; scratch: number; slices: number } {
  const slices = slicesFor(d.batch);
  const workspace = (ws.fn('rnn_workspace_floats') as KernelFn)(CELL_ID[cell], d.batch, d.steps, d.units);
  const scratch = (ws.fn('rnn_scratch_floats') as KernelFn)(CELL_ID[cell], d.batch, d.steps, d.in, d.units, slices);
  return { workspace, scratch, slices };
}

/** Runs `<cell>_<pass>` on every slice of the batch (on two threads when available). */
function runSlices(ws: KernelWorkspace, name: string, argsAt: number, slices: number): void {
  kernelThreads(ws).run(
    name,
    Array.from({ length: slices }, (_, part) => [argsAt, part, slices]),
  );
}

/** Copies `values` into a new buffer of the kernel memory. */
function stage(ws: KernelWorkspace, at: number, values: ArrayLike<number>): void {
  ws.f32(at, values.length).set(values);
}

/**
 * Forward kernel. Inputs x [batch, steps, in], kernel, recurrentKernel, bias; attrs goBackwards,
 * returnSequences and saveWorkspace (false when no tape records: inference keeps nothing).
 * Outputs y ([batch, steps, units] in processing order, as tfjs's rnn(), or [batch, units]) and
 * the handle [1] of the saved state.
 */
export function fusedRnnForward(cell: RnnCell, backendName: 'wasm' | 'cpu'): (params: KernelParams) => tf.TensorInfo[] {
  return (params) => {
    const { x, kernel, recurrentKernel, bias } = params.inputs as Record<string, tf.TensorInfo>;
    const attrs = params.attrs as Attrs;
    const clock = phases(timings()[cell].forward);
    const d = dimsOf(cell, x, recurrentKernel);
    const io = tensorIO(params, backendName);
    const ws = kernelWorkspace('rnn');
    const size = sizes(ws, cell, d);
    const yShape = attrs.returnSequences ? [d.batch, d.steps, d.units] : [d.batch, d.units];
    const yCount = tf.util.sizeFromShape(yShape);
    const y = io.output(yShape);
    const handle = io.output([1]);

    ws.reset();
    const argsAt = ws.alloc(ARG_SLOTS);
    const b: Buffers = {
      x: ws.alloc(d.batch * d.steps * d.in),
      w: ws.alloc(d.in * d.gates),
      u: ws.alloc(d.units * d.gates),
      bias: ws.alloc(d.gates),
      y: ws.alloc(yCount),
      ws: ws.alloc(size.workspace),
      scratch: ws.alloc(size.slices * size.scratch),
      dy: 0,
      dx: 0,
      dwu: 0,
      db: 0,
    };
    stage(ws, b.x, io.read(x));
    stage(ws, b.w, io.read(kernel));
    stage(ws, b.u, io.read(recurrentKernel));
    stage(ws, b.bias, io.read(bias));
    writeArgs(ws, argsAt, cell, d, attrs, b);
    clock.lap('copyInMs');
    runSlices(ws, `${cell}_forward`, argsAt, size.slices);
    clock.lap('runMs');
    y.values().set(ws.f32(b.y, yCount));
    handle.values()[0] = 0;
    const handleInfo = handle.info();
    if (attrs.saveWorkspace) keepState(handleInfo.dataId, ws.f32(b.ws, size.workspace));
    clock.lap('copyOutMs');
    return [y.info(), handleInfo];
  };
}

/**
 * Gradient kernel. Inputs dy (like y), x, kernel, recurrentKernel, workspace (the forward
 * kernel's handle); same attrs. Outputs dx, dKernel, dRecurrentKernel, dBias.
 */
export function fusedRnnBackward(cell: RnnCell, backendName: 'wasm' | 'cpu'): (params: KernelParams) => tf.TensorInfo[] {
  return (params) => {
    const { dy, x, kernel, recurrentKernel, workspace } = params.inputs as Record<string, tf.TensorInfo>;
    const attrs = params.attrs as Attrs;
    const clock = phases(timings()[cell].backward);
    const d = dimsOf(cell, x, recurrentKernel);
    const io = tensorIO(params, backendName);
    const ws = kernelWorkspace('rnn');
    const size = sizes(ws, cell, d);
    const xCount = d.batch * d.steps * d.in;
    const wCount = d.in * d.gates;
    const uCount = d.units * d.gates;
    const dx = io.output(x.shape);
    const dw = io.output(kernel.shape);
    const du = io.output(recurrentKernel.shape);
    const db = io.output([d.gates]);

    ws.reset();
    const argsAt = ws.alloc(ARG_SLOTS);
    const b: Buffers = {
      x: ws.alloc(xCount),
      w: ws.alloc(wCount),
      u: ws.alloc(uCount),
      bias: 0,
      y: 0,
      ws: ws.alloc(size.workspace),
      dy: ws.alloc(tf.util.sizeFromShape(dy.shape)),
      dx: ws.alloc(xCount),
      dwu: ws.alloc(size.slices * (wCount + uCount)),
      db: ws.alloc(size.slices * d.gates),
      scratch: ws.alloc(size.slices * size.scratch),
    };
    stage(ws, b.x, io.read(x));
    stage(ws, b.w, io.read(kernel));
    stage(ws, b.u, io.read(recurrentKernel));
    stage(ws, b.ws, savedState(workspace.dataId));
    stage(ws, b.dy, io.read(dy));
    writeArgs(ws, argsAt, cell, d, attrs, b);
    clock.lap('copyInMs');
    runSlices(ws, `${cell}_backward`, argsAt, size.slices);
    releaseState(workspace.dataId);
    clock.lap('runMs');

    dx.values().set(ws.f32(b.dx, xCount));
    // Each slice's weight gradients ([dW rows; dU rows]) and bias gradient: add them up, in slice order.
    const perSlice = wCount + uCount;
    const parts = ws.f32(b.dwu, size.slices * perSlice);
    const dbParts = ws.f32(b.db, size.slices * d.gates);
    const dwv = dw.values();
    const duv = du.values();
    const dbv = db.values();
    dwv.set(parts.subarray(0, wCount));
    duv.set(parts.subarray(wCount, perSlice));
    dbv.set(dbParts.subarray(0, d.gates));
    for (let p = 1; p < size.slices; p++) {
      const at = p * perSlice;
      for (let i = 0; i < wCount; i++) dwv[i] += parts[at + i];
      for (let i = 0; i < uCount; i++) duv[i] += parts[at + wCount + i];
      for (let i = 0; i < d.gates; i++) dbv[i] += dbParts[p * d.gates + i];
    }
    clock.lap('copyOutMs');
    return [dx.info(), dw.info(), du.info(), db.info()];
  };
}

/** The gradient of the forward kernel: one call of the gradient kernel gives all four. */
function gradConfig(cell: RnnCell): tf.GradConfig {
  return {
    kernelName: FUSED_RNN_KERNELS[cell].forward,
    inputsToSave: ['x', 'kernel', 'recurrentKernel'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved, attrs) => {
      const [x, kernel, recurrentKernel, workspace] = saved;
      const dyY = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor;
      const [dx, dKernel, dRecurrent, dBias] = tf.engine().runKernel(
        FUSED_RNN_KERNELS[cell].backward,
        { dy: dyY, x, kernel, recurrentKernel, workspace },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
      return { x: () => dx, kernel: () => dKernel, recurrentKernel: () => dRecurrent, bias: () => dBias };
    },
  };
}

let registered = false;

/** Registers the forward and gradient kernels for wasm and cpu, and the gradient (idempotent). */
export function registerFusedRnnKernels(): void {
  if (registered) return;
  registered = true;
  for (const cell of ['lstm', 'gru'] as const) {
    for (const backendName of ['wasm', 'cpu'] as const) {
      tf.registerKernel({ kernelName: FUSED_RNN_KERNELS[cell].forward, backendName, kernelFunc: fusedRnnForward(cell, backendName) as tf.KernelFunc });
      tf.registerKernel({ kernelName: FUSED_RNN_KERNELS[cell].backward, backendName, kernelFunc: fusedRnnBackward(cell, backendName) as tf.KernelFunc });
    }
    tf.registerGradient(gradConfig(cell));
    // For the kernel profile: the products of a pass, 2·B·T·(in + units)·gates forward (input
    // projections and recurrence); backward has twice as many (dX, dH, dW and dU).
    const products = (x: readonly number[], kernel: readonly number[], recurrent: readonly number[]) => 2 * x[0] * x[1] * (kernel[0] + recurrent[0]) * kernel[1];
    registerKernelFlops(FUSED_RNN_KERNELS[cell].forward, ([x, kernel, recurrent]) => products(x, kernel, recurrent));
    registerKernelFlops(FUSED_RNN_KERNELS[cell].backward, ([, x, kernel, recurrent]) => 2 * products(x, kernel, recurrent));
  }
}

/** Backends the fused kernels are registered for. */
export function fusedRnnBackend(name: string): boolean {
  return name === 'wasm' || name === 'cpu';
}

/**
 * The layer's output through the fused kernel: x [batch, steps, in] float32 → [batch, units], or
 * [batch, steps, units] with returnSequences (processing order, as tfjs's rnn()).
 */
export function fusedRnn(cell: RnnCell, x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, options: FusedRnnOptions): tf.Tensor {
  const engine = tf.engine();
  const attrs = { goBackwards: options.goBackwards, returnSequences: options.returnSequences, saveWorkspace: engine.isTapeOn() };
  const [y, handle] = engine.runKernel(FUSED_RNN_KERNELS[cell].forward, { x, kernel, recurrentKernel, bias }, attrs) as tf.Tensor[];
  // The tape (when one records) keeps its own reference to the handle; this one is not needed.
  handle.dispose();
  return y;
}
