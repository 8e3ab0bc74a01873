import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { CoreError } from '../errors';

const UPLOAD_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_DEPTH = 32;

/**
 * Files a browser sent to the web host, before they are imported: one folder per upload under
 * `<home>/.modelpilot/uploads/<uploadId>/`, keeping the relative paths of a picked folder. The
 * renderer names an upload by its id only; paths are made here and never leave this folder.
 */
export class UploadStore {
  readonly root: string;

  constructor(home: string) {
    this.root = join(home, '.modelpilot', 'uploads');
  }

  /** The folder of one upload; `not_found` for anything that is not an upload id. */
  dirOf(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new CoreError('not_found', `no upload ${uploadId}`, { id: uploadId });
    return join(this.root, uploadId);
  }

  /**
   * Where a file of an upload goes. The relative path ("reviews/positive/1.txt") may not climb out
   * ("..", absolute, drive letters, backslashes) or be absurdly deep: `invalid_payload` otherwise.
   */
  fileOf(uploadId: string, relativePath: string): string {
    const dir = this.dirOf(uploadId);
    const parts = relativePath.split('/');
    const bad = (part: string) => part === '' || part === '.' || part === '..' || /[\\:\0]/.test(part) || part.length > 255;
    if (parts.length > MAX_DEPTH || parts.some(bad)) {
      throw new CoreError('invalid_payload', `not a relative file path: ${relativePath}`, { field: 'path' });
    }
    const file = resolve(dir, ...parts);
    if (!file.startsWith(resolve(dir) + sep)) throw new CoreError('invalid_payload', `not a relative file path: ${relativePath}`, { field: 'path' });
    return file;
  }

  /**
   * What an upload holds, as an import source: its one file, its one folder (a picked text
   * folder), or the upload folder itself when several label folders were dropped together.
   */
  async sourcePath(uploadId: string): Promise<string> {
    const dir = this.dirOf(uploadId);
    let entries;
    try {
      entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    } catch {
      throw new CoreError('not_found', `no upload ${uploadId}`, { id: uploadId });
    }
    if (entries.length === 0) throw new CoreError('not_found', `upload ${uploadId} is empty`, { id: uploadId });
    return entries.length === 1 ? join(dir, entries[0].name) : dir;
  }

  async remove(uploadId: string): Promise<void> {
    await rm(this.dirOf(uploadId), { recursive: true, force: true });
  }

  /** Removes uploads older than `maxAgeMs` (left behind by a closed tab or a crash). */
  async sweep(maxAgeMs = 24 * 60 * 60 * 1000): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      const path = join(this.root, name);
      try {
        if (now - (await stat(path)).mtimeMs > maxAgeMs) await rm(path, { recursive: true, force: true });
      } catch {
        // gone already, or not ours to judge: leave it
      }
    }
  }
}
