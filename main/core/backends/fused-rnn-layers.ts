/**
 * LSTM and GRU layers that run the fused kernels (fused-rnn-kernels.ts) when their configuration
 * is the one the kernels implement, and tfjs-layers' own step-by-step path otherwise. They are
 * subclasses of tfjs's LSTM and GRU with the same className, config and weights, so model.json
 * and exported models are plain tfjs models (an export's examples/predict.mjs loads them with
 * @tensorflow/tfjs alone). Registered under 'LSTM' and 'GRU', so loading a checkpoint and the
 * copies Bidirectional makes of its wrapped layer (it deserializes the layer's config) get them.
 */
import * as tf from '@tensorflow/tfjs';
import type { GRU, GRUCell, GRULayerArgs, LSTM, LSTMCell, LSTMLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
import { fusedRnn, fusedRnnBackend, registerFusedRnnKernels, type RnnCell } from './fused-rnn-kernels';

type Kwargs = Parameters<LSTM['call']>[1];
type RecurrentCell = LSTMCell | GRUCell;

// tfjs-layers' classes, reached through their factories (the package does not export them).
const StockLSTM = tf.layers.lstm({ units: 1 }).constructor as typeof LSTM;
const StockGRU = tf.layers.gru({ units: 1 }).constructor as typeof GRU;

let fusedEnabled = true;

/**
 * Above this many bytes of kernel memory for one call (the backward pass holds the inputs, the
 * saved gates and states, and their gradients), tfjs's own path runs instead: the kernel memory
 * is one WebAssembly memory of at most 2 GiB.
 */
const MAX_KERNEL_BYTES = 1 << 30;

/** Bytes the gradient call needs, roughly: x, dx and [x | h | r·h] rows, the workspace, dy. */
function kernelBytes(x: tf.Tensor, units: number, gates: number): number {
  const [batch, steps, width] = x.shape as [number, number, number];
  return 4 * batch * steps * (3 * width + gates + 5 * units);
}

/** Turns the fused path off (tfjs's own path everywhere) or back on; tests compare the two. */
export function useFusedRnn(on: boolean): void {
  fusedEnabled = on;
}

/** The activation's registered name ('tanh', 'sigmoid', …). */
function activationName(activation: unknown): string {
  return (activation as { getClassName(): string }).getClassName();
}

/**
 * The tensor to run through the fused kernel, or null when this call needs tfjs's path: a mask,
 * an initial state, a stateful layer, states returned, recurrent dropout, other activations, no
 * bias, or an input that is not a float32 [batch, steps, width] tensor.
 */
function fusableInput(layer: LSTM | GRU, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | null {
  if (!fusedEnabled || !fusedRnnBackend(tf.getBackend())) return null;
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
  if (!x || x.rank !== 3 || x.dtype !== 'float32' || x.shape[1] === 0) return null;
  if (kwargs?.mask != null || kwargs?.initialState != null) return null;
  if (layer.stateful || layer.returnState) return null;
  const cell = layer.cell as RecurrentCell;
  if (!cell.useBias || !cell.built) return null;
  if (activationName(cell.activation) !== 'tanh' || activationName(cell.recurrentActivation) !== 'sigmoid') return null;
  if (cell.recurrentDropout > 0 && cell.recurrentDropout < 1) return null;
  const gates = (layer instanceof StockLSTM ? 4 : 3) * cell.units;
  if (kernelBytes(x, cell.units, gates) > MAX_KERNEL_BYTES) return null;
  return x;
}

/**
 * Input dropout as tfjs applies it: one mask per batch (ones where kept, 1/(1−rate) scaled),
 * the same at every time step, drawn only while training.
 */
function dropInputs(cell: RecurrentCell, x: tf.Tensor, kwargs: Kwargs): tf.Tensor {
  const rate = cell.dropout;
  if (!(rate > 0 && rate < 1) || !kwargs?.training) return x;
  const ones = tf.ones([x.shape[0], x.shape[2]] as [number, number]);
  const mask = (cell.dropoutFunc ? cell.dropoutFunc(ones, rate) : tf.dropout(ones, rate)) as tf.Tensor;
  return tf.mul(x, tf.expandDims(mask, 1));
}

function fusedCall(kind: RnnCell, layer: LSTM | GRU, x: tf.Tensor, kwargs: Kwargs): tf.Tensor {
  return tf.tidy(() => {
    const cell = layer.cell as RecurrentCell;
    return fusedRnn(kind, dropInputs(cell, x, kwargs), cell.kernel.read(), cell.recurrentKernel.read(), cell.bias.read(), {
      goBackwards: layer.goBackwards,
      returnSequences: layer.returnSequences,
    });
  });
}

/** tfjs's LSTM, one fused kernel per call where the configuration allows. */
export class FusedLSTM extends StockLSTM {
  static override className = 'LSTM';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = fusableInput(this, inputs, kwargs);
    return x ? fusedCall('lstm', this, x, kwargs) : super.call(inputs, kwargs);
  }
}

/** tfjs's GRU, one fused kernel per call where the configuration allows. */
export class FusedGRU extends StockGRU {
  static override className = 'GRU';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = fusableInput(this, inputs, kwargs);
    return x ? fusedCall('gru', this, x, kwargs) : super.call(inputs, kwargs);
  }
}

/** `tf.layers.lstm` with the fused path. */
export function fusedLstm(args: LSTMLayerArgs): LSTM {
  registerFusedRnn();
  return new FusedLSTM(args);
}

/** `tf.layers.gru` with the fused path. */
export function fusedGru(args: GRULayerArgs): GRU {
  registerFusedRnn();
  return new FusedGRU(args);
}

let registered = false;

/** Registers the kernels, their gradients, and the layers under 'LSTM' and 'GRU' (idempotent). */
export function registerFusedRnn(): void {
  if (registered) return;
  registered = true;
  registerFusedRnnKernels();
  tf.serialization.registerClass(FusedLSTM);
  tf.serialization.registerClass(FusedGRU);
}
