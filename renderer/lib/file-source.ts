/**
 * Where the data comes from, the same way in every host: a native dialog when the host has one,
 * else the page's own file inputs; dropped files and folders alike. Everything ends as an
 * ImportSource for data:import (a path in the desktop app, an upload in the browser), made by
 * the API's `sourceFromFiles`; nothing here knows which host it runs in.
 */
import type { PickedFile, UploadProgress } from '../../main/contract/api';
import type { ImportSource } from '../../main/contract/data-channels';
import type { ContractError, Result } from '../../main/contract/errors';
import { api } from './api';

export type PickKind = 'file' | 'folder';

/** A native dialog's answer, or `input` when the host has none (then the page's input is used). */
export type DialogOutcome =
  | { kind: 'chosen'; source: ImportSource; name: string }
  | { kind: 'cancelled' }
  | { kind: 'input' }
  | { kind: 'failed'; error: ContractError };

export const DATA_EXTENSIONS = ['csv', 'tsv', 'tab', 'txt', 'json', 'jsonl', 'ndjson', 'xlsx', 'xlsm'];
let dialogsUnavailable = false;

/**
 * Asks the host for its native open dialog (files filtered to `extensions`, data files by
 * default); once it has said it has none, goes straight to `input`.
 */
export async function pickWithDialog(kind: PickKind, title: string, filterName: string, extensions: readonly string[] = DATA_EXTENSIONS): Promise<DialogOutcome> {
  if (dialogsUnavailable) return { kind: 'input' };
  const result = await api.dialogOpenFile(
    kind === 'folder' ? { title, directory: true } : { title, filters: [{ name: filterName, extensions: [...extensions] }] },
  );
  if (!result.ok) {
    if (result.error.code !== 'unsupported_in_host') return { kind: 'failed', error: result.error };
    dialogsUnavailable = true;
    return { kind: 'input' };
  }
  const path = result.value.paths[0];
  if (!path) return { kind: 'cancelled' };
  return { kind: 'chosen', source: { kind: 'path', path }, name: path.split(/[\\/]/).filter(Boolean).pop() ?? path };
}

/** The files of an <input type="file"> (with `webkitdirectory`, each keeps its path inside the folder). */
export function filesFromInput(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/**
 * The files of a drop, folders walked. Entries must be taken while the drop event runs (the list
 * empties afterwards), so call this synchronously from the handler and await the result.
 */
export function filesFromDrop(transfer: DataTransfer | null): Promise<PickedFile[]> {
  const entries = Array.from(transfer?.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return Promise.resolve(filesFromInput(transfer?.files ?? null));
  return Promise.all(entries.map((entry) => walk(entry, ''))).then((lists) => lists.flat());
}

async function walk(entry: FileSystemEntry, parent: string): Promise<PickedFile[]> {
  const path = parent ? `${parent}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, path }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => walk(child, path)));
  return nested.flat();
}

/** The top-level names of picked files: one file, or one folder. */
export function topLevelNames(files: readonly PickedFile[]): string[] {
  return [...new Set(files.map((f) => f.path.split('/')[0]))];
}

/** Picked files as an import source (check `topLevelNames` first: one file or one folder). */
export function sourceFromPicked(files: readonly PickedFile[], onProgress?: (progress: UploadProgress) => boolean | void): Promise<Result<ImportSource>> {
  return api.sourceFromFiles(files, onProgress);
}
