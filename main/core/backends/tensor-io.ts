/**
 * Reading kernel inputs and writing kernel outputs the same way on the wasm and cpu backends,
 * so a hand-written kernel has one body for both. On wasm, values are views on the backend's
 * heap; creating an output may grow that heap and detach older views, so a kernel creates all
 * its outputs first and reads its inputs after.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { CpuBackendLike, KernelParams } from './kernel-types';

export interface Output<T extends tf.TypedArray = Float32Array> {
  /** Where to write the output's values (not zeroed on wasm; take it after the last allocation). */
  values: () => T;
  /** The finished output for tfjs. */
  info: () => tf.TensorInfo;
}

type NumericDType = 'float32' | 'int32' | 'bool';

export interface TensorIO {
  /** The values of `t` (a heap view on wasm: do not keep it across allocations). */
  read(t: tf.TensorInfo): tf.TypedArray;
  /** A new float32 output of `shape`. */
  output(shape: number[]): Output;
  /** A new output of `shape` and `dtype`. */
  outputOf(shape: number[], dtype: NumericDType): Output<tf.TypedArray>;
}

function wasmIO(backend: BackendWasm): TensorIO {
  const outputOf = (shape: number[], dtype: NumericDType) => {
    const info = backend.makeOutput(shape, dtype);
    return { values: () => backend.typedArrayFromHeap(info), info: () => info };
  };
  return {
    read: (t) => backend.typedArrayFromHeap(t),
    output: (shape) => outputOf(shape, 'float32') as Output,
    outputOf,
  };
}

function cpuIO(backend: CpuBackendLike): TensorIO {
  const outputOf = (shape: number[], dtype: NumericDType) => {
    const values = tf.util.getTypedArrayFromDType(dtype, tf.util.sizeFromShape(shape)) as tf.TypedArray;
    return { values: () => values, info: () => backend.makeTensorInfo(shape, dtype, values) };
  };
  return {
    read: (t) => backend.readSync(t.dataId) as tf.TypedArray,
    output: (shape) => outputOf(shape, 'float32') as Output,
    outputOf,
  };
}

/** The IO of the kernel call's backend ('wasm' or 'cpu', as the kernel was registered for). */
export function tensorIO(params: KernelParams, backendName: 'wasm' | 'cpu'): TensorIO {
  return backendName === 'wasm' ? wasmIO(params.backend as BackendWasm) : cpuIO(params.backend as CpuBackendLike);
}
