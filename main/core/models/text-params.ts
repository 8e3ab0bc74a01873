/** Hyperparameters the text models share: vocabulary, sequence length and embedding width. */
import type { HyperparameterSpec } from '../../contract/training';
import { intParam, text } from './layers-util';

export function vocabularySizeParam(value: number): HyperparameterSpec {
  return intParam(
    'vocabularySize',
    value,
    100,
    50_000,
    text('Vocabulary size', '词表大小'),
    text(
      'How many of the most frequent training words the model knows; rarer words all read as "unknown". More words: more detail, a bigger model.',
      '模型认识的训练集高频词数量；更少见的词都当作“未知词”。词越多，细节越多，模型也越大。',
    ),
    'log',
  );
}

export const sequenceLengthParam: HyperparameterSpec = intParam(
  'sequenceLength',
  0,
  0,
  2000,
  text('Text length (words)', '文本长度（词数）'),
  text(
    'Words read per text; longer texts are cut, shorter ones padded. 0 chooses it from your data (95% of training texts fit).',
    '每条文本读取的词数；更长的会被截断，更短的会补齐。0 表示根据数据自动选择（95% 的训练文本能完整放下）。',
  ),
);

export function embeddingDimParam(value: number): HyperparameterSpec {
  return intParam(
    'embeddingDim',
    value,
    4,
    512,
    text('Word vector size', '词向量维度'),
    text(
      'How many numbers describe each word. Larger captures finer meaning but trains slower and needs more data.',
      '用多少个数字描述一个词。越大越能表达细微含义，但训练更慢、需要更多数据。',
    ),
    'log',
  );
}
