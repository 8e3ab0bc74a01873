/**
 * The files that make an exported model usable without ModelPilot: examples/predict.mjs (needs
 * only Node and @tensorflow/tfjs), a curl call of the local API, a sample input file, a
 * package.json that installs tfjs, and a README in the user's language.
 */
import type { BundleManifest } from '../../contract/export';
import { DEFAULT_SERVING_PORT } from '../../contract/export';
import type { Locale } from '../../contract/schemas';
import { rowsToCsv } from '../inference/csv';
import { exampleRow, servingSnippets } from '../serving/snippets';
import { MODEL_CARD_HTML, MODEL_CARD_MD, PREDICT_SCRIPT, RECIPE_FILE, RUNTIME_FILE } from './bundle-layout';

/** examples/predict.mjs: the same for every model (it reads the bundle it sits in). */
export const PREDICT_SCRIPT_SOURCE = `#!/usr/bin/env node
// Predicts with this exported ModelPilot model, without ModelPilot.
//
//   npm install @tensorflow/tfjs                 once, in the unzipped folder
//   node examples/predict.mjs data.csv           one answer per row (CSV, TSV, JSON or JSON Lines, UTF-8)
//   node examples/predict.mjs --text "…"         text models: the answer for one text (repeat for more)
//
//   --json                   one JSON object per row, with every label's probability
//   --out predictions.csv    write data.csv's rows with a prediction and a confidence column
//
// Rows are cleaned and encoded by modelpilot-runtime.mjs, which is ModelPilot's own code, so
// the answers are the ones ModelPilot gives.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import * as runtime from './modelpilot-runtime.mjs';

const usage = 'usage: node examples/predict.mjs <data.csv> | --text "…" [--json] [--out predictions.csv]';
const bundleDir = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const { values, positionals } = parseArgs({
    options: { text: { type: 'string', multiple: true }, json: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) return console.log(usage);
  if (!values.text && positionals.length !== 1) throw new UsageError(usage);

  // Quiet: tfjs would otherwise advise installing its native backend on every run.
  tf.enableProdMode();
  const { recipe, model } = await runtime.loadBundleFolder(tf, bundleDir);
  const input = runtime.inputSchemaOf(recipe.preprocessing);

  let table;
  if (values.text) {
    const column = input.columns.find((c) => c.type === 'text');
    if (!column) throw new UsageError('this model reads table columns: give a data file instead of --text');
    table = { columns: [column.name], rows: values.text.map((text) => ({ [column.name]: text })) };
  } else {
    table = runtime.parseTableText(positionals[0], await readFile(positionals[0], 'utf8'));
    const missing = runtime.missingInputColumns(recipe, table.rows);
    if (missing.length > 0) throw new UsageError(\`the data has no column "\${missing[0]}"; the model reads \${input.columns.map((c) => c.name).join(', ')}\`);
  }

  const predictions = await runtime.predictRows(tf, model, recipe, table.rows);
  if (values.out) {
    await writeFile(values.out, runtime.predictionsToCsv(table.columns, table.rows, predictions));
    console.error(\`\${predictions.length} predictions written to \${values.out}\`);
  } else if (values.json) {
    const labels = recipe.preprocessing.labels;
    for (const p of predictions) {
      const probabilities = p.probabilities && Object.fromEntries(labels.map((label, k) => [label, p.probabilities[k]]));
      console.log(JSON.stringify({ prediction: p.prediction, confidence: p.confidence, probabilities }));
    }
  } else {
    console.log('prediction,confidence');
    for (const p of predictions) console.log(\`\${csvField(runtime.formatPrediction(p.prediction))},\${runtime.formatConfidence(p.confidence)}\`);
  }
  model.dispose();
}

class UsageError extends Error {}

function csvField(text) {
  return /[",\\r\\n]/.test(text) ? \`"\${text.replace(/"/g, '""')}"\` : text;
}

main().catch((error) => {
  console.error(\`error: \${error.message}\`);
  process.exitCode = error instanceof UsageError || error.name === 'CoreError' ? 2 : 1;
});
`;

/** The npm package name for a bundle folder (npm names are lowercase ASCII). */
function packageName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `modelpilot-model${slug ? `-${slug}` : ''}`;
}

/** package.json at the bundle's root: `npm install` brings tfjs, `npm run predict -- data.csv` predicts. */
export function bundlePackageJson(manifest: BundleManifest, tfjsVersion: string): string {
  return (
    JSON.stringify(
      {
        name: packageName(manifest.name),
        private: true,
        description: `${manifest.name}: a model exported by ModelPilot ${manifest.app.version}`,
        type: 'module',
        engines: { node: '>=18' },
        scripts: { predict: 'node examples/predict.mjs' },
        dependencies: { '@tensorflow/tfjs': `^${tfjsVersion}` },
      },
      null,
      2,
    ) + '\n'
  );
}

