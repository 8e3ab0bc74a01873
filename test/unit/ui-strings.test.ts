import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every word a person can see comes from the language tables: a text node or a visible attribute
 * (title, placeholder, aria-*, alt, label) written as a literal in a component fails here.
 * Punctuation, symbols and numbers are fine; names that are the same in every language are
 * allowed below, one by one.
 */
const ALLOWED = new Set<string>([
  // Names of formats, tools and languages, written the same in English and Chinese (Deployment step).
  'TF.js',
  'API',
  'title="curl"',
  'title="JavaScript"',
  'title="Python"',
]);
const VISIBLE_ATTRIBUTES = ['title', 'placeholder', 'aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'alt', 'label'];

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : []));
}

/** Replaces every `{…}` (balanced, minding quoted strings) with a space. */
export function stripExpressions(markup: string): string {
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < markup.length; i++) {
    const c = markup[i];
    if (depth === 0) {
      if (c === '{') depth = 1;
      else out += c;
      continue;
    }
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) out += ' ';
  }
  return out;
}

/** The literal words of a component's markup: text nodes and visible attribute values. */
export function literalStrings(source: string): string[] {
  const markup = stripExpressions(
    source
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<!--[\s\S]*?-->/g, ''),
  );
  const found: string[] = [];
  for (const m of markup.matchAll(/\s([a-zA-Z-]+)\s*=\s*(["'])(.*?)\2/g)) {
    if (VISIBLE_ATTRIBUTES.includes(m[1]) && /\p{L}/u.test(m[3])) found.push(`${m[1]}="${m[3]}"`);
  }
  const text = markup.replace(/<[^>]*>/g, '\n');
  for (const chunk of text.split('\n')) {
    // Character references (&nbsp;, &#8212;) are punctuation, not words.
    const words = chunk.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, ' ').trim();
    if (/\p{L}/u.test(words)) found.push(words);
  }
  return found.filter((s) => !ALLOWED.has(s));
}

describe('user-visible strings', () => {
  it('all come from the language tables (none hard-coded in a component)', () => {
    const offenders: string[] = [];
    for (const file of svelteFiles('renderer')) {
      for (const literal of literalStrings(readFileSync(file, 'utf8'))) offenders.push(`${relative('.', file)}: ${literal}`);
    }
    expect(offenders).toEqual([]);
  });

  it('the check itself finds text nodes and visible attributes, and ignores expressions, tags and test ids', () => {
    const sample = `<script>const a = 'Hello';</script>
      <p>{t('x')} – 3 {#if a}<b>{a}</b>{/if}</p>
      <button title="Close" data-testid="close-button" aria-label={t('y')} onclick={() => go('{not}')}>×</button>
      <span>Save now</span><input placeholder="{t('z')}" /><img alt="Logo" />`;
    expect(literalStrings(sample)).toEqual(['title="Close"', 'alt="Logo"', 'Save now']);
  });
});
