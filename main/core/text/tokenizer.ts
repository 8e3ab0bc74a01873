/**
 * Word tokenizer for text models: Intl.Segmenter splits Chinese (and Japanese, Thai…) into words
 * with ICU's dictionaries and space-separated languages at word boundaries, so one tokenizer
 * serves every language the app speaks. The vocabulary and the sequence length are fitted on
 * the training split only; the fitted tokenizer is plain JSON, saved with the run and exported
 * with the model so a prediction outside the app tokenizes exactly as training did.
 */
import { z } from 'zod';
import { BoundedCounter } from '../data/bounded-counter';

/** Index 0 pads short sequences; 1 stands for every word not in the vocabulary. */
export const PAD_INDEX = 0;
export const OOV_INDEX = 1;
export const PAD_TOKEN = '<pad>';
export const OOV_TOKEN = '<oov>';

export const TOKENIZER_FORMAT_VERSION = 1;

export const fittedTokenizerSchema = z.object({
  formatVersion: z.literal(TOKENIZER_FORMAT_VERSION),
  kind: z.literal('intl-word'),
  /** NFKC + lower case before segmenting (full-width letters and digits fold to ASCII). */
  lowercase: z.boolean(),
  /** Index -> token; [0] is the padding token, [1] the out-of-vocabulary token. */
  vocabulary: z.array(z.string()).min(2),
  sequenceLength: z.number().int().min(1),
  /** 'pre' puts padding before the words, so a recurrent model reads the words last. */
  padding: z.enum(['pre', 'post']),
  /** 'post' keeps the beginning of a long text. */
  truncating: z.enum(['pre', 'post']),
  /** What fitting saw, for the UI and the model card. */
  stats: z.object({
    documents: z.number().int(),
    distinctTokens: z.number().int(),
    /** Share of training tokens covered by the vocabulary. */
    coverage: z.number(),
    lengthPercentile: z.number(),
    lengthAtPercentile: z.number(),
    maxLength: z.number().int(),
    /** Share of training texts cut by the sequence length. */
    truncatedShare: z.number(),
  }),
});
export type FittedTokenizer = z.infer<typeof fittedTokenizerSchema>;

export interface TokenizerOptions {
  /** Vocabulary size including the padding and OOV entries (default 10,000). */
  maxVocabulary?: number;
  /** Words seen fewer times than this in training map to OOV (default 1). */
  minCount?: number;
  /** Fixed sequence length; when omitted it is chosen from the data (see `lengthPercentile`). */
  sequenceLength?: number;
  /** Length percentile of the training texts used as the sequence length (default 0.95). */
  lengthPercentile?: number;
  /** Bounds for a length chosen from the data (default 8..500). */
  minSequenceLength?: number;
  maxSequenceLength?: number;
  padding?: 'pre' | 'post';
  truncating?: 'pre' | 'post';
  lowercase?: boolean;
}

// One segmenter for all languages: ICU picks dictionary segmentation for CJK runs by script,
// whatever the locale, and rule-based boundaries elsewhere.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Splits a text into word tokens (punctuation and spaces dropped). */
export function tokenize(text: string, lowercase = true): string[] {
  let normalized = text.normalize('NFKC');
  if (lowercase) normalized = normalized.toLowerCase();
  const tokens: string[] = [];
  for (const part of segmenter.segment(normalized)) {
    if (part.isWordLike) tokens.push(part.segment);
  }
  return tokens;
}

/** Fits vocabulary and sequence length on the training texts. Deterministic for the same input. */
export function fitTokenizer(texts: readonly string[], options: TokenizerOptions = {}): FittedTokenizer {
  const fitter = new TokenizerFitter(options.lowercase ?? true);
  for (const text of texts) fitter.add(text);
  return fitter.finish(options);
}

/**
 * What fitting learns, gathered one training text at a time so texts can stream from a file:
 * word counts (bounded, see BoundedCounter: exact up to 250,000 distinct words) and a histogram
 * of text lengths, whose percentile equals that of the sorted lengths.
 */
export class TokenizerFitter {
  private readonly words = new BoundedCounter();
  private readonly lengths = new Map<number, number>();
  private documents = 0;
  private totalTokens = 0;

  constructor(private readonly lowercase = true) {}

  add(text: string): void {
    const tokens = tokenize(text, this.lowercase);
    this.documents++;
    this.totalTokens += tokens.length;
    this.lengths.set(tokens.length, (this.lengths.get(tokens.length) ?? 0) + 1);
    for (const token of tokens) this.words.add(token);
  }

