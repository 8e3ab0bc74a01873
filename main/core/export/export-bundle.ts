/**
 * Exports a trained run: as a `.mpmodel` file (a zip with manifest, model, recipe, model card
 * and examples) or as a TF.js folder (model.json + weights beside recipe.json and manifest.json).
 * Written atomically: the file is built in memory and renamed into place, the folder swapped in
 * whole, so a crash never leaves half an export where the user expects one.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  exportRequestSchema,
  type BundleManifest,
  type ExportRequest,
  type ExportResult,
} from '../../contract/export';
import type { RunFile } from '../../contract/training';
import { readPackageMeta } from '../app-meta';
import { CoreError } from '../errors';
import { writeFileAtomic } from '../fs/atomic-write';
import { readRunModelRecipe, projectDirOfRun } from '../inference/model-recipe';
import { MODEL_JSON_FILE, parseModelJson, shardNames } from '../inference/model-files';
import { inputSchemaOf, type ModelRecipe } from '../inference/preprocess';
import { getModel } from '../models/catalog';
import { readProjectFile } from '../projects/project-file';
import { replaceDirAtomic } from '../training/atomic-dir';
import { DATA_SNAPSHOT_FILE } from '../training/project-data';
import { hasSavedModel, MODEL_DIR, readRun } from '../training/run-store';
import { sha256Hex } from './bundle-reader';
import {
  CURL_EXAMPLE,
  MANIFEST_FILE,
  MODEL_CARD_HTML,
  MODEL_CARD_MD,
  MODEL_FOLDER,
  PACKAGE_FILE,
  PREDICT_SCRIPT,
  README_FILE,
  RECIPE_FILE,
  RUNTIME_FILE,
  SAMPLE_INPUT,
} from './bundle-layout';
import { bundlePackageJson, bundleReadme, curlExample, PREDICT_SCRIPT_SOURCE, sampleInputCsv } from './examples';
import { renderModelCardHtml, renderModelCardMarkdown, type ModelCardInput } from './model-card';
import { predictRuntimeCode } from './predict-runtime';
import { createZip, type ZipEntries } from './zip';

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);

/** Validation scores of the kept epoch, under the names the Evaluation step uses. */
export function validationMetrics(run: RunFile): Record<string, number> {
  const best = run.best;
  if (!best) return {};
  const value = best.valMetric ?? best.metric;
  const loss = best.valLoss ?? best.loss;
  const out: Record<string, number> = {};
  if (value !== null && Number.isFinite(value)) out[run.metricName] = value;
  if (Number.isFinite(loss)) out.loss = loss;
  return out;
}

/** The project's name for a run at <project>/runs/<id>, or null. */
async function projectName(runDir: string): Promise<string | null> {
  const dir = projectDirOfRun(runDir);
  if (!dir) return null;
  return readProjectFile(dir).then(
    (p) => p.name,
    () => null,
  );
}

/** The imported file's original name, from the data the run was trained on. */
async function sourceName(runDir: string): Promise<string | null> {
  try {
    const snapshot = JSON.parse(await readFile(join(runDir, DATA_SNAPSHOT_FILE), 'utf8')) as { source?: { originalName?: unknown } };
    return typeof snapshot.source?.originalName === 'string' ? snapshot.source.originalName : null;
  } catch {
    return null;
  }
}

/** The installed @tensorflow/tfjs version, for the bundle's package.json. */
function tfjsVersion(): string {
  try {
    return (createRequire(import.meta.url)('@tensorflow/tfjs/package.json') as { version: string }).version;
  } catch {
    return '4.22.0';
  }
}

interface RunExport {
  run: RunFile;
  recipe: ModelRecipe;
  cleaningSource: ExportResult['cleaningRecipeSource'];
  modelFiles: Record<string, Uint8Array>;
}

/** Reads what an export needs from a run; `run_has_no_model` when training kept no model. */
async function readRunForExport(runDir: string): Promise<RunExport> {
  const run = await readRun(runDir);
  const modelDir = join(runDir, MODEL_DIR);
  if (!run.hasModel || !(await hasSavedModel(modelDir))) throw new CoreError('run_has_no_model', `run ${run.runId} has no saved model`, { runId: run.runId });
  const { recipe, cleaningSource } = await readRunModelRecipe(runDir);
  const modelJsonBytes = await readFile(join(modelDir, MODEL_JSON_FILE));
  const modelJson = parseModelJson(new TextDecoder().decode(modelJsonBytes));
  const modelFiles: Record<string, Uint8Array> = { [MODEL_JSON_FILE]: modelJsonBytes };
  for (const name of shardNames(modelJson)) {
    try {
      modelFiles[name] = await readFile(join(modelDir, name));
    } catch (error) {
      throw new CoreError('run_corrupt', `cannot read ${join(modelDir, name)}: ${(error as Error).message}`, { path: modelDir });
    }
  }
  return { run, recipe, cleaningSource, modelFiles };
}

