/** A rough, honest estimate of the memory a training run needs (shown next to each model). */
import type * as tf from '@tensorflow/tfjs';

const FLOAT = 4;

/**
 * Weights + gradients + optimizer slots (Adam keeps two per weight, momentum one) + activations
 * of one batch kept for backprop (recurrent layers keep every time step) + the encoded data.
 * Real peaks vary with the backend's allocator; treat it as an order of magnitude.
 */
export function estimateTrainingMemory(
  model: tf.LayersModel,
  options: { batchSize: number; optimizer: 'adam' | 'sgd'; rows: number; valuesPerRow: number },
): number {
  const params = model.countParams();
  const slots = options.optimizer === 'adam' ? 2 : 1;
  let activationsPerSample = 0;
  for (const layer of model.layers) {
    const shape = layer.outputShape as (number | null)[] | (number | null)[][];
    const first = Array.isArray(shape[0]) ? (shape[0] as (number | null)[]) : (shape as (number | null)[]);
    const size = first.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
    const steps = recurrentSteps(layer);
    // A recurrent cell keeps its gate values (~4-6 per unit) for every step it unrolls.
    activationsPerSample += steps > 1 ? size * steps * 6 : size;
  }
  // Forward values, their gradients and temporaries: about three copies.
  const activations = activationsPerSample * options.batchSize * FLOAT * 3;
  const data = options.rows * (options.valuesPerRow + 1) * FLOAT;
  return Math.round(params * FLOAT * (2 + slots) + activations + data);
}

function recurrentSteps(layer: tf.layers.Layer): number {
  const className = layer.getClassName();
  if (!['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional'].includes(className)) return 1;
  const input = layer.inputSpec?.[0]?.shape ?? (layer as unknown as { batchInputShape?: (number | null)[] }).batchInputShape;
  const fromInbound = (layer.input as tf.SymbolicTensor | undefined)?.shape?.[1];
  return (typeof fromInbound === 'number' ? fromInbound : input?.[1]) ?? 1;
}
