/**
 * The model card that travels in every export (model-card.md and model-card.html): who made the
 * model and for what, the data it learned from, how well it did, and where it falls short, in
 * the user's language (English or 简体中文). Both files are rendered from one outline, so they
 * always say the same thing.
 */
import type { BundleManifest } from '../../contract/export';
import type { Target, TargetMetricsInput } from '../../contract/needs';
import type { Locale } from '../../contract/schemas';
import type { LocalizedText } from '../../contract/training';
import type { ModelRecipe } from '../inference/preprocess';
import { targetsSection } from '../needs/model-card-targets';
import { describeCleaningStep } from './model-card-steps';
import { WORDS } from './model-card-words';

export interface ModelCardInput {
  manifest: BundleManifest;
  recipe: ModelRecipe;
  /** The catalog model's name and one-line description. */
  model: { name: LocalizedText; what: LocalizedText };
  /** The data file the project imported, when known. */
  sourceName: string | null;
  /** The Needs step's acceptance targets and the test scores to check them against; no section when absent. */
  targets?: { list: readonly Target[]; metrics: TargetMetricsInput | null };
}

type Block = { kind: 'p'; text: string } | { kind: 'ul'; items: string[] } | { kind: 'table'; head: string[]; rows: string[][] } | { kind: 'code'; text: string };
interface Section {
  title: string;
  blocks: Block[];
}
interface Outline {
  title: string;
  lead: string;
  sections: Section[];
}

const fmt = (value: number, lang: Locale): string => (Math.abs(value) >= 1000 ? Math.round(value).toLocaleString(lang) : Number(value.toPrecision(4)).toString());
const pct = (value: number): string => `${Math.round(value * 1000) / 10}%`;

