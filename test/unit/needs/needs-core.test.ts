import { describe, expect, it } from 'vitest';
import { projectNeedsSchema, type Target } from '../../../main/contract/needs';
import { listCatalog } from '../../../main/core/models/catalog';
import { rankModels, recommendModel } from '../../../main/core/models/recommend';
import { checkDataForTargets, testExamplesNeeded, type SplitFacts } from '../../../main/core/needs/data-check';
import { renderRequirements } from '../../../main/core/needs/requirements-sheet';
import { needsGaps, needsLargeModel } from '../../../main/core/needs/scenarios';
import { suggestTargets } from '../../../main/core/needs/suggest';
import { applyPatch } from '../../../main/core/needs/apply-patch';

const needs = (input: object) => projectNeedsSchema.parse(input);

describe('suggestTargets', () => {
  it('suggests precision of the focus class when a false alarm costs more than a miss', () => {
    const [first] = suggestTargets(needs({ task: 'text-classification', focusLabel: 'spam', costs: { falsePositive: 'high', falseNegative: 'low' } }), ['ham', 'spam']);
    expect(first).toEqual({ target: { id: 'suggest-precision', metric: 'precision', label: 'spam', threshold: 0.95, direction: 'at_least' }, reason: 'fp_costly' });
  });

  it('suggests recall when a miss costs more, F1 when both are very costly', () => {
    expect(suggestTargets(needs({ task: 'text-classification', focusLabel: 'fraud', costs: { falsePositive: 'low', falseNegative: 'high' } }))[0].reason).toBe('fn_costly');
    expect(suggestTargets(needs({ task: 'text-classification', focusLabel: 'fraud', costs: { falsePositive: 'high', falseNegative: 'high' } }))[0].target.metric).toBe('f1');
  });

  it('skips a focus class the data does not have, and adds macro F1 for many classes', () => {
    const out = suggestTargets(needs({ task: 'text-classification', focusLabel: 'spam', costs: { falsePositive: 'high', falseNegative: 'low' } }), ['a', 'b', 'c']);
    expect(out.map((s) => s.reason)).toEqual(['many_classes', 'balanced']);
  });

  it('suggests R² and an error in the target’s units for a number', () => {
    const out = suggestTargets(needs({ task: 'tabular-regression' }), [], 43.7);
    expect(out.map((s) => s.target)).toEqual([
      { id: 'suggest-r2', metric: 'r2', threshold: 0.7, direction: 'at_least' },
      { id: 'suggest-mae', metric: 'mae', threshold: 22, direction: 'at_most' },
    ]);
    expect(suggestTargets(needs({}))).toEqual([]);
  });
});

describe('checkDataForTargets (rule: n ≥ 1.96²·t(1−t)/0.05², at least 30)', () => {
  const facts: SplitFacts = {
    task: 'text-classification',
    counts: { train: 1600, validation: 200, test: 200 },
    perClass: { billing: { train: 400, validation: 50, test: 50 }, rare: { train: 40, validation: 5, test: 5 }, big: { train: 1160, validation: 145, test: 145 } },
  };
  const target = (t: Partial<Target>): Target => ({ id: 't', metric: 'recall', threshold: 0.9, direction: 'at_least', ...t });

  it('works the thresholds out as documented', () => {
    expect(testExamplesNeeded(0.95, 'recall')).toBe(73); // 3.8416 × 0.0475 / 0.0025 = 72.99
    expect(testExamplesNeeded(0.9, 'accuracy')).toBe(139); // 3.8416 × 0.09 / 0.0025 = 138.3
    expect(testExamplesNeeded(0.99, 'precision')).toBe(30); // 15.2, floored at 30
    expect(testExamplesNeeded(3, 'mae')).toBe(30);
  });

  it('finds too few test examples of the class, with the rows needed at the current test share', () => {
    const [check] = checkDataForTargets([target({ label: 'billing' })], facts);
    expect(check).toEqual({ targetId: 't', code: 'too_few_test', params: { have: 50, need: 139, label: 'billing', total: 1390, testShare: 10 } });
  });

  it('finds a class the data lacks, too few training examples, a metric of the wrong task', () => {
    const checks = checkDataForTargets([target({ id: 'a', label: 'urgent' }), target({ id: 'b', label: 'rare' }), target({ id: 'c', metric: 'mae', threshold: 2, direction: 'at_most' })], facts);
    expect(checks.map((c) => c.code)).toEqual(['class_missing', 'too_few_train', 'wrong_task']);
  });

  it('passes accuracy on the whole test split, flags a target one mistake would miss', () => {
    const big = { ...facts, perClass: { a: { train: 800, validation: 100, test: 100 }, b: { train: 800, validation: 100, test: 100 } } };
    expect(checkDataForTargets([target({ metric: 'accuracy', threshold: 0.9 })], big)[0].code).toBe('ok');
    expect(checkDataForTargets([target({ metric: 'recall', label: 'a', threshold: 0.995 })], big)[0]).toMatchObject({ code: 'one_mistake_fails', params: { have: 100 } });
  });

  it('judges macro F1 by the smallest class', () => {
    expect(checkDataForTargets([target({ metric: 'macro_f1', threshold: 0.8 })], facts)[0]).toMatchObject({ code: 'too_few_train', params: { label: 'rare' } });
  });
});