  /** The fitted tokenizer; may be called again with other options (another vocabulary size). */
  finish(options: TokenizerOptions = {}): FittedTokenizer {
    const maxVocabulary = Math.max(2, Math.floor(options.maxVocabulary ?? 10_000));
    const minCount = Math.max(1, Math.floor(options.minCount ?? 1));
    const percentile = options.lengthPercentile ?? 0.95;
    // Most frequent first; ties broken by code point order so the same data gives the same ids.
    const ranked = this.words
      .ranked()
      .filter(([, count]) => count >= minCount)
      .slice(0, maxVocabulary - 2);
    const covered = ranked.reduce((sum, [, count]) => sum + count, 0);
    const n = this.documents;
    const byLength = [...this.lengths.entries()].sort((a, b) => a[0] - b[0]);
    const atPercentile = n ? lengthAt(byLength, Math.max(0, Math.min(n - 1, Math.ceil(percentile * n) - 1))) : 0;
    const maxLength = byLength.length ? byLength[byLength.length - 1][0] : 0;
    const sequenceLength =
      options.sequenceLength ??
      Math.min(options.maxSequenceLength ?? 500, Math.max(options.minSequenceLength ?? 8, atPercentile));
    const truncated = byLength.reduce((sum, [length, count]) => sum + (length > sequenceLength ? count : 0), 0);
    return {
      formatVersion: TOKENIZER_FORMAT_VERSION,
      kind: 'intl-word',
      lowercase: this.lowercase,
      vocabulary: [PAD_TOKEN, OOV_TOKEN, ...ranked.map(([token]) => token)],
      sequenceLength,
      padding: options.padding ?? 'pre',
      truncating: options.truncating ?? 'post',
      stats: {
        documents: n,
        distinctTokens: this.words.distinct,
        coverage: this.totalTokens ? covered / this.totalTokens : 0,
        lengthPercentile: percentile,
        lengthAtPercentile: atPercentile,
        maxLength,
        truncatedShare: n ? truncated / n : 0,
      },
    };
  }
}

/** The length of the text at `index` in length order, from (length, texts) pairs sorted by length. */
function lengthAt(byLength: [number, number][], index: number): number {
  let seen = 0;
  for (const [length, count] of byLength) {
    seen += count;
    if (seen > index) return length;
  }
  return byLength[byLength.length - 1][0];
}

/** A fitted tokenizer ready to encode: the word -> index map is built once. */
export class TokenEncoder {
  readonly fitted: FittedTokenizer;
  private readonly index: Map<string, number>;

  constructor(fitted: FittedTokenizer) {
    this.fitted = fitted;
    this.index = new Map(fitted.vocabulary.map((token, i) => [token, i]));
  }

  get vocabularySize(): number {
    return this.fitted.vocabulary.length;
  }

  get sequenceLength(): number {
    return this.fitted.sequenceLength;
  }

  /** Token ids of one text, padded or truncated to the sequence length, written into `out`. */
  encodeInto(text: string, out: Int32Array, offset = 0): void {
    const { sequenceLength: n, padding, truncating, lowercase } = this.fitted;
    let tokens = tokenize(text, lowercase);
    if (tokens.length > n) tokens = truncating === 'post' ? tokens.slice(0, n) : tokens.slice(tokens.length - n);
    const start = padding === 'pre' ? n - tokens.length : 0;
    out.fill(PAD_INDEX, offset, offset + n);
    for (let i = 0; i < tokens.length; i++) out[offset + start + i] = this.index.get(tokens[i]) ?? OOV_INDEX;
  }

  /** One text as ids. */
  encode(text: string): Int32Array {
    const out = new Int32Array(this.fitted.sequenceLength);
    this.encodeInto(text, out);
    return out;
  }

  /** Many texts as one row-major [texts × sequenceLength] array. */
  encodeAll(texts: readonly string[]): Int32Array {
    const n = this.fitted.sequenceLength;
    const out = new Int32Array(texts.length * n);
    texts.forEach((text, i) => this.encodeInto(text, out, i * n));
    return out;
  }
}

/** Validates a tokenizer read from disk or received from another process. */
export function parseTokenizer(value: unknown): FittedTokenizer {
  return fittedTokenizerSchema.parse(value);
}
