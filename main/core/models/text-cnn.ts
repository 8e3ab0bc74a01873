import * as tf from '@tensorflow/tfjs';
import { addDropout, buildTextModel, glorot, intParam, kernelRegularizer, text } from './layers-util';
import { embeddingDimParam, sequenceLengthParam, vocabularySizeParam } from './text-params';
import type { ModelBuildSpec, ModelDefinition } from './types';

/** Embedding → Conv1D (phrase detectors) → global max pool → (dropout) → Dense. */
export const textCnn: ModelDefinition = {
  input: 'sequence',
  entry: {
    id: 'text-cnn',
    tasks: ['text-classification'],
    family: 'text',
    name: text('Phrase spotter (CNN)', '短语探测器（CNN）'),
    description: {
      what: text(
        'Slides a set of learned phrase detectors over each text (a few words at a time) and keeps the strongest match of each.',
        '用一组学到的“短语探测器”在文本上滑动（每次看几个相邻的词），并保留每个探测器最强的匹配。',
      ),
      when: text(
        'When a few telling phrases decide the label wherever they appear (“refund please”, “不能开机”). A good middle ground for most text tasks.',
        '当少数关键短语（如“申请退款”“不能开机”）无论出现在哪里都能决定标签时使用。是多数文本任务的折中之选。',
      ),
      tradeoff: text(
        'Much faster than the readers and usually close in accuracy; it sees short phrases, not the order of the whole text.',
        '比序列阅读器快得多，准确率通常接近；但它只看短语，不看整段文本的顺序。',
      ),
    },
    speed: 3,
    capacity: 3,
    hyperparameters: [
      vocabularySizeParam(20_000),
      sequenceLengthParam,
      embeddingDimParam(64),
      intParam(
        'filters',
        64,
        4,
        512,
        text('Phrase detectors', '短语探测器数量'),
        text('How many kinds of phrase the model can learn to spot.', '模型能学会识别多少种短语。'),
        'log',
      ),
      intParam(
        'kernelSize',
        5,
        2,
        9,
        text('Phrase length (words)', '短语长度（词数）'),
        text('How many neighbouring words each detector looks at.', '每个探测器同时看几个相邻的词。'),
      ),
    ],
    defaults: { epochs: 8, batchSize: 32, learningRate: 0.001, optimizer: 'adam' },
  },
  build(spec: ModelBuildSpec): tf.LayersModel {
    const hp = spec.hyperparameters;
    return buildTextModel(spec, 'text-cnn', (model, seed) => {
      model.add(
        tf.layers.conv1d({
          filters: hp.filters,
          kernelSize: hp.kernelSize,
          activation: 'relu',
          // 'same' keeps texts shorter than the phrase length valid.
          padding: 'same',
          kernelInitializer: glorot(seed),
          kernelRegularizer: kernelRegularizer(spec),
          name: 'conv1d',
        }),
      );
      model.add(tf.layers.globalMaxPooling1d({ name: 'max_pool' }));
      addDropout(model, spec);
    });
  },
};
