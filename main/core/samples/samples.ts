/**
 * The bundled sample data sets (resources/samples/, made by scripts/make-samples.ts) and where
 * they are on this install: beside the sources when run from a checkout (CLI, web host, tests,
 * electron-vite), or in the packaged app's resources folder (electron-builder's extraResources).
 */
import { join } from 'node:path';
import type { ProjectNeedsInput } from '../../contract/needs';
import type { SampleId, SampleInfo } from '../../contract/needs-channels';
import { CoreError } from '../errors';
import { resourceDir } from '../resources';

export interface Sample extends SampleInfo {
  file: string;
  /** The column to predict (set as the label after the import, as the user would in the Data step). */
  labelColumn: string;
  /** What the Needs step starts with for this sample (the user still writes the goal and targets). */
  needs: ProjectNeedsInput;
}

export const SAMPLES: readonly Sample[] = [
  {
    id: 'support-tickets-en',
    file: 'support-tickets-en.csv',
    labelColumn: 'team',
    name: { en: 'Support ticket routing (English)', 'zh-CN': '客服工单分派（英文）' },
    description: {
      en: '2,012 support messages, each answered by one of four teams: billing, technical, shipping or account.',
      'zh-CN': '2,012 条英文客服留言，每条由四个组之一处理：billing、technical、shipping、account。',
    },
    scenario: 'ticket_routing',
    rows: 2012,
    language: 'en',
    needs: { scenario: 'ticket_routing', task: 'text-classification' },
  },
  {
    id: 'support-tickets-zh',
    file: 'support-tickets-zh.csv',
    labelColumn: '处理组',
    name: { en: 'Support ticket routing (Chinese)', 'zh-CN': '客服工单分派（中文）' },
    description: {
      en: '2,012 support messages in Chinese, each handled by one of four teams (账单, 技术, 物流, 账户).',
      'zh-CN': '2,012 条中文客服工单，每条由四个组之一处理：账单、技术、物流、账户。',
    },
    scenario: 'ticket_routing',
    rows: 2012,
    language: 'zh-CN',
    needs: { scenario: 'ticket_routing', task: 'text-classification' },
  },
  {
    id: 'sentiment-en',
    file: 'sentiment-en.csv',
    labelColumn: 'sentiment',
    name: { en: 'Review sentiment (English)', 'zh-CN': '评论情感（英文）' },
    description: { en: '400 short product reviews, positive or negative.', 'zh-CN': '400 条英文商品短评，分为正面和负面。' },
    scenario: 'sentiment',
    rows: 400,
    language: 'en',
    needs: { scenario: 'sentiment', task: 'text-classification' },
  },
  {
    id: 'sentiment-zh',
    file: 'sentiment-zh.csv',
    labelColumn: '情感',
    name: { en: 'Review sentiment (Chinese)', 'zh-CN': '评论情感（中文）' },
    description: { en: '400 short product reviews in Chinese, positive (正面) or negative (负面).', 'zh-CN': '400 条中文商品短评，分为正面和负面。' },
    scenario: 'sentiment',
    rows: 400,
    language: 'zh-CN',
    needs: { scenario: 'sentiment', task: 'text-classification' },
  },
  {
    id: 'churn',
    file: 'churn.csv',
    labelColumn: 'churned',
    name: { en: 'Customer churn (table)', 'zh-CN': '客户流失（表格）' },
    description: {
      en: '806 customers with tenure, fee, support calls, late payments, plan and contract: who cancelled?',
      'zh-CN': '806 位客户的在网时长、月费、客服来电、逾期付款、套餐和合约：谁流失了？',
    },
    scenario: 'churn',
    rows: 806,
    language: 'none',
    needs: { scenario: 'churn', task: 'tabular-classification', focusLabel: 'yes' },
  },
];

/** A sample by id; `not_found` for an unknown one. */
export function getSample(id: SampleId | string): Sample {
  const sample = SAMPLES.find((s) => s.id === id);
  if (!sample) throw new CoreError('not_found', `no sample ${id}`, { id });
  return sample;
}

/** What the contract sends about a sample (without its file name and starting needs). */
export function sampleInfo({ file: _file, needs: _needs, labelColumn: _label, ...info }: Sample): SampleInfo {
  return info;
}

/** The samples folder: MODELPILOT_SAMPLES when set, else the app's resources/samples. */
export function samplesDir(): string {
  return resourceDir('samples', SAMPLES[0].file, process.env.MODELPILOT_SAMPLES);
}

/** The absolute path of a sample's data file. */
export function samplePath(id: SampleId | string): string {
  return join(samplesDir(), getSample(id).file);
}
