import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { throwIfCancelled, unreadable, type ProgressReporter } from './byte-source';
import type { TextFolderListing } from './text-folder';
import { syncDir } from '../fs/atomic-write';
import { exists } from '../fs/exists';

/**
 * Copies a source into the project's data/ folder under its content hash, atomically: bytes go
 * to a temp file in the same folder while a sha256 is computed, then fsync, then rename to
 * `<sha256><ext>`. A crash leaves at most a `.import-*.tmp` file, never a torn data file; the
 * same content imported twice is stored once. (writeFileAtomic needs the whole content in memory,
 * which a 1 GB file must not be; this is the same temp + fsync + rename, streamed.)
 */
export class HashedFileCopy {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private closed = false;

  private constructor(
    private readonly dataDir: string,
    private readonly ext: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
  ) {}

  static async start(dataDir: string, ext: string): Promise<HashedFileCopy> {
    await mkdir(dataDir, { recursive: true });
    const temp = join(dataDir, `.import-${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx');
    return new HashedFileCopy(dataDir, ext, temp, handle);
  }

  /** Hashes and writes one chunk; awaiting it is the back-pressure of the copy. */
  readonly tap = async (chunk: Buffer): Promise<void> => {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    await this.handle.write(chunk);
  };

  /** Makes the copy durable and visible under its hash. */
  async commit(): Promise<{ sha256: string; name: string; bytes: number; reused: boolean }> {
    await this.handle.sync();
    await this.close();
    const sha256 = this.hash.digest('hex');
    const name = sha256 + this.ext;
    const target = join(this.dataDir, name);
    if (await exists(target)) {
      await rm(this.temp, { force: true });
      return { sha256, name, bytes: this.bytes, reused: true };
    }
    await rename(this.temp, target);
    await syncDir(this.dataDir);
    return { sha256, name, bytes: this.bytes, reused: false };
  }

  /** Removes the temp file: a failed or cancelled import leaves data/ as it was. */
  async abort(): Promise<void> {
    await this.close();
    await rm(this.temp, { force: true });
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/**
 * Copies a text folder's .txt files into data/<sha256>/ the same way: into a temp folder, each
 * file fsynced, the folder renamed into place at the end. The hash covers every relative path
 * and file content, in sorted order, so it does not depend on the file system's listing order.
 */
export async function copyTextFolder(
  sourceDir: string,
  listing: TextFolderListing,
  dataDir: string,
  options: { signal?: AbortSignal; progress?: ProgressReporter } = {},
): Promise<{ sha256: string; name: string; bytes: number; reused: boolean }> {
  await mkdir(dataDir, { recursive: true });
  const temp = join(dataDir, `.import-${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(temp);
  const folderHash = createHash('sha256');
  let bytes = 0;
  try {
    const files = listing.labels.flatMap((l) => l.files).sort();
    for (const rel of files) {
      throwIfCancelled(options.signal);
      const from = join(sourceDir, ...rel.split('/'));
      let content: Buffer;
      try {
        content = await readFile(from);
      } catch (error) {
        throw unreadable(from, error);
      }
      const to = join(temp, ...rel.split('/'));
      await mkdir(dirname(to), { recursive: true });
      const handle = await open(to, 'wx');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      folderHash.update(`${rel}\0${createHash('sha256').update(content).digest('hex')}\n`);
      bytes += content.length;
      if (options.progress) {
        options.progress.bytesRead = bytes;
        options.progress.report();
      }
    }
    const sha256 = folderHash.digest('hex');
    const target = join(dataDir, sha256);
    if (await exists(target)) {
      await rm(temp, { recursive: true, force: true });
      return { sha256, name: sha256, bytes, reused: true };
    }
    await rename(temp, target);
    await syncDir(dataDir);
    return { sha256, name: sha256, bytes, reused: false };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
