/**
 * Messages between the compute worker and the class that owns it. Discriminated by `type`,
 * numbered per direction (`seq`), and tied to a job by `jobId`; errors cross as plain
 * `{ name, message, stack }` (plus a CoreError's code and params) since Error objects do not.
 */
import type { Row } from '../contract/data';
import type { ModelInfo, ModelSource, PredictResponse } from '../contract/export';
import type { BackendId } from '../contract/schemas';
import type { BackendReport, ModelEstimate, ProgressEvent, RunFile } from '../contract/training';
import { CoreError } from '../core/errors';
import type { ErrorCode } from '../contract/errors';
import type { ControlAction } from '../core/training/control';
import type { EstimateRequest } from '../core/training/estimate';
import type { TrainRequest } from '../core/training/trainer';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: ErrorCode;
  params?: Record<string, string | number>;
}

/** Owner → worker. */
export type ToWorker =
  | { type: 'init'; seq: number; jobId: null; forced: BackendId | null; nativeLost: boolean }
  | { type: 'train'; seq: number; jobId: string; request: TrainRequest; batchEventIntervalMs?: number }
  | { type: 'estimate'; seq: number; jobId: string; request: EstimateRequest }
  | { type: 'control'; seq: number; jobId: string; action: ControlAction }
  /** Score rows with a run's model or an exported file (`fresh`: load it again, bypassing the cache). */
  | { type: 'predict'; seq: number; jobId: string; source: ModelSource; rows: Row[]; cleaned?: boolean; fresh?: boolean }
  /** Load a model (or take it from the cache) and say what it is. */
  | { type: 'describe'; seq: number; jobId: string; source: ModelSource }
  /** Test hooks, honoured only when MODELPILOT_DEBUG_HOOKS=1: crash or exhaust the heap. */
  | { type: 'debug'; seq: number; jobId: null; action: 'crash' | 'oom' };

/** Worker → owner. */
export type FromWorker =
  | { type: 'ready'; seq: number; jobId: null; tfBackend: string }
  | { type: 'backend'; seq: number; jobId: string; report: BackendReport; nativeLoaded: BackendId | null }
  | { type: 'progress'; seq: number; jobId: string; event: ProgressEvent }
  /** `retire`: the worker exits right after this reply; the owner must not send it more work. */
  | { type: 'trained'; seq: number; jobId: string; run: RunFile; retire?: boolean }
  | { type: 'estimated'; seq: number; jobId: string; estimates: ModelEstimate[] }
  | { type: 'predicted'; seq: number; jobId: string; response: PredictResponse }
  | { type: 'described'; seq: number; jobId: string; info: ModelInfo }
  | { type: 'failed'; seq: number; jobId: string | null; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof CoreError) return { name: error.name, message: error.message, stack: error.stack, code: error.code, params: error.params };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** Back to an Error on this side: a CoreError when it carried a code, so hosts word it properly. */
export function deserializeError(error: SerializedError): Error {
  const revived = error.code ? new CoreError(error.code, error.message, error.params ?? {}) : new Error(error.message);
  revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}
