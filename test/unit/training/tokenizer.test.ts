import { describe, expect, it } from 'vitest';
import { fitTokenizer, OOV_INDEX, PAD_INDEX, parseTokenizer, tokenize, TokenEncoder } from '../../../main/core/text/tokenizer';

describe('tokenize', () => {
  it('splits space-separated languages at words, dropping punctuation, folding case and width', () => {
    expect(tokenize('The product is GREAT, I love it!! 5 stars')).toEqual(['the', 'product', 'is', 'great', 'i', 'love', 'it', '5', 'stars']);
    expect(tokenize("café naïve don't")).toEqual(['café', 'naïve', "don't"]);
    // Full-width letters and digits (common in Chinese input) fold to ASCII.
    expect(tokenize('ＡＢＣ１２３')).toEqual(['abc123']);
  });

  it('segments Chinese into words and keeps embedded Latin words', () => {
    expect(tokenize('这个产品非常好用，我很喜欢！')).toEqual(['这个', '产品', '非常', '好用', '我', '很喜欢']);
    expect(tokenize('我用iPhone 15拍照效果很好')).toEqual(['我', '用', 'iphone', '15', '拍照', '效果', '很好']);
  });
});

describe('fitTokenizer', () => {
  const train = ['good good product', 'bad product', 'good service', '很 好', 'a b c d e f g h i j k l'];

  it('builds the vocabulary from training texts only, most frequent first, with pad and OOV', () => {
    const fitted = fitTokenizer(train, { maxVocabulary: 5 });
    expect(fitted.vocabulary).toEqual(['<pad>', '<oov>', 'good', 'product', 'a']);
    const encoder = new TokenEncoder(fitted);
    // A word only validation has seen is out of vocabulary.
    const ids = encoder.encode('good unseenword');
    expect(Array.from(ids).filter((i) => i !== PAD_INDEX)).toEqual([2, OOV_INDEX]);
    expect(fitted.stats.distinctTokens).toBe(18);
    expect(fitted.stats.coverage).toBeGreaterThan(0);
  });

  it('chooses the sequence length from the data (95th percentile, bounded) unless given', () => {
    const lengths = Array.from({ length: 100 }, (_, i) => Array(i < 95 ? 10 : 40).fill('w').join(' '));
    expect(fitTokenizer(lengths).sequenceLength).toBe(10);
    expect(fitTokenizer(lengths, { lengthPercentile: 1 }).sequenceLength).toBe(40);
    expect(fitTokenizer(['a b'], {}).sequenceLength).toBe(8); // lower bound
    expect(fitTokenizer(lengths, { sequenceLength: 3 }).sequenceLength).toBe(3);
    expect(fitTokenizer(lengths).stats.truncatedShare).toBeCloseTo(0.05);
  });

  it('pads before and truncates after by default', () => {
    const encoder = new TokenEncoder(fitTokenizer(['a b c d e'], { sequenceLength: 3 }));
    const [a, b, c] = ['a', 'b', 'c'].map((w) => encoder.fitted.vocabulary.indexOf(w));
    expect(Array.from(encoder.encode('a'))).toEqual([PAD_INDEX, PAD_INDEX, a]);
    expect(Array.from(encoder.encode('a b c d e'))).toEqual([a, b, c]);
    const post = new TokenEncoder(fitTokenizer(['a b c d e'], { sequenceLength: 3, padding: 'post', truncating: 'pre' }));
    expect(Array.from(post.encode('a'))).toEqual([a, PAD_INDEX, PAD_INDEX]);
    expect(post.encode('a b c d e')[2]).toBe(post.fitted.vocabulary.indexOf('e'));
  });

  it('is plain JSON that round-trips and encodes the same way', () => {
    const fitted = fitTokenizer(['这个产品非常好用', 'the product is great'], { maxVocabulary: 100 });
    const revived = parseTokenizer(JSON.parse(JSON.stringify(fitted)));
    expect(revived).toEqual(fitted);
    const texts = ['产品很好用', 'great product'];
    expect(new TokenEncoder(revived).encodeAll(texts)).toEqual(new TokenEncoder(fitted).encodeAll(texts));
    expect(() => parseTokenizer({ ...fitted, vocabulary: ['only-one'] })).toThrow();
  });

  it('is deterministic: ties are broken by the token itself', () => {
    const a = fitTokenizer(['x y z', 'z y x']);
    const b = fitTokenizer(['z y x', 'x y z']);
    expect(a.vocabulary).toEqual(b.vocabulary);
  });
});
