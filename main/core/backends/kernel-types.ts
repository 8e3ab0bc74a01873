/** Shared types of the hand-written kernels (tfjs's KernelFunc parameters, a cpu backend view). */
import type * as tf from '@tensorflow/tfjs';

export type KernelParams = Parameters<tf.KernelFunc>[0];
export type Attrs = NonNullable<KernelParams['attrs']>;

/** The two calls of the cpu backend we use; typed here so we need not depend on its package. */
export interface CpuBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}
