/**
 * Floating-point operations of one kernel call, from the shapes a tfjs profile records, for the
 * kernels whose efficiency is worth a figure (products and convolutions; elementwise kernels are
 * bound by memory, not arithmetic). Fast kernels add their own counts with `registerKernelFlops`.
 */
type Shape = readonly number[];
export type FlopCounter = (inputs: readonly Shape[], outputs: readonly Shape[]) => number;

const size = (shape: Shape | undefined) => (shape ?? []).reduce((a, b) => a * b, 1);

const counters = new Map<string, FlopCounter>([
  // out [b, m, n]; the shared dimension k = size(a) / (b·m) = size(a)·n / size(out), whatever the transposes.
  ['BatchMatMul', ([a], [out]) => 2 * size(a) * out[out.length - 1]],
  ['_FusedMatMul', ([a], [out]) => 2 * size(a) * out[out.length - 1]],
  // filter [kh, kw, c, f]: every output element is a dot product of kh·kw·c.
  ['Conv2D', ([, filter], [out]) => 2 * size(out) * size(filter.slice(0, 3))],
  ['FusedConv2D', ([, filter], [out]) => 2 * size(out) * size(filter.slice(0, 3))],
  // inputs: x and dy; out is the filter gradient [kh, kw, c, f].
  ['Conv2DBackpropFilter', ([, dy], [out]) => 2 * size(dy) * size(out.slice(0, 3))],
  // inputs: dy and filter.
  ['Conv2DBackpropInput', ([dy, filter]) => 2 * size(dy) * size(filter.slice(0, 3))],
]);

export function registerKernelFlops(kernelName: string, counter: FlopCounter): void {
  counters.set(kernelName, counter);
}

/** FLOPs of one call, or null when the kernel has no count. */
export function kernelFlops(kernelName: string, inputs: readonly Shape[], outputs: readonly Shape[]): number | null {
  const counter = counters.get(kernelName);
  return counter ? counter(inputs, outputs) : null;
}
