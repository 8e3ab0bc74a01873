/**
 * The requirement sheet's and the model card's words for needs and targets, in English and
 * 简体中文 (the renderer has its own tables; these are for files written on the Node side).
 */
import type { CostLevel, ScenarioId, Target, TargetMetric } from '../../contract/needs';
import type { Locale } from '../../contract/schemas';
import type { TaskId } from '../../contract/training';

interface Words {
  title: string;
  /** Between a heading and its name. */
  colon: string;
  goal: string;
  use: string;
  task: string;
  mistakes: string;
  targets: string;
  limits: string;
  privacy: string;
  privacyText: string;
  large: string;
  none: string;
  notAnswered: string;
  focus: string;
  fp: string;
  fn: string;
  latency: (ms: number) => string;
  size: (mb: number) => string;
  noLimits: string;
  cost: Record<CostLevel, string>;
  scenario: Record<ScenarioId, string>;
  taskName: Record<TaskId, string>;
  metric: Record<TargetMetric, string>;
  of: (metric: string, label: string) => string;
  atLeast: string;
  atMost: string;
  metricCol: string;
  goalCol: string;
  actualCol: string;
  resultCol: string;
  met: string;
  missed: string;
  unknown: string;
  updated: (date: string) => string;
}

export const NEEDS_WORDS: Record<Locale, Words> = {
  en: {
    title: 'Requirement sheet',
    colon: ': ',
    goal: 'Business goal',
    use: 'What one prediction is used for',
    task: 'What the model does',
    mistakes: 'Mistakes and what they cost',
    targets: 'Acceptance targets',
    limits: 'Limits',
    privacy: 'Privacy',
    privacyText: 'The data and the model stay on this machine: ModelPilot trains, evaluates and exports locally and sends nothing to any server.',
    large: 'This need may call for a large model (knowledge beyond the data, or writing text): see the large-model planner.',
    none: 'None yet.',
    notAnswered: 'Not answered yet.',
    focus: 'The group the mistakes are about',
    fp: 'Wrongly flagged (false positive)',
    fn: 'Missed (false negative)',
    latency: (ms) => `One prediction takes at most ${ms} ms.`,
    size: (mb) => `The exported model is at most ${mb} MB.`,
    noLimits: 'No limit on prediction time or model size.',
    cost: { low: 'cheap', medium: 'costly', high: 'very costly' },
    scenario: {
      spam: 'Spam filter',
      ticket_routing: 'Support ticket routing',
      sentiment: 'Sentiment of reviews',
      other_text: 'Sort other texts',
      churn: 'Customer churn from a table',
      other_table_class: 'Sort rows of another table',
      price: 'Price estimate',
      other_table_number: 'Predict another number',
      image: 'Images (coming)',
      recommendation: 'Recommendations (coming)',
      generation: 'Writing text (coming)',
    },
    taskName: {
      'text-classification': 'sort texts into groups',
      'tabular-classification': 'sort rows of a table into groups',
      'tabular-regression': 'predict a number from a table',
    },
    metric: { accuracy: 'Accuracy', macro_f1: 'Macro F1', precision: 'Precision', recall: 'Recall', f1: 'F1', mae: 'Mean absolute error', rmse: 'Root mean squared error', r2: 'R²' },
    of: (metric, label) => `${metric} of “${label}”`,
    atLeast: 'at least',
    atMost: 'at most',
    metricCol: 'Target',
    goalCol: 'Goal',
    actualCol: 'Actual',
    resultCol: 'Result',
    met: 'met',
    missed: 'missed',
    unknown: 'not measured',
    updated: (date) => `Last updated ${date}.`,
  },
  'zh-CN': {
    title: '需求说明',
    colon: '：',
    goal: '业务目标',
    use: '每一次预测用来做什么',
    task: '模型要做什么',
    mistakes: '出错的代价',
    targets: '验收指标',
    limits: '限制',
    privacy: '隐私',
    privacyText: '数据和模型都留在这台电脑上：ModelPilot 在本地训练、评估和导出，不向任何服务器发送数据。',
    large: '这个需求可能需要大模型（需要数据之外的知识，或者要生成文本）：请参考大模型估算器。',
    none: '暂无。',
    notAnswered: '尚未填写。',
    focus: '出错时关注的类别',
    fp: '误报（假阳性）',
    fn: '漏报（假阴性）',
    latency: (ms) => `单次预测最多 ${ms} 毫秒。`,
    size: (mb) => `导出的模型最大 ${mb} MB。`,
    noLimits: '对预测时间和模型大小没有限制。',
    cost: { low: '代价低', medium: '代价高', high: '代价很高' },
    scenario: {
      spam: '垃圾邮件过滤',
      ticket_routing: '客服工单分派',
      sentiment: '评论情感',
      other_text: '其他文本分类',
      churn: '根据表格预测客户流失',
      other_table_class: '其他表格分类',
      price: '价格估算',
      other_table_number: '预测其他数值',
      image: '图像（即将推出）',
      recommendation: '推荐（即将推出）',
      generation: '生成文本（即将推出）',
    },
    taskName: {
      'text-classification': '把文本分到不同的组',
      'tabular-classification': '把表格的每一行分到不同的组',
      'tabular-regression': '根据表格预测一个数值',
    },
    metric: { accuracy: '准确率', macro_f1: '宏平均 F1', precision: '精确率', recall: '召回率', f1: 'F1', mae: '平均绝对误差', rmse: '均方根误差', r2: 'R²' },
    of: (metric, label) => `“${label}”的${metric}`,
    atLeast: '至少',
    atMost: '至多',
    metricCol: '指标',
    goalCol: '目标',
    actualCol: '实际',
    resultCol: '结果',
    met: '达标',
    missed: '未达标',
    unknown: '未评估',
    updated: (date) => `最后更新：${date}。`,
  },
};

/** "Recall of “spam” at least 0.95" / "“spam”的召回率 至少 0.95". */
export function describeTarget(target: Target, lang: Locale): string {
  const w = NEEDS_WORDS[lang];
  return `${metricName(target, lang)} ${target.direction === 'at_least' ? w.atLeast : w.atMost} ${target.threshold}`;
}

/** The metric's name, with its class for a per-class target. */
export function metricName(target: Pick<Target, 'metric' | 'label'>, lang: Locale): string {
  const w = NEEDS_WORDS[lang];
  const name = w.metric[target.metric];
  return target.label && target.metric !== 'accuracy' && target.metric !== 'macro_f1' ? w.of(name, target.label) : name;
}