/** The manifest for a set of files (their sizes and sha-256 are filled in here). */
function buildManifest(options: {
  run: RunFile;
  recipe: ModelRecipe;
  name: string;
  language: BundleManifest['language'];
  testMetrics: Record<string, number> | null;
  now: Date;
  files: Record<string, Uint8Array>;
}): BundleManifest {
  const { run, recipe } = options;
  const pre = recipe.preprocessing;
  const app = readPackageMeta();
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: options.now.toISOString(),
    app: { name: app.productName, version: app.version },
    name: options.name,
    task: run.config.task,
    outputKind: pre.outputKind,
    modelId: run.config.modelId,
    labelColumn: pre.labelColumn,
    labels: pre.labels,
    decisionThreshold: pre.outputKind === 'binary' ? (recipe.decisionThreshold ?? null) : null,
    input: inputSchemaOf(pre),
    metrics: { validation: validationMetrics(run), test: options.testMetrics },
    training: {
      runId: run.runId,
      trainRows: run.data?.trainRows ?? null,
      validationRows: run.data?.validationRows ?? null,
      epochs: run.epochsCompleted,
      bestEpoch: run.bestEpoch,
      paramCount: run.paramCount,
      backend: run.backend?.selected ?? null,
    },
    language: options.language,
    files: Object.fromEntries(
      Object.entries(options.files)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, bytes]) => [path, { bytes: bytes.byteLength, sha256: sha256Hex(bytes) }]),
    ),
  };
}

/**
 * Exports a run (see the module note). Refuses with `run_has_no_model`, `run_corrupt`,
 * `recipe_not_fitted` or `invalid_payload`; writes nothing then.
 */
export async function exportRun(
  request: ExportRequest,
  options: { now?: Date; targets?: ModelCardInput['targets'] } = {},
): Promise<ExportResult> {
  const parsed = exportRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('invalid_payload', `export: ${issue?.path.join('.')} ${issue?.message}`, { field: issue?.path.join('.') ?? '' });
  }
  const { runDir, outPath, format, language, testMetrics } = parsed.data;
  const now = options.now ?? new Date();
  const { run, recipe, cleaningSource, modelFiles } = await readRunForExport(runDir);
  const name = parsed.data.name ?? (await projectName(runDir)) ?? run.runId;
  const definition = getModel(run.config.modelId);
  const recipeBytes = utf8(JSON.stringify(recipe, null, 2) + '\n');

  // Files whose checksums go into the manifest; the card and examples need the manifest's other
  // fields only, so a first manifest (no checksums) words them.
  const draft = buildManifest({ run, recipe, name, language, testMetrics: testMetrics ?? null, now, files: {} });
  const cardInput = { manifest: draft, recipe, model: { name: definition.entry.name, what: definition.entry.description.what }, sourceName: await sourceName(runDir), targets: options.targets };
  const card = { [MODEL_CARD_MD]: utf8(renderModelCardMarkdown(cardInput, language)), [MODEL_CARD_HTML]: utf8(renderModelCardHtml(cardInput, language)) };

  let files: ZipEntries;
  if (format === 'tfjs-folder') {
    files = { ...modelFiles, [RECIPE_FILE]: recipeBytes, ...card };
  } else {
    files = {
      ...Object.fromEntries(Object.entries(modelFiles).map(([file, bytes]) => [`${MODEL_FOLDER}/${file}`, bytes])),
      [RECIPE_FILE]: recipeBytes,
      ...card,
      [README_FILE]: utf8(bundleReadme(draft, language)),
      [PACKAGE_FILE]: utf8(bundlePackageJson(draft, tfjsVersion())),
      [PREDICT_SCRIPT]: utf8(PREDICT_SCRIPT_SOURCE),
      [RUNTIME_FILE]: utf8(await predictRuntimeCode()),
      [CURL_EXAMPLE]: utf8(curlExample(draft, language)),
      [SAMPLE_INPUT]: utf8(sampleInputCsv(draft)),
    };
  }
  const manifest = buildManifest({ run, recipe, name, language, testMetrics: testMetrics ?? null, now, files });
  const all: ZipEntries = { [MANIFEST_FILE]: utf8(JSON.stringify(manifest, null, 2) + '\n'), ...files };

  let bytes: number;
  if (format === 'tfjs-folder') {
    await replaceDirAtomic(outPath, all);
    bytes = Object.values(all).reduce((n, b) => n + b.byteLength, 0);
  } else {
    const zip = createZip(all);
    await mkdir(dirname(outPath), { recursive: true });
    await writeFileAtomic(outPath, zip);
    bytes = (await stat(outPath)).size;
  }
  return { path: outPath, format, bytes, manifest, cleaningRecipeSource: cleaningSource, files: Object.keys(all).sort() };
}
