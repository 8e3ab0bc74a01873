/**
 * One kernel module (resources/kernels/<name>.wasm) instantiated once per thread on its own
 * shared memory, with a scratch allocator for the buffers of one call. tfjs tensors live in
 * another memory (the wasm backend's heap, or JS arrays on cpu), so a kernel call copies its
 * inputs into the workspace, runs, and copies its outputs back: a few MB per call, small next
 * to the arithmetic of the kernels that go through here.
 */
import { ensureMemory, instantiateKernels, kernelModule, sharedKernelMemory, type KernelInstance } from './kernel-module';

/** Cache-line alignment for every buffer (SIMD loads never straddle a line at a buffer start). */
const ALIGN = 64;
const align = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1);

/** A kernel export: numbers in, a number (or nothing) out. */
type KernelFn = (...args: number[]) => number;

export class KernelWorkspace {
  readonly kernels: KernelInstance;
  private top: number;
  private readonly fns = new Map<string, KernelFn>();

  constructor(readonly moduleName: string) {
    this.kernels = instantiateKernels(kernelModule(moduleName), sharedKernelMemory());
    this.top = align(this.kernels.heapBase);
  }

  /** Forgets the previous call's buffers (their memory is reused, not zeroed). */
  reset(): void {
    this.top = align(this.kernels.heapBase);
  }

  /** Reserves `count` 4-byte elements; returns the byte offset. Grows the memory when needed. */
  alloc(count: number): number {
    const at = this.top;
    this.top = align(at + Math.max(1, count) * 4);
    ensureMemory(this.kernels.memory, this.top);
    return at;
  }

  /**
   * A view on `count` floats at `offset`. Views stay valid after the memory grows (a shared
   * buffer is never detached), they just do not see the new pages.
   */
  f32(offset: number, count: number): Float32Array {
    return new Float32Array(this.kernels.memory.buffer, offset, count);
  }

  i32(offset: number, count: number): Int32Array {
    return new Int32Array(this.kernels.memory.buffer, offset, count);
  }

  /** The module's exported function `name`. */
  fn(name: string): KernelFn {
    let f = this.fns.get(name);
    if (!f) {
      f = this.kernels.exports[name] as KernelFn | undefined;
      if (typeof f !== 'function') throw new Error(`kernel module ${this.moduleName} has no function ${name}`);
      this.fns.set(name, f);
    }
    return f;
  }
}

const workspaces = new Map<string, KernelWorkspace>();

/** The calling thread's workspace for module `name` (created on first use). */
export function kernelWorkspace(name: string): KernelWorkspace {
  let ws = workspaces.get(name);
  if (!ws) {
    ws = new KernelWorkspace(name);
    workspaces.set(name, ws);
  }
  return ws;
}
