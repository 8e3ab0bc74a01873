/**
 * Open-addressing hash table keyed by 64-bit hashes, with an optional pair of int32 values per key.
 *
 * Why not a Set<string>: a JS Set of row strings costs the strings themselves plus ~40 bytes per
 * entry, which for a 1 GB file is gigabytes. Here a slot costs 8 bytes for the key (two uint32)
 * plus 4 per value lane, in typed arrays kept 35-70% full (they double when 70% full): 11-23
 * bytes per distinct row as a set (duplicates), 23-46 with both value lanes (inputs and their
 * label, for conflicts). One million distinct rows: about 35-70 MB for both tables together.
 * Memory grows with distinct rows only, never with the bytes of the file.
 */
export class HashTable64 {
  private keys: Uint32Array;
  private valuesA: Int32Array | null;
  private valuesB: Int32Array | null;
  private mask: number;
  private used = 0;

  constructor(
    private readonly withValues: boolean,
    initialCapacity = 1 << 12,
  ) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.keys = new Uint32Array(cap * 2);
    this.valuesA = withValues ? new Int32Array(cap) : null;
    this.valuesB = withValues ? new Int32Array(cap) : null;
    this.mask = cap - 1;
  }

  get size(): number {
    return this.used;
  }

  /** Bytes held by the typed arrays (for the bench and for tests). */
  get bytes(): number {
    return this.keys.byteLength + (this.valuesA?.byteLength ?? 0) + (this.valuesB?.byteLength ?? 0);
  }

  /**
   * Finds the slot of a key, inserting it when absent. Returns the slot index, negated minus one
   * when the key was new (so `slot < 0` means "first time seen").
   */
  upsert(lo: number, hi: number): number {
    // (0, 0) marks an empty slot; remap the one key that would collide with it.
    if (lo === 0 && hi === 0) lo = 1;
    if ((this.used + 1) * 10 > (this.mask + 1) * 7) this.grow();
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const k = slot * 2;
      const klo = this.keys[k];
      const khi = this.keys[k + 1];
      if (klo === 0 && khi === 0) {
        this.keys[k] = lo;
        this.keys[k + 1] = hi;
        this.used++;
        return -slot - 1;
      }
      if (klo === lo && khi === hi) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** True when the key is present; never inserts. */
  has(lo: number, hi: number): boolean {
    return this.find(lo, hi) >= 0;
  }

  /** The slot of a key (for its values), or -1 when absent; never inserts. */
  find(lo: number, hi: number): number {
    if (lo === 0 && hi === 0) lo = 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const k = slot * 2;
      const klo = this.keys[k];
      const khi = this.keys[k + 1];
      if (klo === 0 && khi === 0) return -1;
      if (klo === lo && khi === hi) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds a key; true when it was not there before. */
  add(lo: number, hi: number): boolean {
    return this.upsert(lo, hi) < 0;
  }

  getA(slot: number): number {
    return this.valuesA![slot];
  }
  setA(slot: number, value: number): void {
    this.valuesA![slot] = value;
  }
  getB(slot: number): number {
    return this.valuesB![slot];
  }
  setB(slot: number, value: number): void {
    this.valuesB![slot] = value;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldA = this.valuesA;
    const oldB = this.valuesB;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint32Array(cap * 2);
    this.valuesA = this.withValues ? new Int32Array(cap) : null;
    this.valuesB = this.withValues ? new Int32Array(cap) : null;
    this.mask = cap - 1;
    for (let old = 0; old < oldKeys.length / 2; old++) {
      const lo = oldKeys[old * 2];
      const hi = oldKeys[old * 2 + 1];
      if (lo === 0 && hi === 0) continue;
      let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
      while (this.keys[slot * 2] !== 0 || this.keys[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.keys[slot * 2] = lo;
      this.keys[slot * 2 + 1] = hi;
      if (oldA && this.valuesA) this.valuesA[slot] = oldA[old];
      if (oldB && this.valuesB) this.valuesB[slot] = oldB[old];
    }
  }
}
