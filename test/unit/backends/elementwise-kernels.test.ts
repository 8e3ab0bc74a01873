import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareBackends, switchBackend } from '../../../main/core/backends/tf-setup';
import { expectClose, on, onStockCpu, randomSource } from './kernel-check';

/** elementwise-kernels.ts: Transpose that moves no data (wasm, cpu), cpu's broadcasting binary ops, Relu and Step. */

const { int, floats } = randomSource(20250305);

beforeAll(async () => {
  prepareBackends();
  await switchBackend('wasm');
});

describe('Transpose', () => {
  it('matches the stock kernel for permutations that move data and ones that do not', async () => {
    const cases: [number[], number[]][] = [
      [[6, 5], [0, 1]],
      [[6, 1, 5], [1, 0, 2]],
      [[1, 6, 5], [0, 2, 1]],
      [[4, 1, 3, 1], [1, 0, 3, 2]],
      [[6, 5], [1, 0]],
      [[3, 4, 5], [2, 0, 1]],
    ];
    for (const [shape, perm] of cases) {
      const x = floats(tf.util.sizeFromShape(shape));
      const op = () => {
        const t = tf.tensor(x, shape);
        // Reading the input after its transpose checks the shared data stays intact.
        return [tf.transpose(t, perm).mul(2), t];
      };
      const reference = await onStockCpu(() => on('cpu', op));
      expectClose(await on('wasm', op), reference, 0);
      expectClose(await on('cpu', op), reference, 0);
    }
  });
});

describe('broadcasting Add, Sub, Multiply, RealDiv on cpu', () => {
  it('match the stock kernels bit for bit on random broadcast shapes', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const rank = int(1, 4);
      const shape = Array.from({ length: rank }, () => int(1, 7));
      // b drops leading axes and sets some of the rest to 1.
      const bShape = shape.slice(int(0, rank - 1)).map((d) => (int(0, 2) === 0 ? 1 : d));
      const [aShape, otherShape] = trial % 2 ? [shape, bShape] : [bShape, shape];
      const a = floats(tf.util.sizeFromShape(aShape));
      const b = floats(tf.util.sizeFromShape(otherShape)).map((v) => v + 2);
      const op = () => {
        const [x, y] = [tf.tensor(a, aShape), tf.tensor(b, otherShape)];
        return [tf.add(x, y), tf.sub(x, y), tf.mul(x, y), tf.div(x, y)];
      };
      expectClose(await on('cpu', op), await onStockCpu(() => on('cpu', op)), 0);
    }
  });

  it('Relu and Step match the stock kernels, NaN included', async () => {
    const x = floats(3000);
    x[7] = NaN;
    x[8] = 0;
    const op = () => {
      const t = tf.tensor1d(x);
      return [tf.relu(t), tf.step(t), tf.step(t, 0.25)];
    };
    expectClose(await on('cpu', op), await onStockCpu(() => on('cpu', op)), 0);
  });

  it('leave other dtypes to the stock kernels', async () => {
    const [out] = await on('cpu', () => tf.add(tf.tensor1d([1, 2, 3], 'int32'), tf.scalar(2, 'int32')));
    expect(Array.from(out.values)).toEqual([3, 4, 5]);
  });
});
