/** The Training step in words: run statuses and why a run failed, from codes (so a language switch rewords them). */
import type { ErrorCode } from '../../main/contract/errors';
import type { RunFailure } from '../../main/contract/training';
import { t } from './i18n.svelte';

/** Failure causes of the worker itself (the rest are contract error codes, worded in errors.*). */
const workerFailures = {
  worker_crashed: 'runFailure.worker_crashed',
  out_of_memory: 'runFailure.out_of_memory',
  training_diverged: 'runFailure.training_diverged',
} as const;

export function failureReason(failure: RunFailure): string {
  const code = failure.code;
  if (code in workerFailures) return t(workerFailures[code as keyof typeof workerFailures]);
  return t(`errors.${code as ErrorCode}`);
}
