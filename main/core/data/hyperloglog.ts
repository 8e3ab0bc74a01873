/**
 * Distinct-count estimate in 4 KB (HyperLogLog, 4096 registers, about 1.6% standard error).
 * Used only past 1,000 distinct values, where exact counting would keep every value in memory.
 */
export class HyperLogLog {
  private readonly registers = new Uint8Array(1 << 12);

  /** Adds a value by its 64-bit hash (two uint32 halves). */
  add(lo: number, hi: number): void {
    const index = hi >>> 20; // top 12 bits choose the register
    // Rank = position of the first 1 bit in the remaining 52 bits.
    const rest = ((hi << 12) | (lo >>> 20)) >>> 0;
    let rank: number;
    if (rest !== 0) rank = Math.clz32(rest) + 1;
    else rank = 33 + Math.min(Math.clz32((lo << 12) >>> 0), 20);
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  estimate(): number {
    const m = this.registers.length;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < m; i++) {
      sum += 2 ** -this.registers[i];
      if (this.registers[i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / m);
    const raw = (alpha * m * m) / sum;
    // Small range: linear counting is more accurate while many registers are still empty.
    if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(raw);
  }
}
