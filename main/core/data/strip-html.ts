const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * Text without HTML: scripts and styles dropped, tags removed (block tags leave a space so words
 * do not glue together), the common entities decoded, runs of spaces collapsed. Not a sanitizer
 * for display, only clean text for a model.
 */
export function stripHtml(text: string): string {
  if (text.indexOf('<') === -1 && text.indexOf('&') === -1) return text;
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?(br|p|div|li|tr|td|th|h[1-6]|ul|ol|table|section|article|header|footer)\b[^>]*>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (match, entity: string) => {
      const lower = entity.toLowerCase();
      if (lower.startsWith('#x')) return safeCodePoint(parseInt(lower.slice(2), 16), match);
      if (lower.startsWith('#') && lower !== '#39') return safeCodePoint(parseInt(lower.slice(1), 10), match);
      return NAMED[lower] ?? match;
    })
    .replace(/[ \t\u00a0]{2,}/g, ' ')
    .trim();
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}
