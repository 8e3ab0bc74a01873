import { expect } from 'vitest';

type Settled = Promise<{ ok: boolean; value?: unknown; error?: unknown }>;

/** The value of a dispatched call that must succeed (its error in the message when it did not). */
export async function ok<T>(result: Settled): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(`expected ok, got ${JSON.stringify(settled.error)}`);
  return settled.value as T;
}

/** The error of a dispatched call that must fail. */
export async function failure(result: Settled): Promise<{ code: string; params: Record<string, unknown> }> {
  const settled = await result;
  expect(settled.ok).toBe(false);
  return settled.error as { code: string; params: Record<string, unknown> };
}
