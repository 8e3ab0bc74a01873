/**
 * How glossary words appear inside running text (model descriptions and knob help, written on the
 * Node side), so `GlossaryWords` can explain the ones a text uses. Lower case; matched as words
 * in English, as substrings in Chinese. Patterns, not UI strings: the glossary tables word them.
 */
import type { Locale } from '../../main/contract/schemas';
import type { GlossaryKey } from './glossary.en';

export const glossaryAliases: Partial<Record<GlossaryKey, Record<Locale, string[]>>> = {
  neuralNetwork: { en: ['neural network'], 'zh-CN': ['神经网络'] },
  deepLearning: { en: ['deep learning'], 'zh-CN': ['深度学习'] },
  embedding: { en: ['embedding', 'word vector'], 'zh-CN': ['词向量', '嵌入'] },
  vocabulary: { en: ['vocabulary'], 'zh-CN': ['词表', '词汇表'] },
  token: { en: ['token'], 'zh-CN': ['词元'] },
  overfitting: { en: ['overfit', 'overfits', 'overfitting', 'memorize', 'memorizing'], 'zh-CN': ['过拟合', '死记'] },
  regularization: { en: ['regularization', 'penalty'], 'zh-CN': ['正则化', '惩罚'] },
  dropout: { en: ['dropout'], 'zh-CN': ['dropout', '随机失活'] },
  earlyStopping: { en: ['early stopping'], 'zh-CN': ['提前停止'] },
  learningRate: { en: ['learning rate'], 'zh-CN': ['学习率'] },
  momentum: { en: ['momentum'], 'zh-CN': ['动量'] },
  optimizer: { en: ['optimizer'], 'zh-CN': ['优化器'] },
  epoch: { en: ['epoch', 'epochs'], 'zh-CN': ['轮次'] },
  batch: { en: ['batch'], 'zh-CN': ['批次'] },
  loss: { en: ['loss'], 'zh-CN': ['损失'] },
  backpropagation: { en: ['backpropagation'], 'zh-CN': ['反向传播'] },
  accuracy: { en: ['accuracy', 'accurate'], 'zh-CN': ['准确率'] },
  precision: { en: ['precision'], 'zh-CN': ['精确率'] },
  recall: { en: ['recall'], 'zh-CN': ['召回率'] },
  parameter: { en: ['parameter', 'parameters', 'weights'], 'zh-CN': ['参数', '权重'] },
  classification: { en: ['classification', 'classifier'], 'zh-CN': ['分类'] },
  regression: { en: ['regression'], 'zh-CN': ['回归'] },
  label: { en: ['labelled', 'labeled', 'label'], 'zh-CN': ['标签'] },
  feature: { en: ['feature', 'features'], 'zh-CN': ['特征'] },
};

/** The glossary words a text uses, in the order of the glossary. */
export function glossaryWordsIn(text: string, locale: Locale): GlossaryKey[] {
  const lower = text.toLowerCase();
  return (Object.entries(glossaryAliases) as [GlossaryKey, Record<Locale, string[]>][])
    .filter(([, aliases]) =>
      aliases[locale].some((alias) => (locale === 'en' ? new RegExp(`\\b${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(lower) : lower.includes(alias))),
    )
    .map(([key]) => key);
}
