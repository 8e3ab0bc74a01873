import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding } from '../../../main/core/data/detect-encoding';
import { coreErrorOf, fixture } from './helpers';

const chinese = 'id,评论,标签\n1,这个产品很好用，物流也很快,正面\n2,质量太差了，不推荐购买,负面\n3,服务态度不错,正面\n';
const traditional = '評論,標籤\n這個產品很好用,好評\n質量太差了,差評\n服務態度不錯,好評\n';

describe('detectEncoding', () => {
  it('reads byte-order marks with full confidence', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), true).encoding).toBe('utf-8');
    expect(detectEncoding(iconv.encode('a,b\n', 'utf-16le', { addBOM: true }), true)).toMatchObject({ encoding: 'utf-16le', confidence: 1 });
    expect(detectEncoding(iconv.encode('a,b\n', 'utf-16be', { addBOM: true }), true).encoding).toBe('utf-16be');
  });

  it('finds UTF-16 without a BOM from its zero bytes', () => {
    expect(detectEncoding(iconv.encode('name,score\nann,3\n', 'utf-16le'), true).encoding).toBe('utf-16le');
    expect(detectEncoding(iconv.encode('name,score\nann,3\n', 'utf-16be'), true).encoding).toBe('utf-16be');
  });

  it('takes valid UTF-8 as UTF-8, even when the sample cuts a character in two', () => {
    const bytes = Buffer.from(chinese);
    expect(detectEncoding(bytes, true).encoding).toBe('utf-8');
    const cut = bytes.subarray(0, bytes.indexOf(Buffer.from('评')) + 2); // mid-character
    expect(detectEncoding(cut, false).encoding).toBe('utf-8');
  });

  it('tells GBK (read as GB18030) from Big5', () => {
    expect(detectEncoding(iconv.encode(chinese, 'gbk'), true).encoding).toBe('gb18030');
    expect(detectEncoding(iconv.encode(chinese, 'gb18030'), true).encoding).toBe('gb18030');
    expect(detectEncoding(iconv.encode(traditional, 'big5'), true).encoding).toBe('big5');
  });

  it('detects the committed fixtures', async () => {
    expect(detectEncoding(await readFile(fixture('messy-gbk.csv')), true).encoding).toBe('gb18030');
    expect(detectEncoding(await readFile(fixture('reviews-big5.csv')), true).encoding).toBe('big5');
    expect(detectEncoding(await readFile(fixture('messy-utf16le-bom.csv')), true).encoding).toBe('utf-16le');
    expect(detectEncoding(await readFile(fixture('messy-utf8-bom.csv')), true).encoding).toBe('utf-8');
  });

  it('falls back to Windows-1252 for western legacy text, with lower confidence', () => {
    const guess = detectEncoding(iconv.encode('name,city\nJosé,Bogotá\nRenée,Zürich\nFrançois,Besançon\n', 'windows-1252'), true);
    expect(guess.encoding).toBe('windows-1252');
    expect(guess.confidence).toBeLessThan(1);
  });

  it('refuses binary files', async () => {
    const error = await coreErrorOf(() => detectEncoding(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]), true, 'x.csv'));
    expect(error.code).toBe('data_binary');
    expect(error.message).toContain('PNG');
  });

  it('refuses encodings it cannot read, naming them', async () => {
    const japanese = 'これは日本語のテキストです。商品はとても良いです。配送も早かったです。また購入したいと思います。'.repeat(4);
    const error = await coreErrorOf(() => detectEncoding(iconv.encode(japanese, 'shift_jis'), true, 'jp.csv'));
    expect(error.code).toBe('data_encoding_unknown');
    expect(error.params.detected).toBe('Shift_JIS');
  });
});
