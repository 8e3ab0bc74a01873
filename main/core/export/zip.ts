/**
 * Zip in and out for model files, with fflate (in memory: a model file is megabytes, and one
 * small pure-JS package both writes and reads). Reading never trusts the archive: every entry
 * name is checked before anything is decompressed or written (no absolute paths, no `..`, no
 * backslashes), declared sizes are capped before memory is allocated, and extraction writes
 * only below the target folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { CoreError } from '../errors';

/** Path inside the archive (forward slashes) -> content. */
export type ZipEntries = Record<string, Uint8Array>;

export interface ZipLimits {
  /** Most entries an archive may hold (ours hold about a dozen). */
  maxEntries: number;
  /** Most bytes all entries may inflate to together. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 1000, maxTotalBytes: 2 * 1024 ** 3 };

/**
 * True for a relative path that stays inside the folder it is extracted to: forward slashes,
 * no empty, `.` or `..` segment, no drive letter, no control characters.
 */
export function isSafeEntryName(name: string): boolean {
  if (name.length === 0 || name.length > 512) return false;
  if (name.includes('\\') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || isAbsolute(name)) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return false;
  const segments = name.endsWith('/') ? name.slice(0, -1).split('/') : name.split('/');
  return segments.every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Writes a zip. Weight shards are stored (floats barely compress), the rest deflated. */
export function createZip(files: ZipEntries): Uint8Array {
  const input: Zippable = {};
  for (const [name, data] of Object.entries(files)) {
    if (!isSafeEntryName(name) || name.endsWith('/')) throw new CoreError('internal', `bad zip entry name ${name}`, {});
    input[name] = [data, { level: name.endsWith('.bin') ? 0 : 6 }];
  }
  return zipSync(input);
}

/**
 * Reads every file of a zip into memory. `bundle_unsafe_path` for an entry that would land
 * outside the target folder, `bundle_corrupt` for anything that is not a sound zip.
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntries {
  let count = 0;
  let total = 0;
  let files: ZipEntries;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        if (!isSafeEntryName(file.name)) throw new CoreError('bundle_unsafe_path', `the model file has an entry outside its folder: ${file.name}`, { path: file.name });
        count++;
        total += file.originalSize;
        if (count > limits.maxEntries) throw new CoreError('bundle_corrupt', `the model file has more than ${limits.maxEntries} entries`, { reason: 'too_many_entries' });
        if (total > limits.maxTotalBytes) throw new CoreError('bundle_corrupt', `the model file would unpack to more than ${limits.maxTotalBytes} bytes`, { reason: 'too_large' });
        // Folder entries carry no data.
        return !file.name.endsWith('/');
      },
    });
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('bundle_corrupt', `not a readable zip: ${(error as Error).message}`, { reason: 'zip' });
  }
  return files;
}

/**
 * Extracts entries below `targetDir` (created if needed). Every name is checked, and every
 * resolved path must stay inside the target, before the first byte is written.
 */
export async function extractEntries(files: ZipEntries, targetDir: string): Promise<string[]> {
  const root = resolve(targetDir);
  const plan: { path: string; data: Uint8Array }[] = [];
  for (const [name, data] of Object.entries(files)) {
    const path = resolve(root, ...name.split('/'));
    if (!isSafeEntryName(name) || !path.startsWith(root + sep)) throw new CoreError('bundle_unsafe_path', `the model file has an entry outside its folder: ${name}`, { path: name });
    plan.push({ path, data });
  }
  await mkdir(root, { recursive: true });
  for (const { path, data } of plan) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { flag: 'wx' });
  }
  return plan.map((p) => p.path.slice(root.length + 1).split(sep).join('/'));
}

/** Reads a zip and extracts it (see readZip and extractEntries). */
export async function extractZip(bytes: Uint8Array, targetDir: string): Promise<string[]> {
  return extractEntries(readZip(bytes), join(targetDir));
}
