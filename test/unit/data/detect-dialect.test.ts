import { describe, expect, it } from 'vitest';
import { columnNames, detectDialect, detectNewline, guessHeader } from '../../../main/core/data/detect-dialect';

describe('detectDialect', () => {
  it('finds the delimiter that splits rows consistently', () => {
    expect(detectDialect('a,b,c\n1,2,3\n4,5,6\n').delimiter).toBe(',');
    expect(detectDialect('name;score;team\nAnna;3,5;red\nBen;4;blue\n').delimiter).toBe(';');
    expect(detectDialect('a\tb\n1\t2\n').delimiter).toBe('\t');
    expect(detectDialect('a|b|c\n1|2|3\n').delimiter).toBe('|');
  });

  it('ignores delimiters inside quotes', () => {
    const d = detectDialect('text,label\n"hello, world; again",a\n"one, two",b\n');
    expect(d.delimiter).toBe(',');
    expect(d.rows[1]).toEqual(['hello, world; again', 'a']);
  });

  it('prefers tab for .tsv and reads a one-column file', () => {
    expect(detectDialect('x\ty\n1\t2\n', { tsv: true }).delimiter).toBe('\t');
    const single = detectDialect('review\ngreat product\nterrible\n');
    expect(single.rows[0]).toEqual(['review']);
  });

  it('honours overrides', () => {
    const d = detectDialect('a;b\n1;2\n', { delimiter: ',', hasHeader: false });
    expect(d.delimiter).toBe(',');
    expect(d.hasHeader).toBe(false);
  });

  it('detects line endings', () => {
    expect(detectNewline('a\r\nb\r\n')).toBe('\r\n');
    expect(detectNewline('a\nb\n')).toBe('\n');
    expect(detectNewline('a\rb\r')).toBe('\r');
  });
});

describe('guessHeader', () => {
  it('says yes when words head columns of numbers', () => {
    expect(guessHeader([['age', 'income'], ['31', '5000'], ['45', '7000']])).toBe(true);
  });
  it('says no when the first row looks like the rest', () => {
    expect(guessHeader([['1', '0.5', 'apple'], ['2', '0.7', 'pear'], ['3', '0.1', 'apple']])).toBe(false);
  });
  it('says yes for all-text tables whose first row never recurs', () => {
    expect(guessHeader([['text', 'label'], ['good stuff', 'pos'], ['bad stuff', 'neg']])).toBe(true);
  });
});

describe('columnNames', () => {
  it('names blank header cells and makes names unique', () => {
    expect(columnNames(['id', '', 'id', ' score '], 4)).toEqual(['id', 'column_2', 'id_2', 'score']);
    expect(columnNames(null, 2)).toEqual(['column_1', 'column_2']);
  });
});
