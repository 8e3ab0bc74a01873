import { menuStrings } from '../../main/app/menu-strings';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../main/contract/errors';
import { backendIds, rungReasonSchema, stepIds } from '../../main/contract/schemas';
import en from '../../renderer/i18n/en';
import zhCN from '../../renderer/i18n/zh-CN';

const tables: Record<string, Record<string, string>> = { en, 'zh-CN': zhCN };

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}

describe('i18n tables', () => {
  it('have exactly the same keys in every language', () => {
    const enKeys = Object.keys(en).sort();
    for (const [locale, table] of Object.entries(tables)) {
      const keys = Object.keys(table).sort();
      expect(enKeys.filter((k) => !keys.includes(k)), `missing in ${locale}`).toEqual([]);
      expect(keys.filter((k) => !enKeys.includes(k)), `unknown to en, in ${locale}`).toEqual([]);
    }
  });

  it('have no empty strings', () => {
    for (const [locale, table] of Object.entries(tables)) {
      const empty = Object.entries(table).filter(([, text]) => typeof text !== 'string' || text.trim() === '');
      expect(empty.map(([key]) => key), `empty in ${locale}`).toEqual([]);
    }
  });

  it('use the same {param} placeholders for a key in every language', () => {
    const mismatched: string[] = [];
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const expected = placeholders(en[key]);
      for (const [locale, table] of Object.entries(tables)) {
        const actual = placeholders(table[key] ?? '');
        if (actual.join() !== expected.join()) mismatched.push(`${locale} ${key}: {${actual}} vs en {${expected}}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  it('word every contract error code in every language', () => {
    for (const table of Object.values(tables)) {
      for (const code of errorCodes) expect(table[`errors.${code}`], `errors.${code}`).toBeTruthy();
    }
  });

  it('word every reason a compute backend rung can give', () => {
    for (const table of Object.values(tables)) {
      for (const reason of rungReasonSchema.options) expect(table[`reasons.${reason}`], `reasons.${reason}`).toBeTruthy();
    }
  });

  it('name and explain every backend rung and every wizard step', () => {
    for (const table of Object.values(tables)) {
      for (const id of backendIds) {
        expect(table[`backends.${id}.name`], `backends.${id}.name`).toBeTruthy();
        expect(table[`backends.${id}.hint`], `backends.${id}.hint`).toBeTruthy();
      }
      for (const id of stepIds) {
        expect(table[`steps.${id}.title`], `steps.${id}.title`).toBeTruthy();
        expect(table[`steps.${id}.explain`], `steps.${id}.explain`).toBeTruthy();
      }
    }
  });

  it('translates rather than copies: most Chinese strings differ from the English ones', () => {
    const same = Object.keys(en).filter((key) => zhCN[key as keyof typeof en] === en[key as keyof typeof en]);
    // Product and technology names (ModelPilot, TensorFlow, WebAssembly, JavaScript) stay as they are.
    expect(same.length).toBeLessThanOrEqual(6);
  });
});

describe('the native menu strings', () => {
  it('have the same keys in both languages and no empty label', () => {
    expect(Object.keys(menuStrings['zh-CN']).sort()).toEqual(Object.keys(menuStrings.en).sort());
    for (const table of Object.values(menuStrings)) for (const label of Object.values(table)) expect(label.trim()).not.toBe('');
  });
});
