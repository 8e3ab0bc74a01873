import * as tf from '@tensorflow/tfjs';
import { glorot, intParam, kernelRegularizer, outputLayer, seedSequence, text } from './layers-util';
import type { ModelBuildSpec, ModelDefinition } from './types';

/** Standardized numbers + one-hot categories → Dense(relu) × layers (with dropout) → Dense. */
export const tabularMlp: ModelDefinition = {
  input: 'features',
  entry: {
    id: 'tabular-mlp',
    tasks: ['tabular-classification', 'tabular-regression'],
    family: 'tabular',
    name: text('Neural network (MLP)', '神经网络（多层感知机）'),
    description: {
      what: text(
        'Stacks a few layers of learned combinations of your columns, so it can capture interactions (“young AND on the monthly plan”).',
        '把各列的取值层层组合学习，能捕捉列之间的相互作用（例如“年轻 且 月付套餐”）。',
      ),
      when: text(
        'Tables with a few thousand rows or more where the simple baseline leaves accuracy on the table. Works for categories and for numbers.',
        '有几千行以上的表格数据，且简单基线不够准时使用。分类和数值预测都适用。',
      ),
      tradeoff: text(
        'More accurate on rich data than the linear baseline, but harder to explain and can overfit small tables (use dropout and early stopping).',
        '数据丰富时比线性基线更准，但更难解释，在小表格上容易过拟合（可用 Dropout 和提前停止）。',
      ),
    },
    speed: 4,
    capacity: 3,
    hyperparameters: [
      intParam(
        'hiddenLayers',
        2,
        1,
        4,
        text('Layers', '隐藏层数'),
        text('How many layers of combinations. More can learn subtler patterns and overfit sooner.', '组合的层数。层数越多越能学到细微规律，也越容易过拟合。'),
      ),
      intParam(
        'units',
        64,
        4,
        1024,
        text('Neurons per layer', '每层神经元数'),
        text('Width of each layer. Larger learns more, trains slower.', '每层的宽度。越大学得越多，训练越慢。'),
        'log',
      ),
    ],
    defaults: { epochs: 30, batchSize: 32, learningRate: 0.001, optimizer: 'adam' },
  },
  build(spec: ModelBuildSpec): tf.LayersModel {
    if (spec.input.kind !== 'features') throw new Error('tabular-mlp needs table features');
    const hp = spec.hyperparameters;
    const seed = seedSequence(spec.seed);
    const model = tf.sequential({ name: 'tabular_mlp' });
    for (let i = 0; i < hp.hiddenLayers; i++) {
      model.add(
        tf.layers.dense({
          units: hp.units,
          activation: 'relu',
          inputShape: i === 0 ? [spec.input.width] : undefined,
          kernelInitializer: glorot(seed),
          kernelRegularizer: kernelRegularizer(spec),
          name: `dense_${i + 1}`,
        }),
      );
      if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout, name: `dropout_${i + 1}` }));
    }
    model.add(outputLayer(spec, seed));
    return model;
  },
};
