import { describe, expect, it } from 'vitest';
import type { Row } from '../../../main/contract/data';
import type { PredictResponse } from '../../../main/contract/export';
import { answerOf, hasAnswer, scoreLabelledRows } from '../../../main/core/evaluation/labelled-rows';

describe('labelled rows', () => {
  it('count a row with an answer (a number, for a number model), trimmed as training reads it', () => {
    expect(hasAnswer({ y: ' spam ' }, 'y', false)).toBe(true);
    expect(hasAnswer({ y: '' }, 'y', false)).toBe(false);
    expect(hasAnswer({ y: 'n/a' }, 'y', true)).toBe(false);
    expect(hasAnswer({ y: '12.5' }, 'y', true)).toBe(true);
    expect(answerOf({ y: ' spam ' }, 'y', false)).toBe('spam');
    expect(answerOf({ y: '12.5' }, 'y', true)).toBe(12.5);
  });

  it('predict the rows with an answer in chunks, and count the skipped and the never-learned ones', async () => {
    const rows: Row[] = [{ t: 'a', y: 'ham' }, { t: 'b', y: '' }, { t: 'c', y: 'spam' }, { t: 'd', y: 'maybe' }];
    const calls: number[] = [];
    const predict = async (batch: Row[]): Promise<PredictResponse> => {
      calls.push(batch.length);
      return { outputKind: 'binary', labels: ['ham', 'spam'], predictions: batch.map(() => ({ prediction: 'ham', confidence: 0.9, probabilities: [0.9, 0.1] })) };
    };
    const scored = await scoreLabelledRows({ rows, label: 'y', model: { outputKind: 'binary', labels: ['ham', 'spam'] }, predict, file: 'mail.csv', chunkRows: 2 });
    // 3 rows have an answer (2 + 1 per call); "maybe" was never learned.
    expect(calls).toEqual([2, 1]);
    expect(scored).toMatchObject({ rows: 3, skipped: 1, unknownLabels: 1, actual: ['ham', 'spam', 'maybe'] });
    expect(scored.predictions).toHaveLength(3);
  });

  it('refuse a table without any answer, naming the file', async () => {
    const error = await scoreLabelledRows({ rows: [{ y: '' }], label: 'y', model: { outputKind: 'binary', labels: [] }, predict: async () => ({ outputKind: 'binary', labels: [], predictions: [] }), file: 'empty.csv' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'data_empty', params: { column: 'y', file: 'empty.csv' } });
  });
});
