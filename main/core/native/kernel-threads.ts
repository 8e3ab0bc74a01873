/**
 * A second thread for the app's WebAssembly kernels. A kernel call is split into parts (two
 * halves of a range, four slices of a batch…) that write disjoint outputs; the calling thread and
 * a helper worker_threads Worker take parts from a shared counter until none are left, so a thread
 * that gets less CPU (the machine is busy, the UI wants a core) simply takes fewer parts. The
 * helper instantiates the same module on the same shared memory, with its own stack. One
 * hand-off per call, not per part:
 *
 *   const threads = kernelThreads(kernelWorkspace('rnn'));
 *   threads.run('lstm_forward', [[args, 0, 4], [args, 1, 4], [args, 2, 4], [args, 3, 4]]);
 *
 * Results do not depend on which thread ran which part (each part computes the same thing
 * wherever it runs), so one thread and two give the same bits.
 *
 * Never deadlocks: an exception in a part (on either thread) is rethrown here once both threads
 * are out of the call; a helper that has not picked the call up (asleep, starting, or gone) finds
 * every part taken; a helper that started and never finishes is given up on after a generous
 * timeout (then everything runs on the calling thread). The helper is unref'd, so it never keeps
 * a process alive, and Node ends it with the thread that created it (the compute worker).
 */
import { Worker } from 'node:worker_threads';
import { kernelModule } from './kernel-module';
import type { KernelWorkspace } from './kernel-workspace';

/** The control block shared with the helper, as int32 slots. */
const STATE = 0;
/** The next part to take (both threads add 1 and run what they got, while it is below PARTS). */
const NEXT = 1;
const PARTS = 2;
const NAME_LEN = 3;
const ERR_LEN = 4;
/** Parts the helper ran in the last call. */
const HELPER_PARTS = 5;
const MAX_PARTS = 16;
const MAX_ARGS = 24;
/** Per part: its argument count, then its arguments. */
const PART_AT = 8;
const PART_SLOTS = MAX_ARGS + 1;
const NAME_AT = (PART_AT + MAX_PARTS * PART_SLOTS) * 4;
const NAME_BYTES = 128;
const ERR_AT = NAME_AT + NAME_BYTES;
const ERR_BYTES = 1024;
const CONTROL_BYTES = ERR_AT + ERR_BYTES;

const IDLE = 0;
const POSTED = 1;
const RUNNING = 2;
const DONE = 3;
const FAILED = 4;

/** Each thread gets half of the module's 64 KiB stack (the kernels use a few hundred bytes). */
const HELPER_STACK_OFFSET = 32 * 1024;

/** How long the helper may stay in a call after the caller ran out of parts, before it is given up on. */
const STUCK_MS = 30_000;

/** The helper's doorbell (one for every module it serves): a counter, then a closed flag. */
const RING = 0;
const CLOSED_FLAG = 1;

/**
 * The helper's source (CommonJS, started with `eval: true` so no extra build entry is needed).
 * It sleeps on the doorbell with Atomics.wait (a futex: it wakes within microseconds, where
 * Atomics.waitAsync goes through the event loop and takes ~50 µs), claims a posted call by
 * POSTED → RUNNING, takes parts until none are left, and reports DONE or FAILED with the message.
 * Every 20 ms it returns to its event loop for a moment, so modules attached by message (and
 * termination) get through. Kernel modules import their memory and Math functions only
 * (kernel-module.ts), so those are resolved by name here.
 */
