import type * as tf from '@tensorflow/tfjs';
import { fusedLstm } from '../backends/fused-rnn-layers';
import { buildTextModel, glorot, intParam, kernelRegularizer, orthogonal, text } from './layers-util';
import { embeddingDimParam, sequenceLengthParam, vocabularySizeParam } from './text-params';
import type { ModelBuildSpec, ModelDefinition } from './types';

/**
 * The seed model: Embedding(10,000 words, 32) → LSTM(64) → Dense(1, sigmoid), trained with Adam
 * and binary cross-entropy (softmax and categorical cross-entropy for more than two classes).
 * The vocabulary size is a cap: a data set with fewer distinct words gets a smaller Embedding.
 */
export const textLstm: ModelDefinition = {
  input: 'sequence',
  entry: {
    id: 'text-lstm',
    tasks: ['text-classification'],
    family: 'text',
    name: text('Sequence reader (LSTM)', '序列阅读器（LSTM）'),
    description: {
      what: text(
        'Reads each text word by word and keeps a running memory of what it has read, so word order matters (“not good” differs from “good”).',
        '逐词阅读每条文本，并持续记住读过的内容，因此词序有意义（“不好”和“好”不同）。',
      ),
      when: text(
        'Short to medium texts where meaning depends on order and negation: reviews, support tickets, comments. A few thousand labelled texts or more.',
        '适合语义依赖词序和否定的短到中等长度文本：评论、工单、留言。建议有几千条以上带标签的文本。',
      ),
      tradeoff: text(
        'Often more accurate than word-count models, but the slowest to train here (it reads one word at a time) and needs more data.',
        '通常比只看词频的模型更准，但在这里训练最慢（一次读一个词），也需要更多数据。',
      ),
    },
    speed: 1,
    capacity: 4,
    hyperparameters: [
      vocabularySizeParam(10_000),
      sequenceLengthParam,
      embeddingDimParam(32),
      intParam(
        'units',
        64,
        4,
        512,
        text('Memory size', '记忆单元数'),
        text('How much the reader can remember while reading. Larger learns more but trains slower.', '阅读时能记住的信息量。越大学得越多，但训练越慢。'),
        'log',
      ),
    ],
    defaults: { epochs: 10, batchSize: 32, learningRate: 0.001, optimizer: 'adam' },
  },
  build(spec: ModelBuildSpec): tf.LayersModel {
    const hp = spec.hyperparameters;
    return buildTextModel(spec, 'text-lstm', (model, seed) => {
      model.add(
        fusedLstm({
          units: hp.units,
          // Dropout on the LSTM's inputs keeps the layer list exactly the seed model's.
          dropout: spec.dropout || undefined,
          kernelInitializer: glorot(seed),
          recurrentInitializer: orthogonal(seed),
          // Sigmoid gates, the default of Keras 2.3+ and PyTorch; tfjs's older hardSigmoid costs five
          // kernels per step in backprop (28% slower per batch on wasm).
          recurrentActivation: 'sigmoid',
          kernelRegularizer: kernelRegularizer(spec),
          name: 'lstm',
        }),
      );
    });
  },
};
