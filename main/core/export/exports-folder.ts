/**
 * A project's exports/ folder: the names exports get, what is in it, and reading one back (a
 * `.mpmodel` file as is, a TF.js folder as a zip) for a download. Also where models the user
 * opened from elsewhere are kept (.modelpilot/opened/, a cache the user may delete).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { BUNDLE_EXTENSION, type ExportFormat } from '../../contract/export';
import { CoreError } from '../errors';
import { exists } from '../fs/exists';
import { MANIFEST_FILE } from './bundle-layout';
import { createZip, type ZipEntries } from './zip';

export const EXPORTS_DIR = 'exports';
export const OPENED_DIR = join('.modelpilot', 'opened');
/** Suffix of a TF.js folder export. */
export const TFJS_FOLDER_SUFFIX = '-tfjs';

export interface ExportFile {
  name: string;
  format: ExportFormat;
  bytes: number;
  modifiedAt: string;
}

/** The name of a run's export: "<project>-<run>.mpmodel", or "<project>-<run>-tfjs" for a folder. */
export function exportNameFor(projectId: string, runId: string, format: ExportFormat): string {
  // Spaces become dashes: the name is typed in terminals (predict.mjs, curl) as often as clicked.
  const base = `${projectId}-${runId}`.replace(/[\s\\/\0]+/g, '-').replace(/^\.+/, '');
  return format === 'mpmodel' ? `${base}${BUNDLE_EXTENSION}` : `${base}${TFJS_FOLDER_SUFFIX}`;
}

/** The path of an export by name; `not_found` for a name that would leave the folder. */
export function exportPath(projectDir: string, name: string): string {
  const dir = resolve(projectDir, EXPORTS_DIR);
  const path = resolve(dir, name);
  if (!path.startsWith(dir + sep) || name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new CoreError('not_found', `no export ${name}`, { file: name });
  return path;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** What an export is: a `.mpmodel` file, a TF.js folder (it has a manifest), or null for anything else. */
export async function describeExport(path: string, name: string): Promise<ExportFile | null> {
  const info = await stat(path).catch(() => null);
  if (!info || name.startsWith('.')) return null;
  if (info.isFile() && name.endsWith(BUNDLE_EXTENSION)) return { name, format: 'mpmodel', bytes: info.size, modifiedAt: info.mtime.toISOString() };
  if (info.isDirectory() && (await exists(join(path, MANIFEST_FILE)))) return { name, format: 'tfjs-folder', bytes: await folderBytes(path), modifiedAt: info.mtime.toISOString() };
  return null;
}

/** The project's exports, newest first. */
export async function listExports(projectDir: string): Promise<ExportFile[]> {
  const dir = join(projectDir, EXPORTS_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ExportFile[] = [];
  for (const name of names) {
    const entry = await describeExport(join(dir, name), name);
    if (entry) out.push(entry);
  }
  return out.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.name.localeCompare(b.name));
}

/** An export's bytes for a download: the file itself, or a folder zipped (its name + ".zip"). */
export async function readExportForDownload(projectDir: string, name: string): Promise<{ fileName: string; bytes: Uint8Array }> {
  const path = exportPath(projectDir, name);
  const entry = await describeExport(path, name);
  if (!entry) throw new CoreError('not_found', `no export ${name}`, { file: name });
  if (entry.format === 'mpmodel') return { fileName: name, bytes: await readFile(path) };
  const files: ZipEntries = {};
  for (const file of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (!file.isFile()) continue;
    const full = join(file.parentPath, file.name);
    files[relative(path, full).split(sep).join('/')] = await readFile(full);
  }
  return { fileName: `${name}.zip`, bytes: createZip(files) };
}

/** Short id of a model file's content: the same file opened twice is kept once. */
export function openedModelId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** Where an opened model with this id is kept in the project. */
export function openedModelPath(projectDir: string, id: string): string {
  if (!/^[a-f0-9]{16}$/.test(id)) throw new CoreError('not_found', `no opened model ${id}`, { file: id });
  return join(projectDir, OPENED_DIR, `${id}${BUNDLE_EXTENSION}`);
}
