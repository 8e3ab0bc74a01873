import * as tf from '@tensorflow/tfjs';
import { addDropout, buildTextModel, text } from './layers-util';
import { embeddingDimParam, sequenceLengthParam, vocabularySizeParam } from './text-params';
import type { ModelBuildSpec, ModelDefinition } from './types';

/** fastText-like baseline: Embedding → average over the words → (dropout) → Dense. */
export const textBow: ModelDefinition = {
  input: 'sequence',
  entry: {
    id: 'text-bow',
    tasks: ['text-classification'],
    family: 'text',
    name: text('Word mix (fast baseline)', '词袋平均（快速基线）'),
    description: {
      what: text(
        'Learns a vector for each word and averages the words of a text, ignoring their order, like fastText.',
        '为每个词学习一个向量，再把一条文本里所有词的向量取平均，不考虑词序，类似 fastText。',
      ),
      when: text(
        'First try on any text task, large data sets, or when the topic words alone give the answer (spam, topic, language).',
        '任何文本任务的第一次尝试、数据量很大时，或仅凭主题词就能判断时（垃圾信息、主题、语言）。',
      ),
      tradeoff: text(
        'Trains in seconds and is hard to overfit, but cannot tell “not good” from “good”: word order is lost.',
        '几秒就能训练完，不易过拟合；但分不清“不好”和“好”，因为丢掉了词序。',
      ),
    },
    speed: 5,
    capacity: 2,
    hyperparameters: [vocabularySizeParam(20_000), sequenceLengthParam, embeddingDimParam(64)],
    defaults: { epochs: 15, batchSize: 64, learningRate: 0.005, optimizer: 'adam' },
  },
  build(spec: ModelBuildSpec): tf.LayersModel {
    // L1/L2 act on the word vectors here: this model has no other large weight matrix.
    return buildTextModel(spec, 'text-bow', (model) => {
      model.add(tf.layers.globalAveragePooling1d({ name: 'average' }));
      addDropout(model, spec);
    }, { regularizeEmbedding: true });
  },
};
