/**
 * Finding the app's bundled resource folders (samples, kernels): an override from the
 * environment, the packaged app's resources folder, or the nearest `resources/<name>` above
 * this module (sources, and electron-vite's out/main/).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreError } from './errors';

/** The folder `resources/<name>` that holds `marker`; `not_found` naming where it looked. */
export function resourceDir(name: string, marker: string, override?: string): string {
  const candidates: string[] = [];
  if (override) candidates.push(override);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, name));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    candidates.push(join(dir, 'resources', name));
    dir = dirname(dir);
  }
  const found = candidates.find((c) => existsSync(join(c, marker)));
  if (!found) throw new CoreError('not_found', `the app's ${name} files are missing (looked in ${candidates.join(', ')})`, { path: candidates[0] ?? '' });
  return found;
}
