import * as tf from '@tensorflow/tfjs';
import { fusedGru } from '../backends/fused-rnn-layers';
import { buildTextModel, glorot, intParam, kernelRegularizer, orthogonal, text } from './layers-util';
import { embeddingDimParam, sequenceLengthParam, vocabularySizeParam } from './text-params';
import type { ModelBuildSpec, ModelDefinition } from './types';

/** Embedding → Bidirectional GRU (forward and backward readers, concatenated) → Dense. */
export const textBigru: ModelDefinition = {
  input: 'sequence',
  entry: {
    id: 'text-bigru',
    tasks: ['text-classification'],
    family: 'text',
    name: text('Two-way reader (BiGRU)', '双向阅读器（BiGRU）'),
    description: {
      what: text(
        'Reads each text twice, front to back and back to front, and combines both readings, so every word is seen with what comes before and after it.',
        '把每条文本从前往后、从后往前各读一遍，再合并两次的理解，每个词都能结合前后文来看。',
      ),
      when: text(
        'When the important words can sit anywhere in a long text and the sequence reader misses them. Needs thousands of labelled texts.',
        '关键信息可能出现在长文本任何位置、单向阅读器抓不住时使用。需要几千条以上带标签的文本。',
      ),
      tradeoff: text(
        'Usually the most accurate text model here, and about twice the work of the one-way reader per text: the slowest to train.',
        '通常是这里最准的文本模型，但每条文本的计算量约为单向阅读器的两倍，训练最慢。',
      ),
    },
    speed: 1,
    capacity: 5,
    hyperparameters: [
      vocabularySizeParam(10_000),
      sequenceLengthParam,
      embeddingDimParam(32),
      intParam(
        'units',
        32,
        4,
        256,
        text('Memory size (each direction)', '记忆单元数（每个方向）'),
        text('How much each reader remembers. Larger learns more but trains slower.', '每个方向的阅读器能记住的信息量。越大学得越多，但训练越慢。'),
        'log',
      ),
    ],
    defaults: { epochs: 8, batchSize: 32, learningRate: 0.001, optimizer: 'adam' },
  },
  build(spec: ModelBuildSpec): tf.LayersModel {
    const hp = spec.hyperparameters;
    return buildTextModel(spec, 'text-bigru', (model, seed) => {
      const gru = fusedGru({
        units: hp.units,
        dropout: spec.dropout || undefined,
        kernelInitializer: glorot(seed),
        recurrentInitializer: orthogonal(seed),
        // Sigmoid gates, as in text-lstm.ts.
        recurrentActivation: 'sigmoid',
        kernelRegularizer: kernelRegularizer(spec),
        name: 'gru',
      });
      model.add(tf.layers.bidirectional({ layer: gru as tf.RNN, mergeMode: 'concat', name: 'bidirectional' }));
    });
  },
};