function outline({ manifest, recipe, model, sourceName, targets }: ModelCardInput, lang: Locale): Outline {
  const w = WORDS[lang];
  const zh = lang === 'zh-CN';
  const pre = recipe.preprocessing;
  const columns = manifest.input.columns;
  const columnList = columns.map((c) => (zh ? `“${c.name}”` : `"${c.name}"`)).join(zh ? '、' : ', ');
  const date = manifest.createdAt.slice(0, 10);
  const t = manifest.training;

  const summary: Block[] = [
    {
      kind: 'p',
      text: zh
        ? `这个模型${w.task[manifest.task]}：根据${columnList}预测“${manifest.labelColumn}”。`
        : `This model ${w.task[manifest.task]}: it predicts "${manifest.labelColumn}" from ${columnList}.`,
    },
    {
      kind: 'ul',
      items: [
        zh ? `模型类型：${model.name[lang]}。${model.what[lang]}` : `Model type: ${model.name[lang]}. ${model.what[lang]}`,
        manifest.labels.length ? (zh ? `可能的结果：${manifest.labels.join('、')}` : `Possible answers: ${manifest.labels.join(', ')}`) : zh ? '结果是一个数值。' : 'The answer is a number.',
        zh ? `导出日期：${date}，ModelPilot ${manifest.app.version}` : `Exported on ${date} with ModelPilot ${manifest.app.version}`,
      ],
    },
  ];

  const who: Block[] = [
    {
      kind: 'p',
      text: zh
        ? `项目“${manifest.name}”的负责人用 ModelPilot 在自己的电脑上训练了这个模型，没有把数据上传到任何地方。它用于辅助日常判断和排序工作，例如分流、优先级排序或估算。`
        : `The owner of the project "${manifest.name}" trained this model with ModelPilot on their own computer; the data never left it. It is meant to assist everyday sorting, triage and estimating work.`,
    },
    {
      kind: 'p',
      text: zh
        ? '不要在没有人工复核的情况下，用它对个人作出重要决定（例如招聘、信贷、医疗）。'
        : 'Do not use it to make important decisions about individual people (hiring, credit, health) without a person reviewing each answer.',
    },
  ];

  const data: Block[] = [
    {
      kind: 'ul',
      items: [
        ...(sourceName ? [zh ? `数据文件：${sourceName}` : `Data file: ${sourceName}`] : []),
        zh ? `训练行数：${t.trainRows ?? '未知'}；验证行数：${t.validationRows ?? '未知'}` : `Training rows: ${t.trainRows ?? 'unknown'}; validation rows: ${t.validationRows ?? 'unknown'}`,
        zh ? `训练轮数：${t.epochs}${t.bestEpoch ? `（保留第 ${t.bestEpoch} 轮的模型）` : ''}` : `Epochs trained: ${t.epochs}${t.bestEpoch ? ` (the model from epoch ${t.bestEpoch} was kept)` : ''}`,
        ...(pre.target
          ? [zh ? `训练数据中目标值的平均值 ${fmt(pre.target.mean, lang)}，标准差 ${fmt(pre.target.std, lang)}` : `Target in the training rows: mean ${fmt(pre.target.mean, lang)}, standard deviation ${fmt(pre.target.std, lang)}`]
          : []),
      ],
    },
  ];

  const inputs: Block[] = [
    {
      kind: 'table',
      head: [w.column, w.kind, w.details],
      rows: columns.map((c) => [
        c.name,
        w.type[c.type],
        c.type === 'categorical'
          ? zh
            ? `${c.categories.length} 个已知取值${c.categories.length ? `（如 ${c.categories.slice(0, 5).join('、')}）` : ''}；其他值按“其他”处理`
            : `${c.categories.length} known values${c.categories.length ? ` (e.g. ${c.categories.slice(0, 5).join(', ')})` : ''}; anything else counts as "other"`
          : c.type === 'numeric'
            ? zh
              ? '缺失时按训练数据的平均值处理'
              : 'missing values count as the training average'
            : zh
              ? '任何语言的文本（中文按词切分）'
              : 'text in any language (Chinese is split into words)',
      ]),
    },
  ];
  if (pre.kind === 'text') {
    const s = pre.tokenizer.stats;
    inputs.push({
      kind: 'ul',
      items: [
        zh ? `词表：${pre.tokenizer.vocabulary.length - 2} 个词，覆盖训练文本中 ${pct(s.coverage)} 的词` : `Vocabulary: ${pre.tokenizer.vocabulary.length - 2} words, covering ${pct(s.coverage)} of the words in the training texts`,
        zh ? `每条文本最多读取 ${pre.tokenizer.sequenceLength} 个词（训练文本中有 ${pct(s.truncatedShare)} 更长，超出部分被忽略）` : `Reads up to ${pre.tokenizer.sequenceLength} words of each text (${pct(s.truncatedShare)} of the training texts were longer; the rest is ignored)`,
      ],
    });
  }

  // Steps that only drop rows shape the training set; predictions skip them.
  const trainingOnly = new Set(['drop_duplicates', 'drop_missing', 'drop_conflicts', 'drop_classes']);
  const steps = recipe.cleaning.steps.map((step) => describeCleaningStep(step, lang) + (trainingOnly.has(step.op) ? (zh ? '（仅训练时）' : ' (training only)') : ''));
  const prep: Block[] = [
    {
      kind: 'p',
      text: zh
        ? '预测前，每一行都会先按下面的步骤清洗，和训练时完全一样（只删除行的步骤在预测时跳过，每一行都会得到结果）。这些步骤保存在 recipe.json 里。'
        : 'Before each prediction, every row is cleaned with these steps, exactly as in training (steps that only remove rows are skipped: every row gets an answer). They are stored in recipe.json.',
    },
    steps.length ? { kind: 'ul', items: steps } : { kind: 'p', text: zh ? '（没有清洗步骤）' : '(no cleaning steps)' },
  ];

  const names = [...new Set([...Object.keys(manifest.metrics.validation), ...Object.keys(manifest.metrics.test ?? {})])];
  const metricLabel = (name: string) => (name in w.metric ? w.metric[name as keyof typeof w.metric] : name);
  const metricHelp = (name: string) => (name in w.metricHelp ? w.metricHelp[name as keyof typeof w.metricHelp] : '');
  const metricValue = (values: Record<string, number> | null, name: string) => {
    const v = values?.[name];
    if (v === undefined) return w.notRun;
    return name === 'accuracy' || name === 'macroF1' || name === 'weightedF1' ? pct(v) : fmt(v, lang);
  };
  const metrics: Block[] = [
    {
      kind: 'table',
      head: [w.metricCol, w.validation, w.test, w.details],
      rows: names.map((n) => [metricLabel(n), metricValue(manifest.metrics.validation, n), metricValue(manifest.metrics.test, n), metricHelp(n)]),
    },
    {
      kind: 'p',
      text: manifest.metrics.test
        ? zh
          ? '测试集的数据在训练中从未使用过，最能代表模型在新数据上的表现。'
          : 'The test rows were never used in training: they are the best guide to how the model does on new data.'
        : zh
          ? '这个模型还没有在测试集上评估。验证集的分数在训练中用于挑选模型，可能略偏乐观。'
          : 'This model has not been scored on the test rows yet. Validation scores were used to pick the model during training and may be a little optimistic.',
    },
  ];

  if (manifest.decisionThreshold != null && manifest.labels.length === 2) {
    const [negative, positive] = manifest.labels;
    metrics.push({
      kind: 'p',
      text: zh
        ? `判定阈值：当“${positive}”的概率高于 ${pct(manifest.decisionThreshold)} 时回答“${positive}”，否则回答“${negative}”（在“评估”步骤中选定）。`
        : `Decision threshold: it answers "${positive}" when the probability of "${positive}" is above ${pct(manifest.decisionThreshold)}, else "${negative}" (chosen in the Evaluation step).`,
    });
  }

  const limits: string[] = [
    zh
      ? '模型只学过训练数据里出现的情况。和训练数据差别很大的输入（新的产品、新的用语、不同的时间段）结果可能不可靠。'
      : 'The model only knows what its training rows showed. Inputs unlike them (new products, new wording, another period) may get unreliable answers.',
  ];
  if (t.trainRows !== null && t.trainRows < 1000) {
    limits.push(zh ? `训练数据较少（${t.trainRows} 行），分数可能会随数据变化而波动。` : `It learned from few rows (${t.trainRows}); its scores may shift noticeably on other data.`);
  }
  if (manifest.labels.length) {
    limits.push(
      zh
        ? `它只会给出 ${manifest.labels.join('、')} 之一，即使正确答案不在其中。置信度是模型自己的估计，不保证准确。`
        : `It always answers one of ${manifest.labels.join(', ')}, even when the right answer is none of them. Confidence is the model's own estimate, not a guarantee.`,
    );
  } else {
    limits.push(zh ? '超出训练数据范围的输入，预测值可能偏差很大。' : 'For inputs outside the range of the training rows, predicted values can be far off.');
  }
  if (pre.kind === 'text') {
    limits.push(
      zh
        ? `它按词阅读，最多读取 ${pre.tokenizer.sequenceLength} 个词；词表外的词一律视为“未知词”。中文分词依赖 Node.js 的 Intl.Segmenter，不同版本的结果可能略有差别。`
        : `It reads words, up to ${pre.tokenizer.sequenceLength} of them; words outside its vocabulary all look the same to it. Chinese word splitting uses Node.js's Intl.Segmenter, which may differ slightly between versions.`,
    );
  }

  const use: Block[] = [
    { kind: 'p', text: zh ? '解压这个 .mpmodel 文件（它是一个 zip），在解压后的文件夹里运行：' : 'Unzip this .mpmodel file (it is a zip) and, in the unzipped folder, run:' },
    {
      kind: 'code',
      text: ['npm install @tensorflow/tfjs', 'node examples/predict.mjs data.csv', ...(pre.kind === 'text' ? ['node examples/predict.mjs --text "…"'] : [])].join('\n'),
    },
    {
      kind: 'p',
      text: zh
        ? '也可以在 ModelPilot 里使用：`modelpilot predict 文件.mpmodel --input data.csv`，或在“部署”步骤启动本地预测接口（见 examples/curl.txt）。'
        : 'Or use it with ModelPilot: `modelpilot predict FILE.mpmodel --input data.csv`, or start the local prediction API in the Deployment step (see examples/curl.txt).',
    },
  ];

  return {
    title: `${w.card}${zh ? '：' : ': '}${manifest.name}`,
    lead: zh ? `${model.name[lang]}，${w.task[manifest.task]}` : `${model.name[lang]} that ${w.task[manifest.task]}`,
    sections: [
      { title: w.summary, blocks: summary },
      { title: w.who, blocks: who },
      { title: w.data, blocks: data },
      { title: w.inputs, blocks: inputs },
      { title: w.prep, blocks: prep },
      { title: w.metrics, blocks: metrics },
      ...(targets ? [targetsSection(targets.list, targets.metrics, lang)] : []),
      { title: w.limits, blocks: [{ kind: 'ul', items: limits }] },
      { title: w.use, blocks: use },
    ],
  };
}

const mdCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** model-card.md */
export function renderModelCardMarkdown(input: ModelCardInput, lang: Locale): string {
  const doc = outline(input, lang);
  const out: string[] = [`# ${doc.title}`, '', `_${doc.lead}_`, ''];
  for (const section of doc.sections) {
    out.push(`## ${section.title}`, '');
    for (const block of section.blocks) {
      if (block.kind === 'p') out.push(block.text, '');
      else if (block.kind === 'ul') out.push(...block.items.map((i) => `- ${i}`), '');
      else if (block.kind === 'code') out.push('```sh', block.text, '```', '');
      else {
        out.push(`| ${block.head.map(mdCell).join(' | ')} |`, `| ${block.head.map(() => '---').join(' | ')} |`);
        out.push(...block.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`), '');
      }
    }
  }
  return out.join('\n');
}

/** Text for HTML: the five characters that could open markup or break an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Inline `code` spans of the outline's sentences, escaped. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** model-card.html: one self-contained page (no scripts, no external files). */
export function renderModelCardHtml(input: ModelCardInput, lang: Locale): string {
  const doc = outline(input, lang);
  const body: string[] = [`<h1>${escapeHtml(doc.title)}</h1>`, `<p class="lead">${escapeHtml(doc.lead)}</p>`];
  for (const section of doc.sections) {
    body.push(`<section><h2>${escapeHtml(section.title)}</h2>`);
    for (const block of section.blocks) {
      if (block.kind === 'p') body.push(`<p>${inline(block.text)}</p>`);
      else if (block.kind === 'ul') body.push(`<ul>${block.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`);
      else if (block.kind === 'code') body.push(`<pre><code>${escapeHtml(block.text)}</code></pre>`);
      else {
        body.push(
          `<table><thead><tr>${block.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${block.rows
            .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`,
        );
      }
    }
    body.push('</section>');
  }
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>
body { font: 16px/1.6 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
.lead { color: #57606a; margin-top: 0; } table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #d0d7de; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; } code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
