import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import glossaryEn from '../../renderer/i18n/glossary.en';
import glossaryZh from '../../renderer/i18n/glossary.zh-CN';
import { glossaryAliases, glossaryWordsIn } from '../../renderer/i18n/glossary-aliases';
import needsEn from '../../renderer/i18n/needs.en';
import needsZh from '../../renderer/i18n/needs.zh-CN';
import en from '../../renderer/i18n/en';
import zhCN from '../../renderer/i18n/zh-CN';

const words = Object.keys(glossaryEn)
  .filter((k) => k.endsWith('.term'))
  .map((k) => k.slice('glossary.'.length, -'.term'.length));

describe('the glossary', () => {
  it('names and explains every word in both languages, in a line', () => {
    expect(Object.keys(glossaryZh).sort()).toEqual(Object.keys(glossaryEn).sort());
    for (const word of words) {
      for (const [locale, table] of [['en', glossaryEn], ['zh-CN', glossaryZh]] as const) {
        const term = (table as Record<string, string>)[`glossary.${word}.term`];
        const hint = (table as Record<string, string>)[`glossary.${word}.hint`];
        expect(term?.trim(), `${locale} ${word}.term`).toBeTruthy();
        expect(hint?.trim(), `${locale} ${word}.hint`).toBeTruthy();
        // A hover hint is a line or two, not a lesson.
        expect(hint.length, `${locale} ${word}.hint is long`).toBeLessThanOrEqual(locale === 'en' ? 170 : 80);
      }
      expect((glossaryZh as Record<string, string>)[`glossary.${word}.hint`]).not.toBe((glossaryEn as Record<string, string>)[`glossary.${word}.hint`]);
    }
  });

  it('covers the words the issue names and the ones the steps use', () => {
    const required = ['neuralNetwork', 'deepLearning', 'embedding', 'loss', 'backpropagation', 'learningRate', 'momentum', 'overfitting', 'regularization', 'earlyStopping', 'precision', 'recall'];
    const more = ['f1', 'macroF1', 'accuracy', 'falsePositive', 'falseNegative', 'confusionMatrix', 'threshold', 'mae', 'rmse', 'r2', 'epoch', 'batch', 'dropout', 'optimizer', 'parameter', 'token', 'gpu', 'flops', 'fineTuning', 'lora'];
    for (const word of [...required, ...more]) expect(words, word).toContain(word);
  });

  it('is spread into both language tables', () => {
    for (const key of Object.keys(glossaryEn) as (keyof typeof glossaryEn)[]) {
      expect(en[key]).toBe(glossaryEn[key]);
      expect(zhCN[key]).toBe(glossaryZh[key]);
    }
    for (const key of Object.keys(needsEn) as (keyof typeof needsEn)[]) {
      expect(en[key]).toBe(needsEn[key]);
      expect(zhCN[key]).toBe(needsZh[key]);
    }
  });

  it('finds glossary words in running text in either language', () => {
    expect(glossaryWordsIn('Can overfit small tables (use dropout and early stopping).', 'en')).toEqual(['overfitting', 'dropout', 'earlyStopping']);
    expect(glossaryWordsIn('在小表格上容易过拟合（可用 Dropout 和提前停止）。', 'zh-CN')).toEqual(['overfitting', 'dropout', 'earlyStopping']);
    for (const key of Object.keys(glossaryAliases)) expect(words).toContain(key);
  });

  it('every term="…" in the components is a glossary word', () => {
    const used = new Set<string>();
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : []));
    for (const file of walk('renderer')) for (const m of readFileSync(file, 'utf8').matchAll(/\bterm="([A-Za-z0-9]+)"/g)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(5);
    for (const word of used) expect(words, word).toContain(word);
  });
});
