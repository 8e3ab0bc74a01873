import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels, type AdviceView, type DataState, type NeedsView, type PlannerView, type Project, type SampleInfo } from '../../../main/contract';
import { createDispatch, type Dispatch } from '../../../main/handlers';
import { getSample, samplePath, SAMPLES } from '../../../main/core/samples/samples';
import { makeTempHome } from '../helpers/temp-home';
import { ok } from '../helpers/dispatch-results';

let home: string;
let cleanup: () => Promise<void>;
let web: Dispatch;
let emitted: string[];

beforeEach(async () => {
  ({ home, cleanup } = await makeTempHome());
  emitted = [];
  web = createDispatch({ host: 'web', home, version: '1', emit: (event) => emitted.push(event) });
});
afterEach(() => cleanup());

describe('needs:get / needs:update', () => {
  it('autosaves the sheet into project.json and requirements.md, in the user’s language', async () => {
    const project = await ok<Project>(web('projects:create', { name: 'Tickets' }));
    const empty = await ok<NeedsView>(web('needs:get', { projectId: project.id }));
    expect(empty.gaps).toEqual(['goal', 'task', 'target']);
    expect(empty.scenarios.find((s) => s.id === 'image')).toMatchObject({ coming: true, task: null });

    await ok(web('needs:update', { projectId: project.id, patch: { goal: 'Route tickets', scenario: 'ticket_routing' } }));
    const view = await ok<NeedsView>(
      web('needs:update', { projectId: project.id, patch: { targets: [{ id: 't1', metric: 'accuracy', threshold: 0.9, direction: 'at_least' }], maxModelSizeMB: 5 } }),
    );
    expect(channels['needs:update'].result.parse(view)).toBeTruthy();
    expect(view.gaps).toEqual([]);
    expect(view.needs).toMatchObject({ goal: 'Route tickets', task: 'text-classification', maxModelSizeMB: 5 });
    const saved = JSON.parse(await readFile(join(project.dir, 'project.json'), 'utf8'));
    expect(saved.needs).toMatchObject({ goal: 'Route tickets', scenario: 'ticket_routing', targets: [{ id: 't1' }] });
    expect(await readFile(join(project.dir, 'requirements.md'), 'utf8')).toContain('- Accuracy at least 0.9');

    await ok(web('settings:update', { locale: 'zh-CN' }));
    await ok(web('needs:update', { projectId: project.id, patch: { maxModelSizeMB: null } }));
    const md = await readFile(join(project.dir, 'requirements.md'), 'utf8');
    expect(md).toContain('准确率 至少 0.9');
    expect(md).toContain('对预测时间和模型大小没有限制');
  });

  it('refuses a bad target with a typed error', async () => {
    const project = await ok<Project>(web('projects:create', { name: 'Bad' }));
    const result = await web('needs:update', { projectId: project.id, patch: { targets: [{ id: 't', metric: 'auc', threshold: 1, direction: 'at_least' }] } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });
});

describe('samples', () => {
  it('lists every sample, and each file has the rows it claims', async () => {
    const list = await ok<SampleInfo[]>(web('samples:list', undefined));
    expect(list.map((s) => s.id)).toEqual(SAMPLES.map((s) => s.id));
    for (const sample of SAMPLES) {
      const lines = (await readFile(samplePath(sample.id), 'utf8')).trimEnd().split('\n');
      expect(lines.length - 1, sample.id).toBe(sample.rows);
    }
  });

  it('creates a project from a sample through the data core (also in the web host), then advises and plans for it', async () => {
    const project = await ok<Project>(web('projects:createFromSample', { sampleId: 'support-tickets-en' }));
    expect(project.name).toBe(getSample('support-tickets-en').name.en);
    expect(project.needs).toMatchObject({ scenario: 'ticket_routing', task: 'text-classification' });
    expect(emitted).toContain('projects:changed');
    const data = await ok<DataState>(web('data:get', { projectId: project.id }));
    expect(data).toMatchObject({ labelColumn: 'team', taskType: 'multiclass', source: { rows: 2012, originalName: 'support-tickets-en.csv' } });
    expect(data.audit.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['duplicates']));

    const needs = await ok<NeedsView>(
      web('needs:update', { projectId: project.id, patch: { goal: 'Route tickets', targets: [{ id: 'r', metric: 'recall', label: 'billing', threshold: 0.9, direction: 'at_least' }] } }),
    );
    expect(needs.classes.sort()).toEqual(['account', 'billing', 'shipping', 'technical']);
    expect(needs.dataChecks[0]).toMatchObject({ targetId: 'r', code: 'too_few_test', params: { label: 'billing', need: 139 } });

    const advice = await ok<AdviceView>(web('advisor:rank', { projectId: project.id }));
    expect(channels['advisor:rank'].result.parse(advice)).toBeTruthy();
    expect(advice.ranking.map((r) => r.modelId)).toHaveLength(4);
    expect(advice.ranking[0]).toMatchObject({ modelId: 'text-bow', fit: 'best' });
    expect(advice.facts).toMatchObject({ classes: 4, inputColumns: 1 });
    expect(advice.facts.meanTextLength).toBeGreaterThan(40);

    // After a fix the Data step's cache still serves the advisor (its key ignores field order).
    const fix = data.audit.warnings.find((w) => w.code === 'duplicates')!.fix!;
    const fixed = await ok<DataState>(web('data:applyFix', { projectId: project.id, step: fix }));
    const afterFix = await ok<AdviceView>(web('advisor:rank', { projectId: project.id }));
    expect(afterFix.facts).toMatchObject({ classes: 4, trainRows: fixed.splitSummary.counts.train, testRows: fixed.splitSummary.counts.test });

    const plan = await ok<PlannerView>(web('planner:estimate', { projectId: project.id }));
    expect(plan.assumptions.examples).toBe(afterFix.facts.trainRows);
    expect(plan.local).toMatchObject({ modelId: 'text-bow' });
    const bigger = await ok<PlannerView>(web('planner:estimate', { assumptions: { ...plan.assumptions, paramsBillions: 70 } }));
    expect(bigger.plan.flops).toBeCloseTo(plan.plan.flops * 10, -3);
    expect(bigger.local).toBeNull();
  });

  it('sets every sample’s answer column as the one to predict', async () => {
    for (const sample of SAMPLES) {
      const project = await ok<Project>(web('projects:createFromSample', { sampleId: sample.id, name: sample.id }));
      const data = await ok<DataState>(web('data:get', { projectId: project.id }));
      expect(data.labelColumn, sample.id).toBe(sample.labelColumn);
      expect(data.taskType, sample.id).toBe(sample.id.startsWith('support') ? 'multiclass' : 'binary');
      expect(data.source.rows, sample.id).toBe(sample.rows);
    }
  });
});
