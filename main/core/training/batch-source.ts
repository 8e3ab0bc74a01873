/**
 * Where training batches come from: encoded rows in memory (small data, tests, estimates) or in
 * the run's cache files on disk (split-files.ts). The trainer asks for the rows of one batch at a
 * time, so only a batch has to be in memory whichever it is.
 */

export interface BatchSource {
  readonly rows: number;
  /** Input values per row, and answer values per row in a batch (one per class for many classes). */
  readonly width: number;
  readonly yWidth: number;
  readonly xType: 'int32' | 'float32';
  /** Classification: each row has a class index (for class weights). */
  readonly hasClasses: boolean;
  /**
   * Copies rows `indices`, in that order, into x [n × width] and y [n × yWidth] (y zeroed), and
   * their class indices into `classIndex` when given.
   */
  read(indices: ArrayLike<number>, x: Int32Array | Float32Array, y: Float32Array, classIndex?: Int32Array | null): void;
}

/** One split encoded in memory: x is row-major [rows × width], y is [rows × yWidth]. */
export class MemorySplit implements BatchSource {
  readonly xType: 'int32' | 'float32';
  readonly hasClasses: boolean;

  constructor(
    readonly rows: number,
    readonly x: Int32Array | Float32Array,
    readonly width: number,
    readonly y: Float32Array,
    readonly yWidth: number,
    /** Class index per row (classification), for class weights and the probe. */
    readonly classIndex: Int32Array | null,
  ) {
    this.xType = x instanceof Int32Array ? 'int32' : 'float32';
    this.hasClasses = classIndex !== null;
  }

  read(indices: ArrayLike<number>, x: Int32Array | Float32Array, y: Float32Array, classIndex?: Int32Array | null): void {
    const { width, yWidth } = this;
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      x.set(this.x.subarray(r * width, (r + 1) * width), i * width);
      y.set(this.y.subarray(r * yWidth, (r + 1) * yWidth), i * yWidth);
      if (classIndex && this.classIndex) classIndex[i] = this.classIndex[r];
    }
  }
}