/** examples/sample-input.csv: the columns the model reads, with one example row to overwrite. */
export function sampleInputCsv(manifest: BundleManifest): string {
  return rowsToCsv(
    manifest.input.columns.map((c) => c.name),
    [exampleRow(manifest.input)],
  );
}

/** examples/curl.txt: how to call the local prediction API once ModelPilot serves this model. */
export function curlExample(manifest: BundleManifest, lang: Locale): string {
  const snippets = servingSnippets({ port: DEFAULT_SERVING_PORT, input: manifest.input });
  const zh = lang === 'zh-CN';
  return [
    zh
      ? `# 在 ModelPilot 的“部署”步骤启动本地预测接口后（只在本机 127.0.0.1 上提供，默认端口 ${DEFAULT_SERVING_PORT}），可以这样调用：`
      : `# Once ModelPilot serves this model (Deployment step; on 127.0.0.1 only, port ${DEFAULT_SERVING_PORT} by default), call it like this:`,
    '',
    snippets.curl,
    '',
    zh ? '# 回答：{"model": {...}, "labels": [...], "predictions": [{"prediction": ..., "confidence": ..., "probabilities": [...]}]}' : '# Answer: {"model": {...}, "labels": [...], "predictions": [{"prediction": ..., "confidence": ..., "probabilities": [...]}]}',
    ...(manifest.input.kind === 'text' ? ['', zh ? '# 文本模型也可以只发送文本：' : '# A text model also takes just the text:', snippets.curl.replace(/-d '.*'$/s, `-d '{"text": "…"}'`)] : []),
    '',
  ].join('\n');
}

/** README.md at the bundle's root, in the user's language. */
export function bundleReadme(manifest: BundleManifest, lang: Locale): string {
  const text = manifest.input.kind === 'text';
  if (lang === 'zh-CN') {
    return `# ${manifest.name}

这是用 ModelPilot ${manifest.app.version} 导出的模型。模型是做什么的、用什么数据训练、效果如何、有哪些局限，请看 [${MODEL_CARD_MD}](${MODEL_CARD_MD})（或用浏览器打开 ${MODEL_CARD_HTML}）。

## 不用 ModelPilot 也能预测

需要 Node.js 18 或更高版本。在这个文件夹里运行：

\`\`\`sh
npm install @tensorflow/tfjs    # 只需一次
node ${PREDICT_SCRIPT} data.csv                         # data.csv 的每一行输出一个结果和置信度
node ${PREDICT_SCRIPT} data.csv --out predictions.csv   # 在原表格后面加上 prediction 和 confidence 两列
${text ? `node ${PREDICT_SCRIPT} --text "要分类的文本"\n` : ''}
\`\`\`

data.csv 需要包含这些列：${manifest.input.columns.map((c) => c.name).join('、')}（参考 examples/sample-input.csv）。

## 文件说明

- \`manifest.json\`：格式版本、任务、标签、输入列、评估指标和每个文件的校验值
- \`model/\`：TensorFlow.js layers 格式的模型（model.json + 权重），任何 TensorFlow.js 都能加载
- \`${RECIPE_FILE}\`：训练时拟合好的数据预处理（清洗步骤、分词词表或表格编码、标签映射）
- \`${RUNTIME_FILE}\`：ModelPilot 自己的预处理代码（打包成一个文件），保证这里的预测和应用里完全一致
- \`examples/curl.txt\`：调用 ModelPilot 本地预测接口的示例
`;
  }
  return `# ${manifest.name}

A model exported by ModelPilot ${manifest.app.version}. What it does, the data it learned from, how well it did and its limits are in [${MODEL_CARD_MD}](${MODEL_CARD_MD}) (or open ${MODEL_CARD_HTML} in a browser).

## Predict without ModelPilot

Needs Node.js 18 or newer. In this folder:

\`\`\`sh
npm install @tensorflow/tfjs    # once
node ${PREDICT_SCRIPT} data.csv                         # one answer and its confidence per row of data.csv
node ${PREDICT_SCRIPT} data.csv --out predictions.csv   # data.csv plus a prediction and a confidence column
${text ? `node ${PREDICT_SCRIPT} --text "a text to classify"\n` : ''}
\`\`\`

data.csv needs the columns ${manifest.input.columns.map((c) => `"${c.name}"`).join(', ')} (see examples/sample-input.csv).

## What is inside

- \`manifest.json\`: format version, task, labels, input columns, metrics, and a checksum for every file
- \`model/\`: the model in TensorFlow.js layers format (model.json + weights); any TensorFlow.js can load it
- \`${RECIPE_FILE}\`: the preprocessing fitted in training (cleaning steps, vocabulary or table encoding, label map)
- \`${RUNTIME_FILE}\`: ModelPilot's own preprocessing code in one file, so predictions here equal the app's
- \`examples/curl.txt\`: how to call ModelPilot's local prediction API
`;
}