describe('rankModels', () => {
  const text = listCatalog('text-classification');

  it('puts the plain rule’s model first when nothing else matters, and ranks every text model', () => {
    const ranking = rankModels(text, { task: 'text-classification', trainRows: 96, classes: 2 });
    expect(ranking.map((r) => r.modelId)[0]).toBe(recommendModel({ task: 'text-classification', trainRows: 96 }).modelId);
    expect(ranking).toHaveLength(4);
    expect(ranking[0]).toMatchObject({ rank: 1, fit: 'best' });
    expect(ranking[0].reasons.map((r) => r.code)).toContain('rule');
    expect(ranking.find((r) => r.modelId === 'text-bigru')!.reasons.map((r) => r.code)).toContain('few_rows');
  });

  it('rules out a model measured beyond the size limit and promotes the next', () => {
    const estimate = (paramCount: number, samplesPerSecond: number) => ({ paramCount, memoryBytes: 1, samplesPerSecond, secondsPerEpoch: 1, totalSeconds: 5, backend: 'wasm' as const, calibrationBatches: 3, error: null });
    const ranking = rankModels(text, {
      task: 'text-classification',
      trainRows: 96,
      classes: 2,
      maxModelSizeMB: 1,
      estimates: { 'text-bow': { modelId: 'text-bow', ...estimate(500_000, 5000) }, 'text-cnn': { modelId: 'text-cnn', ...estimate(100_000, 2000) } },
    });
    const bow = ranking.find((r) => r.modelId === 'text-bow')!;
    expect(bow).toMatchObject({ ruledOut: true, fit: 'ruled_out', sizeMB: 2 });
    expect(bow.reasons.find((r) => r.code === 'too_big')!.params).toEqual({ sizeMB: 2, limitMB: 1 });
    expect(ranking[0].modelId).toBe('text-cnn');
    expect(ranking.at(-1)!.modelId).toBe('text-bow');
  });

  it('weighs long texts against the sequence readers and wide tables for the MLP', () => {
    const long = rankModels(text, { task: 'text-classification', trainRows: 20_000, classes: 2, meanTextLength: 900 });
    expect(long.find((r) => r.modelId === 'text-lstm')!.reasons.map((r) => r.code)).toContain('long_texts');
    const table = rankModels(listCatalog('tabular-classification'), { task: 'tabular-classification', trainRows: 5000, classes: 2, inputColumns: 20, targets: [{ id: 'a', metric: 'accuracy', threshold: 0.92, direction: 'at_least' }] });
    expect(table[0].modelId).toBe('tabular-mlp');
    expect(table[0].reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['rule', 'many_columns', 'high_target']));
  });
});

describe('the requirement sheet', () => {
  const sheet = needs({
    goal: 'Route support tickets to the right team',
    predictionUse: '# Each new ticket goes to the team’s queue',
    scenario: 'ticket_routing',
    task: 'text-classification',
    focusLabel: 'billing',
    costs: { falsePositive: 'low', falseNegative: 'high', falseNegativeNote: 'a refund waits a day' },
    targets: [{ id: 'a', metric: 'recall', label: 'billing', threshold: 0.9, direction: 'at_least' }],
    maxLatencyMs: 200,
  });

  it('renders one page in English, escaping what Markdown would take as a heading', () => {
    const md = renderRequirements('Tickets', sheet, 'en', '2025-07-01T10:00:00.000Z');
    expect(md).toContain('# Requirement sheet: Tickets');
    expect(md).toContain('\\# Each new ticket');
    expect(md).toContain('- Recall of “billing” at least 0.9');
    expect(md).toContain('- Missed (false negative): very costly — a refund waits a day');
    expect(md).toContain('One prediction takes at most 200 ms.');
    expect(md).toContain('stay on this machine');
  });

  it('renders in Chinese', () => {
    const md = renderRequirements('工单', sheet, 'zh-CN', '2025-07-01T10:00:00.000Z');
    expect(md).toContain('# 需求说明：工单');
    expect(md).toContain('“billing”的召回率 至少 0.9');
    expect(md).toContain('客服工单分派');
  });

  it('knows what is missing and when a large model is needed', () => {
    expect(needsGaps(needs({}))).toEqual(['goal', 'task', 'target']);
    expect(needsGaps(sheet)).toEqual([]);
    expect(needsLargeModel(needs({ scenario: 'generation' }))).toBe(true);
    expect(needsLargeModel(sheet)).toBe(false);
  });

  it('applies a patch: a scenario sets its task, null clears a limit, costs merge', () => {
    const next = applyPatch(sheet, { scenario: 'price', maxLatencyMs: null, costs: { falsePositive: 'high' } });
    expect(next.task).toBe('tabular-regression');
    expect(next.maxLatencyMs).toBeUndefined();
    expect(next.costs).toMatchObject({ falsePositive: 'high', falseNegative: 'high', falseNegativeNote: 'a refund waits a day' });
    expect(applyPatch(sheet, { scenario: 'image' }).task).toBeNull();
  });
});
