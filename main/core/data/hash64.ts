/**
 * A fast, seedable 64-bit string hash (two 32-bit lanes in the style of cyrb53/MurmurHash3's
 * finalizer). Not cryptographic: it only needs to tell rows apart. With 64 bits, the chance that
 * any two of n distinct rows collide is about n^2 / 2^65 (10 million rows: about 3 in a million),
 * so duplicate counts are exact in practice.
 */
export function hash64(text: string, seed = 0): [number, number] {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

/** Joins cells into one key; U+0001 cannot appear in typed data, so ["a,b"] and ["a","b"] differ. */
export const KEY_SEPARATOR = '\u0001';
