/**
 * What a fused RNN forward call saves for its gradient call (activated gates, cells, outputs: a
 * few MB per layer and batch), held in JS and found again through the forward kernel's second
 * output, a 1-element handle tensor.
 *
 * Why not a tensor of that size: tfjs fills the gradient of every kernel output that does not
 * reach the loss with zeros of the output's size before calling the gradient function (tfjs-core
 * engine addTapeNode; the saved state never reaches the loss). On wasm that cost ~4 ms a batch on
 * text-lstm: a 10 MB zero-filled array moved into the backend's heap. A handle's zeros are one float.
 *
 * The state lives exactly as long as the handle's data: tfjs keeps the handle for the gradient
 * (outputsToSave) and drops it after backprop or when nothing records a tape. A WeakMap keyed by
 * the handle's data id lets the state go with it; the gradient call hands its buffer back for the
 * next forward call, so training does not allocate (and zero) 10 MB per batch.
 */
const states = new WeakMap<object, Float32Array>();
/** Buffers of finished gradient calls, reused by later forward calls of the same size. */
const spare: Float32Array[] = [];
const MAX_SPARE = 4;

/** Keeps a copy of `values` for the call whose handle has data id `dataId`. */
export function keepState(dataId: object, values: Float32Array): void {
  const at = spare.findIndex((buffer) => buffer.length === values.length);
  const copy = at >= 0 ? spare.splice(at, 1)[0] : new Float32Array(values.length);
  copy.set(values);
  states.set(dataId, copy);
}

/** The state saved for `dataId`; throws when there is none (a handle from another call). */
export function savedState(dataId: object): Float32Array {
  const state = states.get(dataId);
  if (!state) throw new Error('fused RNN gradient: the forward call saved no state (was it run without a gradient tape?)');
  return state;
}

/** The gradient call is done with the state: its buffer goes to the next forward call. */
export function releaseState(dataId: object): void {
  const state = states.get(dataId);
  if (!state) return;
  states.delete(dataId);
  if (spare.length >= MAX_SPARE) spare.shift();
  spare.push(state);
}
