/**
 * Tiny trained runs for the export tests, made on the spot (no binaries in the repo): raw rows
 * with the mess a real file has (HTML, capitals, spaces, numbers as text, gaps), a cleaning
 * recipe fitted on the raw training rows, the cleaned rows trained on for 2 epochs, and the
 * run's data.json snapshot holding the fitted recipe, as the app's training writes it.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import type { Recipe, RecipeStep, Row } from '../../../main/contract/data';
import type { TrainingConfigInput } from '../../../main/contract/training';
import { apply, fit } from '../../../main/core/data/recipe';
import { createRng } from '../../../main/core/data/prng';
import { writeDataSnapshot } from '../../../main/core/training/project-data';
import { createRun } from '../../../main/core/training/run-store';
import { runTraining } from '../../../main/core/training/trainer';
import type { TrainingData } from '../../../main/core/training/training-data';
import { table, textReviews } from '../training/fixtures';

export type FixtureKind = 'text-binary' | 'text-multiclass' | 'tabular-binary' | 'tabular-regression';

export interface TrainedFixture {
  kind: FixtureKind;
  runDir: string;
  /** The cleaning recipe fitted on the raw training rows. */
  recipe: Recipe;
  /** Raw rows never trained on, as a user would give them (label column included). */
  rawTest: Row[];
  inputs: TrainingData['inputs'];
  label: string;
}

const CHINESE = ['这个产品很好用，我很喜欢', '快递太慢了，非常失望', '价格还可以', '质量很差，难用', '包装不错'];

/** Messes up a review the way exports from web tools do; the recipe cleans it again. */
function messyText(text: string, rng: () => number): string {
  let out = rng() < 0.3 ? text.toUpperCase() : text;
  if (rng() < 0.3) out = `<p>${out}</p>`;
  if (rng() < 0.3) out = `  ${out} `;
  if (rng() < 0.25) out = `${out} ${CHINESE[Math.floor(rng() * CHINESE.length)]}`;
  return out;
}

function rawText(data: TrainingData, seed: number): TrainingData {
  const rng = createRng(seed);
  const mess = (rows: Row[]) => rows.map((r) => ({ ...r, review: messyText(String(r.review), rng) }));
  return { ...data, train: mess(data.train), validation: mess(data.validation ?? []) };
}

function rawTable(data: TrainingData, seed: number): TrainingData {
  const rng = createRng(seed);
  const mess = (rows: Row[]) =>
    rows.map((r) => ({
      ...r,
      // Numbers arrive as text from CSV files, some with spaces, some missing.
      age: rng() < 0.1 ? '' : ` ${Number(r.age).toFixed(3)}`,
      spend: r.spend === null ? 'n/a' : String(r.spend),
      plan: rng() < 0.2 ? `${r.plan} ` : r.plan,
    }));
  return { ...data, train: mess(data.train), validation: mess(data.validation ?? []) };
}

const TEXT_STEPS: RecipeStep[] = [
  { op: 'strip_html', columns: ['review'] },
  { op: 'trim', columns: ['review'] },
  { op: 'lowercase', columns: ['review'] },
  { op: 'drop_missing', columns: ['review'] },
];

const TABLE_STEPS: RecipeStep[] = [
  { op: 'trim', columns: ['plan'] },
  { op: 'fill_missing', column: 'age', strategy: 'median' },
  { op: 'clip_outliers', column: 'spend', method: 'iqr' },
  { op: 'normalize', column: 'spend', method: 'zscore' },
];

const CONFIGS: Record<FixtureKind, TrainingConfigInput> = {
  'text-binary': { modelId: 'text-bow', task: 'text-classification', epochs: 2, batchSize: 8, learningRate: 0.05, hyperparameters: { embeddingDim: 8 } },
  'text-multiclass': { modelId: 'text-cnn', task: 'text-classification', epochs: 4, batchSize: 8, learningRate: 0.01 },
  'tabular-binary': { modelId: 'tabular-mlp', task: 'tabular-classification', epochs: 2, batchSize: 16, learningRate: 0.01 },
  'tabular-regression': { modelId: 'tabular-linear', task: 'tabular-regression', epochs: 2, batchSize: 16, learningRate: 0.05 },
};

/** Trains one tiny run under `<root>/<kind>/project/runs/`. */
export async function trainFixture(root: string, kind: FixtureKind): Promise<TrainedFixture> {
  const text = kind.startsWith('text');
  const base = kind === 'text-binary' ? textReviews(64, 7) : kind === 'text-multiclass' ? textReviews(48, 8, 3) : table(96, 9, kind === 'tabular-regression' ? 'number' : 'class');
  const raw = text ? rawText(base, 11) : rawTable(base, 12);
  const testBase = text ? textReviews(24, 99, kind === 'text-multiclass' ? 3 : 2) : table(24, 98, kind === 'tabular-regression' ? 'number' : 'class');
  const test = (text ? rawText(testBase, 13) : rawTable(testBase, 14)).train;
  const recipe = fit(text ? TEXT_STEPS : TABLE_STEPS, raw.train);
  const data: TrainingData = { ...raw, train: apply(recipe, raw.train), validation: apply(recipe, raw.validation ?? []) };

  const runsDir = join(root, kind, 'project', 'runs');
  const run = await createRun(runsDir, CONFIGS[kind]);
  const sha = 'a'.repeat(64);
  await writeDataSnapshot(run.dir, {
    source: { file: `data/${sha}.csv`, originalName: `${kind}.csv`, sha256: sha, bytes: 1, importedAt: new Date(0).toISOString(), rows: raw.train.length, spec: { format: 'csv', encoding: 'utf-8', delimiter: ',', hasHeader: true, sheet: null, columns: Object.keys(raw.train[0]) } },
    roles: Object.fromEntries([...base.inputs.map((c) => [c.name, c.role]), [base.label, 'label']]),
    labelColumn: base.label,
    taskType: kind === 'tabular-regression' ? 'regression' : kind === 'text-multiclass' ? 'multiclass' : 'binary',
    recipe,
    split: { train: 0.8, validation: 0.1, test: 0.1, seed: 42 },
  });
  const done = await runTraining({ runDir: run.dir, data });
  if (!done.hasModel) throw new Error(`fixture ${kind} did not train: ${JSON.stringify(done.failure)}`);
  return { kind, runDir: run.dir, recipe, rawTest: test, inputs: base.inputs, label: base.label };
}

/** Makes `@tensorflow/tfjs` resolvable from `dir` the way `npm install` would (a symlink to ours). */
export async function linkTfjs(dir: string): Promise<void> {
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await symlink(resolve('node_modules/@tensorflow'), join(dir, 'node_modules', '@tensorflow'), 'dir');
}

/** Runs a command to its end; resolves with its exit code and output. */
export function run(command: string, args: string[], options: { cwd: string; input?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Writes rows as a UTF-8 CSV (quoted where needed) for predict.mjs and the CLI. */
export async function writeCsv(path: string, rows: Row[]): Promise<void> {
  const columns = Object.keys(rows[0]);
  const field = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  await writeFile(path, [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\n') + '\n');
}
