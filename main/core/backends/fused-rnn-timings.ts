/**
 * Where the fused recurrent kernels spend their time (fused-rnn-kernels.ts): copies into the
 * kernel memory, the kernel itself, copies back. Profiling reads it to split a training step into
 * kernel time and the rest; the bench reports kernel GFLOP/s from it.
 */
export type RnnCell = 'lstm' | 'gru';

/** Where one kind of call spent its time (milliseconds, summed over calls). */
export interface CallTimings {
  calls: number;
  /** Copying inputs from tfjs into the kernel memory. */
  copyInMs: number;
  /** The kernel itself, every slice of the batch on both threads. */
  runMs: number;
  /** Copying results back into tfjs tensors. */
  copyOutMs: number;
}

type Timings = Record<RnnCell, { forward: CallTimings; backward: CallTimings }>;

const emptyTimings = (): Timings => {
  const zero = (): CallTimings => ({ calls: 0, copyInMs: 0, runMs: 0, copyOutMs: 0 });
  return { lstm: { forward: zero(), backward: zero() }, gru: { forward: zero(), backward: zero() } };
};

let current = emptyTimings();

/** The running totals, for the kernels to add to. */
export function timings(): Timings {
  return current;
}

/** Time spent in the fused kernels since the last reset; `reset` starts over after reading. */
export function fusedRnnTimings(reset = false): Timings {
  const read = current;
  if (reset) current = emptyTimings();
  return read;
}

/** Stopwatch for the phases of one call. */
export function phases(t: CallTimings): { lap(phase: 'copyInMs' | 'runMs' | 'copyOutMs'): void } {
  t.calls++;
  let last = performance.now();
  return {
    lap(phase) {
      const now = performance.now();
      t[phase] += now - last;
      last = now;
    },
  };
}

