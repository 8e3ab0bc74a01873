import { describe, expect, it } from 'vitest';
import type { Target } from '../../../main/contract/needs';
import { targetsSection } from '../../../main/core/needs/model-card-targets';

const targets: Target[] = [
  { id: 'a', metric: 'accuracy', threshold: 0.9, direction: 'at_least' },
  { id: 'b', metric: 'recall', label: 'billing', threshold: 0.95, direction: 'at_least' },
];

describe('the model card’s targets section', () => {
  it('lists every target with the test score and whether it is met', () => {
    const section = targetsSection(targets, { accuracy: 0.931, perClass: [{ label: 'billing', precision: 0.9, recall: 0.9123, f1: 0.9 }] }, 'en');
    expect(section.title).toBe('Acceptance targets');
    expect(section.blocks[0]).toEqual({ kind: 'p', text: expect.stringContaining('Not every target is met') });
    expect(section.blocks[1]).toEqual({
      kind: 'table',
      head: ['Target', 'Actual', 'Result'],
      rows: [
        ['Accuracy at least 0.9', '0.931', 'met'],
        ['Recall of “billing” at least 0.95', '0.9123', 'missed'],
      ],
    });
  });

  it('speaks Chinese, and says so when there are no targets or no test scores', () => {
    const zh = targetsSection(targets.slice(0, 1), { accuracy: 0.95 }, 'zh-CN');
    expect(zh.blocks[1]).toMatchObject({ rows: [['准确率 至少 0.9', '0.95', '达标']] });
    expect(zh.blocks[0]).toMatchObject({ text: expect.stringContaining('所有指标都已达标') });
    expect(targetsSection([], null, 'en').blocks).toEqual([{ kind: 'p', text: 'No acceptance targets were set in the Needs step.' }]);
    expect(targetsSection(targets, null, 'en').blocks[1]).toMatchObject({ rows: [['Accuracy at least 0.9', '–', 'not measured'], expect.any(Array)] });
  });
});
