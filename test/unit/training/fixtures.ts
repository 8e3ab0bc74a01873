/** Small synthetic data sets the training tests learn from in a couple of epochs. */
import type { Row } from '../../../main/contract/data';
import { createRng } from '../../../main/core/data/prng';
import type { TrainingData } from '../../../main/core/training/training-data';

const POSITIVE = ['good', 'great', 'love', 'excellent', '好用', '喜欢'];
const NEGATIVE = ['bad', 'awful', 'hate', 'broken', '难用', '失望'];
const FILLER = ['the', 'product', 'is', 'it', 'was', 'delivery', 'box', 'price', '这个', '产品', '快递', 'and', 'very', 'really'];

/** Reviews whose label follows from sentiment words; `classes` 3 adds a "neutral" class with neither. */
export function textReviews(rows: number, seed = 1, classes: 2 | 3 = 2): TrainingData {
  const rng = createRng(seed);
  const pick = (words: string[]) => words[Math.floor(rng() * words.length)];
  const make = (n: number): Row[] =>
    Array.from({ length: n }, (_, i) => {
      const label = classes === 3 ? (['pos', 'neg', 'neutral'] as const)[i % 3] : i % 2 ? 'pos' : 'neg';
      const words = Array.from({ length: 3 + Math.floor(rng() * 6) }, () => pick(FILLER));
      if (label !== 'neutral') words.splice(Math.floor(rng() * words.length), 0, pick(label === 'pos' ? POSITIVE : NEGATIVE));
      return { review: words.join(' '), label };
    });
  return { inputs: [{ name: 'review', role: 'text' }], label: 'label', train: make(rows), validation: make(Math.max(8, Math.round(rows / 4))) };
}

/** A table: two numbers and a category decide a class (and a numeric target for regression). */
export function table(rows: number, seed = 2, target: 'class' | 'number' = 'class'): TrainingData {
  const rng = createRng(seed);
  const make = (n: number): Row[] =>
    Array.from({ length: n }, () => {
      const a = rng() * 10;
      const b = rng() * 100;
      const plan = ['basic', 'pro', 'team'][Math.floor(rng() * 3)];
      const score = a * 0.8 - b * 0.05 + (plan === 'pro' ? 2 : plan === 'team' ? -1 : 0);
      return { age: a, spend: rng() < 0.05 ? null : b, plan, label: target === 'class' ? (score > 1 ? 'churn' : 'stay') : score * 10 + 50 };
    });
  return {
    inputs: [
      { name: 'age', role: 'numeric' },
      { name: 'spend', role: 'numeric' },
      { name: 'plan', role: 'categorical' },
    ],
    label: 'label',
    train: make(rows),
    validation: make(Math.max(8, Math.round(rows / 4))),
  };
}
