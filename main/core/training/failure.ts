/** How an error ends up in run.json: a CoreError keeps its code; memory exhaustion is named. */
import type { RunFailure } from '../../contract/training';
import { isCoreError } from '../errors';

/** The failure recorded in run.json for an error: its CoreError code, out_of_memory, or internal. */
export function toFailure(error: unknown): RunFailure {
  if (isCoreError(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  if (/out of memory|allocation failed|Aborted\(OOM\)|Cannot enlarge memory|Array buffer allocation/i.test(message)) {
    return { code: 'out_of_memory', message };
  }
  return { code: 'internal', message };
}
