/** Signatures of files people rename to .csv by mistake, with a word for the message. */
const MAGIC: { bytes: number[]; kind: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'a zip archive (an Excel .xlsx file is one)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], kind: 'an old Excel .xls / Office file' },
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
  { bytes: [0x1f, 0x8b], kind: 'a gzip archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], kind: 'a program' },
  { bytes: [0x4d, 0x5a], kind: 'a Windows program' },
  { bytes: [0x50, 0x41, 0x52, 0x31], kind: 'a Parquet file' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], kind: 'an SQLite database' },
];

/**
 * Returns what a binary file seems to be, or null for text. Call it on a sample that is not
 * UTF-16 (whose zero bytes are legitimate). Text has no NUL bytes and almost no control
 * characters other than tab, CR and LF.
 */
export function detectBinary(sample: Uint8Array): string | null {
  for (const { bytes, kind } of MAGIC) {
    if (sample.length >= bytes.length && bytes.every((b, i) => sample[i] === b)) return kind;
  }
  const n = Math.min(sample.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i];
    if (b === 0) return 'a binary file';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return n > 0 && control / n > 0.01 ? 'a binary file' : null;
}

/** True when the bytes start like a zip archive (what .xlsx files are). */
export function isZip(sample: Uint8Array): boolean {
  return sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04;
}
