import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh, empty projects folder for one test; removed afterwards. */
export async function makeTempHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'modelpilot-test-'));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}
