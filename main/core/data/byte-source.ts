import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DataProgress } from '../../contract/data';
import { CoreError } from '../errors';

/** What every long data job accepts: a cancel signal and a progress callback. */
export interface JobControl {
  signal?: AbortSignal;
  onProgress?: (progress: DataProgress) => void;
}

/** Bytes are read in chunks this size: big enough for throughput, small for steady memory. */
export const CHUNK_BYTES = 1024 * 1024;

/** Throws `cancelled` when the signal has fired; call between chunks. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CoreError('cancelled', 'cancelled by the user');
}

/** Turns a file-system failure into the user-facing `data_unreadable` error. */
export function unreadable(path: string, error: unknown): CoreError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  const reason =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (error as Error).message;
  return new CoreError('data_unreadable', `cannot read ${basename(path)}: ${reason}`, { path, file: basename(path), reason: code });
}

/** Reads at most `bytes` from the start of a file (the detection sample). */
export async function readHead(path: string, bytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    await handle.close();
  }
}

/**
 * Calls `onProgress` at most every 100 ms (and always for the last report), so a fast loop over
 * a 1 GB file does not flood the IPC channel with millions of messages.
 */
export class ProgressReporter {
  private last = 0;
  rows = 0;
  bytesRead = 0;

  constructor(
    private readonly phase: DataProgress['phase'],
    private readonly totalBytes: number,
    private readonly onProgress?: (progress: DataProgress) => void,
  ) {}

  report(force = false): void {
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    this.onProgress({ phase: this.phase, bytesRead: this.bytesRead, totalBytes: this.totalBytes, rows: this.rows });
  }
}

/**
 * The bytes of a file, chunk by chunk, honouring cancellation between chunks. `tap` sees each
 * chunk first (the import uses it to hash and copy the file in the same pass); when it returns
 * a promise, reading waits for it, which is the back-pressure for the copy.
 */
export async function* readBytes(
  path: string,
  options: { signal?: AbortSignal; progress?: ProgressReporter; tap?: (chunk: Buffer) => void | Promise<void>; chunkBytes?: number } = {},
): AsyncGenerator<Buffer> {
  throwIfCancelled(options.signal);
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfCancelled(options.signal);
      if (options.tap) await options.tap(chunk);
      if (options.progress) {
        options.progress.bytesRead += chunk.length;
        options.progress.report();
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof CoreError) throw error;
    if ((error as NodeJS.ErrnoException).code) throw unreadable(path, error);
    throw error;
  } finally {
    stream.destroy();
  }
}