const HELPER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const C = ${JSON.stringify({ STATE, NEXT, PARTS, NAME_LEN, ERR_LEN, HELPER_PARTS, PART_AT, PART_SLOTS, NAME_AT, ERR_AT, ERR_BYTES, POSTED, RUNNING, DONE, FAILED, RING, CLOSED_FLAG })};
const doorbell = new Int32Array(workerData.doorbell);
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const pools = [];
function runCall({ ctl, bytes, exports }) {
  let state = C.DONE;
  let ran = 0;
  try {
    const fn = exports[decoder.decode(bytes.slice(C.NAME_AT, C.NAME_AT + ctl[C.NAME_LEN]))];
    for (;;) {
      const part = Atomics.add(ctl, C.NEXT, 1);
      if (part >= ctl[C.PARTS]) break;
      const at = C.PART_AT + part * C.PART_SLOTS;
      fn(...ctl.subarray(at + 1, at + 1 + ctl[at]));
      ran++;
    }
  } catch (error) {
    Atomics.store(ctl, C.NEXT, ctl[C.PARTS]);
    const message = encoder.encode(String((error && error.stack) || error)).slice(0, C.ERR_BYTES);
    bytes.set(message, C.ERR_AT);
    ctl[C.ERR_LEN] = message.length;
    state = C.FAILED;
  }
  ctl[C.HELPER_PARTS] = ran;
  Atomics.store(ctl, C.STATE, state);
  Atomics.notify(ctl, C.STATE);
}
function serve() {
  const until = Date.now() + 20;
  for (;;) {
    if (Atomics.load(doorbell, C.CLOSED_FLAG)) return;
    const rung = Atomics.load(doorbell, C.RING);
    for (const pool of pools) if (Atomics.compareExchange(pool.ctl, C.STATE, C.POSTED, C.RUNNING) === C.POSTED) runCall(pool);
    const left = until - Date.now();
    if (left <= 0 || Atomics.wait(doorbell, C.RING, rung, left) === 'timed-out') return void setImmediate(serve);
  }
}
parentPort.on('message', ({ module, memory, stackTop, control }) => {
  const env = { memory };
  for (const entry of WebAssembly.Module.imports(module)) if (entry.kind === 'function') env[entry.name] = Math[entry.name];
  const instance = new WebAssembly.Instance(module, { env });
  instance.exports.__stack_pointer.value = stackTop;
  pools.push({ ctl: new Int32Array(control), bytes: new Uint8Array(control), exports: instance.exports });
});
serve();
`;

/**
 * Each part's arguments: the kernel is called once per part, `fn(...part)`. They cross to the
 * helper as int32 (pointers, counts), so a float argument must go through memory instead.
 */
export type KernelParts = readonly (readonly number[])[];

export interface KernelThreads {
  /** 2 while the helper is usable, 1 once it is not (or when threads were not wanted). */
  readonly threads: number;
  /** Parts the helper ran so far (the others ran on the calling thread). */
  readonly helperRuns: number;
  /** Runs `fnName(...part)` for every part, on both threads; returns when all are done. */
  run(fnName: string, parts: KernelParts): void;
}

let helper: Worker | null = null;
let doorbell: Int32Array | null = null;
let helperFailed = false;
let singleThread = false;

/** The one helper Worker of this thread (created on first use). */
function helperWorker(): Worker | null {
  if (helperFailed) return null;
  if (!helper) {
    let worker: Worker;
    const bell = new Int32Array(new SharedArrayBuffer(8));
    try {
      worker = new Worker(HELPER_SOURCE, { eval: true, name: 'kernel-helper', workerData: { doorbell: bell.buffer } });
    } catch {
      helperFailed = true;
      return null;
    }
    worker.unref();
    const lost = () => {
      if (helper !== worker) return;
      helperFailed = true;
      helper = null;
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    helper = worker;
    doorbell = bell;
  }
  return helper;
}

/** True when every function the module imports is a Math function the helper can supply. */
function helperCanInstantiate(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).every(
    (entry) => entry.kind === 'memory' || (entry.kind === 'function' && typeof (Math as unknown as Record<string, unknown>)[entry.name] === 'function'),
  );
}

class TwoThreads implements KernelThreads {
  private readonly ctl: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly names = new Map<string, Uint8Array>();
  private broken = false;
  helperRuns = 0;

  constructor(
    private readonly workspace: KernelWorkspace,
    private readonly worker: Worker | null,
    private readonly bell: Int32Array | null,
  ) {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.ctl = new Int32Array(control);
    this.bytes = new Uint8Array(control);
    if (!worker || !bell) {
      this.broken = true;
      return;
    }
    const module = kernelModule(this.workspace.moduleName);
    const memory = this.workspace.kernels.memory;
    const stackTop = ((this.workspace.kernels.exports.__stack_pointer as WebAssembly.Global).value as number) - HELPER_STACK_OFFSET;
    worker.postMessage({ module, memory, stackTop, control });
  }

  get threads(): number {
    return this.broken || helperFailed || singleThread ? 1 : 2;
  }

  run(fnName: string, parts: KernelParts): void {
    // Checked on one thread too, so a kernel that works here cannot break once the helper is up.
    if (!parts.every((args) => args.every((a) => (a | 0) === a))) throw new RangeError(`kernel ${fnName}: arguments must be 32-bit integers (pass floats through memory)`);
    const fn = this.workspace.fn(fnName);
    if (this.threads === 1 || parts.length < 2) {
      for (const part of parts) fn(...part);
      return;
    }
    this.post(fnName, parts);
    const started = performance.now();
    let failure: unknown = null;
    try {
      for (;;) {
        const part = Atomics.add(this.ctl, NEXT, 1);
        if (part >= parts.length) break;
        fn(...parts[part]);
      }
    } catch (error) {
      failure = error;
      Atomics.store(this.ctl, NEXT, parts.length);
    }
    // Not picked up (helper asleep, starting, or gone): every part was taken here.
    if (Atomics.compareExchange(this.ctl, STATE, POSTED, IDLE) === POSTED) {
      if (failure) throw failure;
      return;
    }
    const state = this.awaitHelper(performance.now() - started);
    this.helperRuns += this.ctl[HELPER_PARTS];
    Atomics.store(this.ctl, STATE, IDLE);
    if (failure) throw failure;
    if (state === FAILED) {
      const message = new TextDecoder().decode(this.bytes.slice(ERR_AT, ERR_AT + this.ctl[ERR_LEN]));
      throw new Error(`kernel ${fnName} failed on the helper thread: ${message}`);
    }
  }

  private post(fnName: string, parts: KernelParts): void {
    if (parts.length > MAX_PARTS) throw new RangeError(`kernel ${fnName}: at most ${MAX_PARTS} parts`);
    let name = this.names.get(fnName);
    if (!name) {
      name = new TextEncoder().encode(fnName);
      if (name.length > NAME_BYTES) throw new RangeError(`kernel name ${fnName} is too long`);
      this.names.set(fnName, name);
    }
    this.bytes.set(name, NAME_AT);
    this.ctl[NAME_LEN] = name.length;
    parts.forEach((args, i) => {
      if (args.length > MAX_ARGS) throw new RangeError(`kernel ${fnName}: at most ${MAX_ARGS} arguments`);
      const at = PART_AT + i * PART_SLOTS;
      this.ctl[at] = args.length;
      this.ctl.set(args, at + 1);
    });
    this.ctl[PARTS] = parts.length;
    this.ctl[HELPER_PARTS] = 0;
    Atomics.store(this.ctl, NEXT, 0);
    Atomics.store(this.ctl, STATE, POSTED);
    Atomics.add(this.bell!, RING, 1);
    Atomics.notify(this.bell!, RING);
  }

  /** Waits for the helper to leave the call; gives it up (and throws) if it never does. */
  private awaitHelper(ownMs: number): number {
    const limit = performance.now() + STUCK_MS + 10 * ownMs;
    for (;;) {
      const state = Atomics.load(this.ctl, STATE);
      if (state !== RUNNING) return state;
      if (performance.now() > limit) {
        this.broken = true;
        void this.worker?.terminate();
        throw new Error('the kernel helper thread stopped responding; kernels now run on one thread');
      }
      Atomics.wait(this.ctl, STATE, RUNNING, 1000);
    }
  }

  close(): void {
    this.broken = true;
  }
}

const pools = new Map<KernelWorkspace, TwoThreads>();

/**
 * The two-thread runner for `workspace`'s module (one per workspace and thread). With
 * `MODELPILOT_KERNEL_THREADS=1`, or where a Worker cannot start, every part runs here in turn.
 */
export function kernelThreads(workspace: KernelWorkspace): KernelThreads {
  let pool = pools.get(workspace);
  if (!pool) {
    const wanted = process.env.MODELPILOT_KERNEL_THREADS !== '1' && helperCanInstantiate(kernelModule(workspace.moduleName));
    const worker = wanted ? helperWorker() : null;
    pool = new TwoThreads(workspace, worker, worker ? doorbell : null);
    pools.set(workspace, pool);
  }
  return pool;
}

/** Runs every part on the calling thread from now on (`true`), or on two threads again (tests compare them). */
export function useOneKernelThread(on: boolean): void {
  singleThread = on;
}

/** Tells the helper to stop and ends it (tests; a compute worker's exit ends it anyway). */
export async function closeKernelThreads(): Promise<void> {
  for (const pool of pools.values()) pool.close();
  pools.clear();
  const worker = helper;
  helper = null;
  if (doorbell) {
    Atomics.store(doorbell, CLOSED_FLAG, 1);
    Atomics.notify(doorbell, RING);
  }
  doorbell = null;
  if (worker) await worker.terminate();
  helperFailed = false;
}
