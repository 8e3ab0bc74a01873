/**
 * The model card's "Acceptance targets" section: every target from the Needs step with the score
 * the model reached and whether it met it, in the card's language. Shaped like the model card
 * outline's sections (a title and p / table blocks), so model-card.ts can append it as is.
 */
import type { Target, TargetMetricsInput } from '../../contract/needs';
import type { Locale } from '../../contract/schemas';
import { NEEDS_WORDS, describeTarget } from './needs-words';
import { allTargetsMet, checkTargets } from './targets';

export type TargetsBlock = { kind: 'p'; text: string } | { kind: 'table'; head: string[]; rows: string[][] };
export interface TargetsSection {
  title: string;
  blocks: TargetsBlock[];
}

const INTRO = {
  en: { none: 'No acceptance targets were set in the Needs step.', measuredOn: 'Checked on the test rows the model never saw during training.', all: 'All targets are met.', notAll: 'Not every target is met: read the results below before relying on this model.' },
  'zh-CN': { none: '“需求”步骤中没有设定验收指标。', measuredOn: '在训练时从未见过的测试集上检查。', all: '所有指标都已达标。', notAll: '并非所有指标都达标：使用这个模型前请先看下面的结果。' },
} as const;

/** The section, or a one-line note when there are no targets. `metrics` are the test scores (null when not evaluated). */
export function targetsSection(targets: readonly Target[], metrics: TargetMetricsInput | null, lang: Locale): TargetsSection {
  const w = NEEDS_WORDS[lang];
  const intro = INTRO[lang];
  if (targets.length === 0) return { title: w.targets, blocks: [{ kind: 'p', text: intro.none }] };
  const checks = metrics ? checkTargets(targets, metrics) : null;
  const rows = targets.map((target, i) => {
    const check = checks?.[i];
    const actual = check?.actual == null ? '–' : Number(check.actual.toPrecision(4)).toString();
    const result = !check || check.status === 'unknown' ? w.unknown : check.met ? w.met : w.missed;
    return [describeTarget(target, lang), actual, result];
  });
  const summary = checks ? (allTargetsMet(checks) ? intro.all : intro.notAll) : w.unknown;
  return {
    title: w.targets,
    blocks: [
      { kind: 'p', text: `${intro.measuredOn} ${summary}` },
      { kind: 'table', head: [w.metricCol, w.actualCol, w.resultCol], rows },
    ],
  };
}
