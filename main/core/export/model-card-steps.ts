/**
 * The cleaning recipe's steps in a sentence each, in the model card's language. English comes
 * from the data core's own describeStep; 简体中文 is worded here, from the same fitted values.
 */
import type { Locale } from '../../contract/schemas';
import type { RecipeStep } from '../../contract/data';
import { describeStep } from '../data/recipe';

const num = (x: number): string => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());
const cols = (names: readonly string[]): string => names.map((n) => `“${n}”`).join('、');

function zh(step: RecipeStep): string {
  switch (step.op) {
    case 'drop_duplicates':
      return step.columns ? `删除重复的行（比较${cols(step.columns)}）` : '删除重复的行';
    case 'drop_missing':
      return `删除${cols(step.columns)}缺失的行`;
    case 'drop_conflicts':
      return `删除同样输入却对应不同“${step.labelColumn}”的行`;
    case 'drop_classes':
      return `删除“${step.column}”为${cols(step.classes)}的行`;
    case 'drop_columns':
      return `删除列${cols(step.columns)}`;
    case 'trim':
      return `去掉${cols(step.columns)}首尾的空格`;
    case 'lowercase':
      return `把${cols(step.columns)}转成小写`;
    case 'strip_html':
      return `去掉${cols(step.columns)}里的 HTML 标签`;
    case 'fill_missing': {
      const value = step.fitted?.value ?? step.value ?? '';
      const shown = typeof value === 'number' ? num(value) : `“${value}”`;
      const how = { mean: '训练数据的平均值', median: '训练数据的中位数', mode: '训练数据中最常见的值', constant: '固定值' }[step.strategy];
      return `用${how} ${shown} 填补缺失的“${step.column}”`;
    }
    case 'clip_outliers':
      return step.fitted ? `把“${step.column}”限制在 ${num(step.fitted.low)} 到 ${num(step.fitted.high)} 之间` : `截断“${step.column}”的异常值`;
    case 'normalize': {
      const how = step.method === 'zscore' ? '标准化' : '缩放到 0–1';
      const fitted = step.fitted ? `（${step.method === 'zscore' ? '均值' : '最小值'} ${num(step.fitted.center)}，${step.method === 'zscore' ? '标准差' : '范围'} ${num(step.fitted.scale)}）` : '';
      return `${how}“${step.column}”${fitted}`;
    }
  }
}

/** One line per cleaning step, in `lang`. */
export function describeCleaningStep(step: RecipeStep, lang: Locale): string {
  return lang === 'zh-CN' ? zh(step) : describeStep(step).text;
}
