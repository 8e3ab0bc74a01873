/**
 * Encoded rows on disk: one file per split of fixed-size records, each the row's `width` inputs
 * (int32 token ids or float32 features) then its answer (float32: class index or standardized
 * target), in the machine's byte order (the files never leave the run folder). Written through
 * a temp file that is renamed into place when complete; read back a batch at a time with
 * positional reads, so only a batch of rows is ever in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { OutputKind } from '../models/types';
import type { BatchSource } from './batch-source';

/** How a split file is laid out. */
export interface RecordLayout {
  width: number;
  xType: 'int32' | 'float32';
  outputKind: OutputKind;
  classes: number;
}

/** What a finished file holds, for the cache manifest. */
export interface WrittenFile {
  rows: number;
  bytes: number;
  sha256: string;
}

export const recordBytes = (layout: RecordLayout) => (layout.width + 1) * 4;

/** Records written per write call: about 1 MB, whatever the width. */
const chunkRecords = (layout: RecordLayout) => Math.max(1, Math.floor((1 << 20) / recordBytes(layout)));

/** Appends records to `<path>` through a temp file beside it; `finish` renames it into place. */
export class RecordWriter {
  /** The next row's inputs: encode into it, then call `append`. */
  readonly x: Int32Array | Float32Array;
  rows = 0;
  private readonly temp: string;
  private fd: number | null;
  private readonly chunk: ArrayBuffer;
  private readonly chunkX: Int32Array | Float32Array;
  private readonly chunkY: Float32Array;
  private used = 0;
  private readonly hash = createHash('sha256');

  constructor(
    readonly path: string,
    private readonly layout: RecordLayout,
  ) {
    this.temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    this.fd = openSync(this.temp, 'wx');
    this.x = layout.xType === 'int32' ? new Int32Array(layout.width) : new Float32Array(layout.width);
    // One buffer seen two ways: inputs in their own type, answers as float32.
    this.chunk = new ArrayBuffer(chunkRecords(layout) * recordBytes(layout));
    this.chunkX = layout.xType === 'int32' ? new Int32Array(this.chunk) : new Float32Array(this.chunk);
    this.chunkY = new Float32Array(this.chunk);
  }

  /** Adds the row now in `x` with its answer, and clears `x` for the next row. */
  append(answer: number): void {
    const stride = this.layout.width + 1;
    const at = this.used * stride;
    this.chunkX.set(this.x, at);
    this.chunkY[at + this.layout.width] = answer;
    this.x.fill(0);
    this.rows++;
    if (++this.used === chunkRecords(this.layout)) this.flush();
  }

  /** Writes what is buffered, syncs, and renames the file into place. */
  finish(): WrittenFile {
    this.flush();
    const fd = this.fd!;
    fsyncSync(fd);
    closeSync(fd);
    this.fd = null;
    renameSync(this.temp, this.path);
    return { rows: this.rows, bytes: this.rows * recordBytes(this.layout), sha256: this.hash.digest('hex') };
  }

  /** Closes and deletes the unfinished file (a cancel or an error mid-preparation). */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.temp, { force: true });
  }

  private flush(): void {
    if (!this.used) return;
    const bytes = new Uint8Array(this.chunk, 0, this.used * recordBytes(this.layout));
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd!, bytes, done, bytes.length - done);
    this.hash.update(bytes);
    this.used = 0;
  }
}

/** A split file read back a batch at a time (see the module note). */
export class FileSplit implements BatchSource {
  readonly width: number;
  readonly yWidth: number;
  readonly xType: 'int32' | 'float32';
  readonly hasClasses: boolean;
  private fd: number | null;
  private buffer = new ArrayBuffer(0);

  constructor(
    readonly path: string,
    readonly rows: number,
    private readonly layout: RecordLayout,
  ) {
    this.width = layout.width;
    this.xType = layout.xType;
    this.yWidth = layout.outputKind === 'multiclass' ? layout.classes : 1;
    this.hasClasses = layout.outputKind !== 'regression';
    this.fd = openSync(path, 'r');
  }

  read(indices: ArrayLike<number>, x: Int32Array | Float32Array, y: Float32Array, classIndex?: Int32Array | null): void {
    const size = recordBytes(this.layout);
    const stride = this.width + 1;
    for (let i = 0; i < indices.length; ) {
      // Rows that follow each other on disk (validation, in order) come in one read.
      let j = i + 1;
      while (j < indices.length && indices[j] === indices[j - 1] + 1) j++;
      const bytes = (j - i) * size;
      if (this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(bytes);
      this.readAt(new Uint8Array(this.buffer, 0, bytes), indices[i] * size);
      const records = this.xType === 'int32' ? new Int32Array(this.buffer, 0, bytes / 4) : new Float32Array(this.buffer, 0, bytes / 4);
      const answers = new Float32Array(this.buffer, 0, bytes / 4);
      for (let r = 0; r < j - i; r++) {
        const row = i + r;
        x.set(records.subarray(r * stride, r * stride + this.width), row * this.width);
        const answer = answers[r * stride + this.width];
        if (this.layout.outputKind === 'multiclass') y[row * this.yWidth + answer] = 1;
        else y[row] = answer;
        if (classIndex && this.hasClasses) classIndex[row] = answer;
      }
      i = j;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private readAt(into: Uint8Array, position: number): void {
    if (this.fd === null) throw new Error(`${this.path} is closed`);
    for (let done = 0; done < into.length; ) {
      const n = readSync(this.fd, into, done, into.length - done, position + done);
      if (n === 0) throw new Error(`${this.path} ends before row ${Math.floor((position + done) / recordBytes(this.layout))}`);
      done += n;
    }
  }
}
