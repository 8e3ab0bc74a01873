/**
 * Splitting one kernel call into parts for the two kernel threads (kernel-threads.ts). Kernels
 * written for it take a range [start, end) of independent work as their last two arguments; the
 * range is cut into parts that either thread takes while any are left, so a thread slowed down
 * by another program on its core takes fewer. Calls too small to pay for the hand-off (tens of
 * microseconds) run here in one piece.
 */
import { kernelThreads } from './kernel-threads';
import type { KernelWorkspace } from './kernel-workspace';

/** Parts per shared call: enough that a slowed thread can hand most of the work over. */
export const SHARED_PARTS = 8;

export interface SplitOptions {
  /** Whether the call is big enough to share. */
  share: boolean;
  /** Part boundaries are multiples of this (kernels that work in vectors of 4 rows). */
  align?: number;
  /**
   * Arguments that differ per part (a part's own scratch buffer), before the range; part k of
   * `parts` (SHARED_PARTS when shared, 1 when not).
   */
  perPart?: (k: number, parts: number) => readonly number[];
}

export function runSplit(ws: KernelWorkspace, fnName: string, args: readonly number[], end: number, options: SplitOptions): void {
  const align = options.align ?? 1;
  const own = options.perPart ?? (() => []);
  const step = Math.ceil(end / SHARED_PARTS / align) * align;
  if (!options.share || step >= end) {
    ws.fn(fnName)(...args, ...own(0, 1), 0, end);
    return;
  }
  const parts: number[][] = [];
  for (let start = 0; start < end; start += step) parts.push([...args, ...own(parts.length, SHARED_PARTS), start, Math.min(end, start + step)]);
  kernelThreads(ws).run(fnName, parts);
}
