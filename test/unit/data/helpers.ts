import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { CoreError } from '../../../main/core/errors';

export const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/data');
export const fixture = (name: string) => join(fixtures, name);

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh temp folder removed after the test (a project folder, a place for generated files). */
export async function tempDir(prefix = 'mp-data-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Everything in a folder, hidden files included (to prove a failed import left nothing). */
export async function listAll(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** Runs `work` and returns the CoreError it throws (fails the test when it does not throw one). */
export async function coreErrorOf(work: () => Promise<unknown> | unknown): Promise<CoreError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw new Error(`expected a CoreError, got ${(error as Error).stack ?? String(error)}`, { cause: error });
  }
  throw new Error('expected a CoreError, nothing was thrown');
}
