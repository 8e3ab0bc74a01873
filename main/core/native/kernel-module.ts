/**
 * The app's own WebAssembly kernels (native/kernels/*.c, built by scripts/build-kernels.mjs into
 * resources/kernels/). Every module imports one shared memory, so a second thread can run the
 * same module on the same buffers; each thread instance gets its own stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceDir } from '../resources';

const PAGE = 65536;
/** Matches the build's --max-memory (2 GiB). */
const MAX_PAGES = 32768;

export function kernelsDir(): string {
  return resourceDir('kernels', 'simd-ceiling.wasm', process.env.MODELPILOT_KERNELS);
}

const compiled = new Map<string, WebAssembly.Module>();

/** The compiled module `resources/kernels/<name>.wasm` (compiled once per thread). */
export function kernelModule(name: string): WebAssembly.Module {
  let module = compiled.get(name);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(join(kernelsDir(), `${name}.wasm`)));
    compiled.set(name, module);
  }
  return module;
}

export interface KernelInstance {
  exports: WebAssembly.Exports;
  memory: WebAssembly.Memory;
  /** First byte after the module's static data and its (first) stack: free for buffers. */
  heapBase: number;
}

/** A shared memory for kernel modules, `pages` of 64 KiB to start. */
export function sharedKernelMemory(pages = 32): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
}

/**
 * Instantiates `module` on `memory`. With `stackTop` (a second thread's instance on the same
 * memory) the instance's stack pointer moves there, so two threads never share a stack.
 */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory, stackTop?: number): KernelInstance {
  // exp and log from the host for kernels that need them only a few times per call (libm-free build).
  const instance = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } });
  const heapBase = (instance.exports.__heap_base as WebAssembly.Global).value as number;
  if (stackTop !== undefined) (instance.exports.__stack_pointer as WebAssembly.Global).value = stackTop;
  return { exports: instance.exports, memory, heapBase };
}

/** Grows `memory` so that `bytes` fit; returns the memory's byte length. */
export function ensureMemory(memory: WebAssembly.Memory, bytes: number): number {
  const pages = Math.ceil(bytes / PAGE);
  const have = memory.buffer.byteLength / PAGE;
  if (pages > MAX_PAGES) throw new RangeError(`kernel memory of ${bytes} bytes exceeds the 2 GiB limit`);
  if (pages > have) memory.grow(pages - have);
  return memory.buffer.byteLength;
}
