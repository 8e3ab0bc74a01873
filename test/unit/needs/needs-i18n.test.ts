import { describe, expect, it } from 'vitest';
import { scenarioIds, targetMetrics } from '../../../main/contract/needs';
import { adviceReasonCodes, dataCheckCodes, sampleIds, suggestionReasons } from '../../../main/contract/needs-channels';
import { gpuPresetIds } from '../../../main/contract/planner';
import { GPU_PRESETS } from '../../../main/core/planner/plan';
import { SAMPLES } from '../../../main/core/samples/samples';
import en from '../../../renderer/i18n/en';
import zhCN from '../../../renderer/i18n/zh-CN';

const tables: Record<string, Record<string, string>> = { en, 'zh-CN': zhCN };

describe('Needs, advisor and planner words', () => {
  it('word every code the Node side sends, in both languages', () => {
    for (const [locale, table] of Object.entries(tables)) {
      const missing = [
        ...scenarioIds.flatMap((id) => [`needs.scenario.${id}`, `needs.scenario.${id}.example`]),
        ...targetMetrics.map((m) => `metric.${m}`),
        ...suggestionReasons.map((r) => `needs.suggest.${r}`),
        ...dataCheckCodes.map((c) => `check.${c}`),
        ...adviceReasonCodes.filter((c) => c !== 'rule').map((c) => `advisor.reason.${c}`),
        ...['best', 'good', 'weak', 'ruled_out'].map((f) => `advisor.fit.${f}`),
        ...['low', 'medium', 'high'].map((l) => `needs.costs.level.${l}`),
        ...['en', 'zh-CN', 'none'].map((l) => `samples.language.${l}`),
      ].filter((key) => !table[key]);
      expect(missing, locale).toEqual([]);
    }
  });

  it('has a preset for every GPU id and names every sample in both languages', () => {
    expect(GPU_PRESETS.map((g) => g.id).sort()).toEqual([...gpuPresetIds].sort());
    expect(SAMPLES.map((s) => s.id).sort()).toEqual([...sampleIds].sort());
    for (const s of SAMPLES) expect(s.name['zh-CN']).not.toBe(s.name.en);
  });
});
