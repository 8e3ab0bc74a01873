import chardet from 'chardet';
import iconv from 'iconv-lite';
import type { TextEncoding } from '../../contract/data';
import { CoreError } from '../errors';
import { COMMON_HANZI, isHan } from './common-hanzi';
import { detectBinary } from './detect-binary';

/** Detection reads this much of a file, never more: enough for thousands of rows. */
export const SAMPLE_BYTES = 64 * 1024;

export interface EncodingGuess {
  encoding: TextEncoding;
  /** 0..1: 1 for a byte-order mark or pure ASCII, lower when legacy tables compete. */
  confidence: number;
  candidates: { encoding: TextEncoding; confidence: number }[];
}

/**
 * Guesses the text encoding of a file from its first bytes: byte-order marks, then UTF-16
 * without a BOM, then strict UTF-8, then the legacy tables Chinese spreadsheets use (GB18030,
 * which covers GBK, and Big5), and Windows-1252 for western ones. `complete` says the sample is
 * the whole file (so a multi-byte character cut at the end is an error, not the sample's edge).
 * Throws `data_binary` for a binary file (an image or a zip renamed .csv) and
 * `data_encoding_unknown` for encodings we do not read (Shift_JIS, EUC-KR, …).
 */
export function detectEncoding(sample: Uint8Array, complete: boolean, fileName = ''): EncodingGuess {
  const bom = byteOrderMark(sample);
  if (bom) return { encoding: bom, confidence: 1, candidates: [{ encoding: bom, confidence: 1 }] };

  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, confidence: 0.8, candidates: [{ encoding: utf16, confidence: 0.8 }] };

  const kind = detectBinary(sample);
  if (kind) {
    const name = fileName || 'the file';
    throw new CoreError('data_binary', `${name} is ${kind}, not text`, { file: fileName, kind });
  }

  const utf8 = utf8Check(sample, complete);
  if (utf8 === 'ascii') return { encoding: 'utf-8', confidence: 1, candidates: [{ encoding: 'utf-8', confidence: 1 }] };
  if (utf8 === 'valid') return { encoding: 'utf-8', confidence: 0.99, candidates: [{ encoding: 'utf-8', confidence: 0.99 }] };

  return guessLegacy(sample, fileName);
}

function byteOrderMark(b: Uint8Array): TextEncoding | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return null;
}

/** ASCII-heavy UTF-16 shows zero bytes on every other position: odd ones for LE, even for BE. */
function utf16WithoutBom(b: Uint8Array): TextEncoding | null {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros / pairs > 0.3 && evenZeros / pairs < 0.05) return 'utf-16le';
  if (evenZeros / pairs > 0.3 && oddZeros / pairs < 0.05) return 'utf-16be';
  return null;
}

function utf8Check(b: Uint8Array, complete: boolean): 'ascii' | 'valid' | 'invalid' {
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return 'ascii';
  let end = b.length;
  if (!complete) {
    // The sample may cut a character in two: drop a trailing incomplete sequence.
    for (let back = 1; back <= 3 && end - back >= 0; back++) {
      const byte = b[end - back];
      if ((byte & 0xc0) === 0x80) continue; // continuation byte, keep looking for its lead
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      if (need > back) end -= back;
      break;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, end));
    return 'valid';
  } catch {
    return 'invalid';
  }
}

const CHARDET_NAMES: Record<string, TextEncoding> = { GB18030: 'gb18030', Big5: 'big5' };
const WESTERN = /^(windows-125[0-9]|ISO-8859-\d+)$/;

/** Scores each legacy table by how common the characters it decodes to are. */
function guessLegacy(sample: Uint8Array, fileName: string): EncodingGuess {
  const buf = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength);
  const scores = new Map<TextEncoding, number>();
  for (const encoding of ['gb18030', 'big5'] as const) {
    const text = iconv.decode(buf, encoding);
    let han = 0;
    let common = 0;
    let bad = 0;
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (code === 0xfffd) bad++;
      else if (isHan(code)) {
        han++;
        if (COMMON_HANZI.has(ch)) common++;
      }
    }
    const total = han + bad;
    scores.set(encoding, total === 0 ? 0 : (common - 3 * bad) / total);
  }
  const analysis = chardet.analyse(sample);
  const top = analysis[0];
  // chardet's statistics add weight when they are confident (they are on longer samples).
  for (const match of analysis) {
    const ours = CHARDET_NAMES[match.name];
    if (ours && match.confidence >= 50) scores.set(ours, (scores.get(ours) ?? 0) + match.confidence / 500);
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (best[1] >= 0.15) {
    const confidence = clamp(0.5 + (best[1] - Math.max(0, second[1])) / 2, 0.3, 0.97);
    return {
      encoding: best[0],
      confidence,
      candidates: [
        { encoding: best[0], confidence },
        { encoding: second[0], confidence: clamp(1 - confidence, 0, 1) },
      ],
    };
  }
  if (top && CHARDET_NAMES[top.name] === undefined && !WESTERN.test(top.name) && top.confidence >= 50 && top.name !== 'UTF-8') {
    throw new CoreError(
      'data_encoding_unknown',
      `${fileName || 'the file'} looks like ${top.name} text, which is not supported; save it as UTF-8 or choose an encoding`,
      { file: fileName, detected: top.name },
    );
  }
  // No Chinese reading makes sense: a western legacy file (Excel on Windows), or a guess.
  const confidence = top && WESTERN.test(top.name) ? clamp(top.confidence / 100, 0.3, 0.9) : 0.3;
  return {
    encoding: 'windows-1252',
    confidence,
    candidates: [
      { encoding: 'windows-1252', confidence },
      { encoding: 'gb18030', confidence: clamp(scores.get('gb18030') ?? 0, 0, 1) },
      { encoding: 'big5', confidence: clamp(scores.get('big5') ?? 0, 0, 1) },
    ],
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
