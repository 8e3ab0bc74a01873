/**
 * Replaces a whole folder at once (model.json and weights.bin must always match): the new files
 * are written and fsynced in a sibling temp folder, the old folder is renamed aside, the new one
 * renamed into place, then the old one removed. A crash between the two renames leaves the old
 * folder aside; `recoverDir` puts it back, so readers always find a complete folder or none.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDir } from '../fs/atomic-write';
import { exists } from '../fs/exists';

export type DirFiles = Record<string, string | Uint8Array>;

export async function replaceDirAtomic(target: string, files: DirFiles): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  await recoverDir(target);
  const tag = randomBytes(6).toString('hex');
  const next = join(parent, `.${name}.next-${tag}`);
  await mkdir(next);
  try {
    for (const [file, data] of Object.entries(files)) {
      if (file.includes('/') || file.includes('\\') || file.startsWith('.')) throw new Error(`bad file name ${file}`);
      const handle = await open(join(next, file), 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await syncDir(next);
  } catch (error) {
    await rm(next, { recursive: true, force: true });
    throw error;
  }
  const old = join(parent, `.${name}.old-${tag}`);
  const hadOld = await exists(target);
  if (hadOld) await rename(target, old);
  await rename(next, target);
  await syncDir(parent);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** Restores a folder left aside by a crash mid-replace and clears unfinished temp folders. */
export async function recoverDir(target: string): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  const olds = entries.filter((e) => e.startsWith(`.${name}.old-`));
  const nexts = entries.filter((e) => e.startsWith(`.${name}.next-`));
  if (!(await exists(target)) && olds.length) await rename(join(parent, olds[0]), target);
  for (const leftover of [...olds, ...nexts]) await rm(join(parent, leftover), { recursive: true, force: true });
}
