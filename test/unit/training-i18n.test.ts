import { describe, expect, it } from 'vitest';
import { recommendReasons, setupProblems } from '../../main/contract/training-channels';
import { runFailureCodeSchema, runStatusSchema, rungUseReasonSchema, taskIds } from '../../main/contract/training';
import en from '../../renderer/i18n/en';
import trainingEn from '../../renderer/i18n/training.en';
import trainingZh from '../../renderer/i18n/training.zh-CN';
import zhCN from '../../renderer/i18n/zh-CN';

const tables: Record<string, Record<string, string>> = { en, 'zh-CN': zhCN };

describe('Model and Training step words', () => {
  it('are spread into both language tables with the same keys', () => {
    expect(Object.keys(trainingZh).sort()).toEqual(Object.keys(trainingEn).sort());
    for (const key of Object.keys(trainingEn)) {
      expect(en[key as keyof typeof en]).toBe(trainingEn[key as keyof typeof trainingEn]);
      expect(zhCN[key as keyof typeof zhCN]).toBe(trainingZh[key as keyof typeof trainingZh]);
    }
  });

  it('word every code the steps show: statuses, failures, backend reasons, setup problems, recommendations, tasks', () => {
    for (const table of Object.values(tables)) {
      for (const status of runStatusSchema.options) expect(table[`runStatus.${status}`], status).toBeTruthy();
      for (const code of runFailureCodeSchema.options) expect(table[`runFailure.${code}`] ?? table[`errors.${code}`], code).toBeTruthy();
      for (const reason of rungUseReasonSchema.options) expect(table[`reasons.${reason}`], reason).toBeTruthy();
      for (const problem of setupProblems) expect(table[`setup.problem.${problem}`], problem).toBeTruthy();
      for (const reason of recommendReasons) expect(table[`model.reason.${reason}`], reason).toBeTruthy();
      for (const task of taskIds) {
        expect(table[`setup.task.${task}`], task).toBeTruthy();
        expect(table[`setup.task.${task}.hint`], task).toBeTruthy();
      }
    }
  });
});
