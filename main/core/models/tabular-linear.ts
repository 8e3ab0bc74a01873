import * as tf from '@tensorflow/tfjs';
import { glorot, kernelRegularizer, seedSequence, text } from './layers-util';
import type { ModelBuildSpec, ModelDefinition } from './types';

/** Logistic regression (classes) or linear regression (numbers): one Dense layer. */
export const tabularLinear: ModelDefinition = {
  input: 'features',
  entry: {
    id: 'tabular-linear',
    tasks: ['tabular-classification', 'tabular-regression'],
    family: 'tabular',
    name: text('Linear baseline', '线性基线'),
    description: {
      what: text(
        'Gives each column a weight and adds them up: logistic regression for categories, linear regression for numbers.',
        '给每一列一个权重再相加：预测类别时是逻辑回归，预测数值时是线性回归。',
      ),
      when: text(
        'Always worth training first: small tables, a need to explain the model, or a yardstick the other models must beat.',
        '总值得先训练一次：小表格、需要解释模型，或作为其他模型必须超越的标尺。',
      ),
      tradeoff: text(
        'Fast, stable and easy to explain, but misses interactions between columns and curved relationships.',
        '快速、稳定、容易解释，但捕捉不到列之间的相互作用和非线性关系。',
      ),
    },
    speed: 5,
    capacity: 1,
    hyperparameters: [],
    defaults: { epochs: 30, batchSize: 32, learningRate: 0.01, optimizer: 'adam' },
  },
  build(spec: ModelBuildSpec): tf.LayersModel {
    if (spec.input.kind !== 'features') throw new Error('tabular-linear needs table features');
    const seed = seedSequence(spec.seed);
    const { kind, classes } = spec.output;
    const model = tf.sequential({ name: 'tabular_linear' });
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout, inputShape: [spec.input.width], name: 'dropout' }));
    model.add(
      tf.layers.dense({
        units: kind === 'multiclass' ? classes : 1,
        activation: kind === 'binary' ? 'sigmoid' : kind === 'multiclass' ? 'softmax' : 'linear',
        inputShape: spec.dropout > 0 ? undefined : [spec.input.width],
        kernelInitializer: glorot(seed),
        kernelRegularizer: kernelRegularizer(spec),
        name: 'output',
      }),
    );
    return model;
  },
};
