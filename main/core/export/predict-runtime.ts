/**
 * The standalone prediction runtime an export ships as examples/modelpilot-runtime.mjs: the
 * app's own preprocessing (core/inference) bundled by esbuild into one ES module. Built at app
 * build time (scripts/build-predict-runtime.mjs -> out/predict-runtime/); the packaged app has
 * no esbuild and uses that file. From sources (development, tests, the CLI under tsx) it is
 * rebuilt on the fly whenever a source file is newer than the prebuilt one, so an export never
 * ships preprocessing older than the app's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreError } from '../errors';
import { writeFileAtomic } from '../fs/atomic-write';

/** The entry module, relative to the app root. */
export const RUNTIME_ENTRY = 'main/core/inference/runtime-entry.ts';
/** Where the build writes the runtime, relative to the app root. */
export const PREBUILT_RUNTIME = 'out/predict-runtime/modelpilot-runtime.mjs';
/** Beside the prebuilt runtime: the source files it was built from, for the staleness check. */
export const PREBUILT_INPUTS_FILE = 'modelpilot-runtime.inputs.json';

const BANNER = [
  '// ModelPilot prediction runtime: the app\'s own cleaning recipe, tokenizer and table encoding',
  '// (main/core/inference in the ModelPilot sources), bundled into one file by esbuild.',
  '// Generated: do not edit. Needs Node 18+ and @tensorflow/tfjs, which the caller passes in.',
].join('\n');

/** The app folder (holds our package.json): from sources the repo, in a packaged app its resources. */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        if ((JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'modelpilot') return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[]; metafile?: { inputs: Record<string, unknown> } }>;
}

async function loadEsbuild(): Promise<EsbuildLike | null> {
  try {
    // A variable specifier: bundlers leave it alone, and the packaged app (no esbuild) gets null.
    const specifier = 'esbuild';
    return (await import(/* @vite-ignore */ specifier)) as EsbuildLike;
  } catch {
    return null;
  }
}

/**
 * zod's classic build re-exports every locale's error messages (about half of the runtime);
 * the runtime only ever words errors in English, so the locale index is cut to English.
 */
function zodEnglishOnly(): { name: string; setup(build: { onLoad(options: { filter: RegExp }, cb: (args: { path: string }) => { contents: string; resolveDir: string }): void }): void } {
  return {
    name: 'zod-english-only',
    setup(build) {
      build.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
        contents: 'export { default as en } from "./en.js";',
        resolveDir: dirname(args.path),
      }));
    },
  };
}

/**
 * Bundles the runtime from sources with esbuild. Returns the code and the source files it
 * read (relative to the root, forward slashes). `predict_runtime_missing` without esbuild.
 */
export async function buildPredictRuntime(root = appRoot()): Promise<{ code: string; inputs: string[] }> {
  const entry = join(root, RUNTIME_ENTRY);
  const esbuild = existsSync(entry) ? await loadEsbuild() : null;
  if (!esbuild) throw new CoreError('predict_runtime_missing', `no prebuilt ${PREBUILT_RUNTIME} and no esbuild with ${RUNTIME_ENTRY} to build it`, { path: PREBUILT_RUNTIME });
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    write: false,
    metafile: true,
    // Never bundle tfjs: the user's own @tensorflow/tfjs is passed in by predict.mjs.
    external: ['@tensorflow/tfjs', '@tensorflow/*'],
    plugins: [zodEnglishOnly()],
    banner: { js: BANNER },
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const code = result.outputFiles?.[0]?.text;
  if (!code) throw new CoreError('predict_runtime_missing', 'esbuild produced no runtime', { path: RUNTIME_ENTRY });
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((p) => p.split(sep).join('/'));
  if (inputs.some((p) => p.includes('@tensorflow/'))) throw new CoreError('internal', 'the prediction runtime must not import tfjs itself', {});
  return { code, inputs };
}

/** Builds the runtime and writes it (and its input list) where the app looks for it. */
export async function writePrebuiltRuntime(root = appRoot(), outFile = join(root, PREBUILT_RUNTIME)): Promise<string> {
  const { code, inputs } = await buildPredictRuntime(root);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFileAtomic(outFile, code);
  await writeFileAtomic(join(dirname(outFile), PREBUILT_INPUTS_FILE), JSON.stringify({ inputs }, null, 2) + '\n');
  return outFile;
}

/** True when a source file the prebuilt runtime came from is newer than it (sources edited since). */
async function isStale(root: string, runtimePath: string): Promise<boolean> {
  let inputs: string[];
  try {
    inputs = (JSON.parse(await readFile(join(dirname(runtimePath), PREBUILT_INPUTS_FILE), 'utf8')) as { inputs: string[] }).inputs;
  } catch {
    return false;
  }
  const built = (await stat(runtimePath)).mtimeMs;
  for (const input of inputs) {
    const path = join(root, input);
    // Sources are absent in a packaged app: nothing to compare with.
    const info = await stat(path).catch(() => null);
    if (info && info.mtimeMs > built) return true;
  }
  return false;
}

let cached: { key: string; code: string } | null = null;

/**
 * The runtime's code: the prebuilt file when present and current, else built now with esbuild
 * (cached for this process until a source changes). `prebuilt` defaults to out/predict-runtime.
 */
export async function predictRuntimeCode(options: { root?: string; prebuilt?: string } = {}): Promise<string> {
  const root = options.root ?? appRoot();
  const prebuilt = options.prebuilt ?? join(root, PREBUILT_RUNTIME);
  const hasPrebuilt = existsSync(prebuilt);
  if (hasPrebuilt && !(await isStale(root, prebuilt))) return readFile(prebuilt, 'utf8');
  const key = await sourcesKey(root);
  if (cached && cached.key === key) return cached.code;
  try {
    const { code } = await buildPredictRuntime(root);
    cached = { key, code };
    return code;
  } catch (error) {
    // Stale but present beats nothing (esbuild missing where sources happen to be newer).
    if (hasPrebuilt) return readFile(prebuilt, 'utf8');
    throw error;
  }
}

/** Newest modification time of the core and contract sources (the on-the-fly build's cache key). */
async function sourcesKey(root: string): Promise<string> {
  let newest = 0;
  for (const folder of ['main/core', 'main/contract']) {
    const dir = join(root, folder);
    const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries) {
      if (!entry.endsWith('.ts')) continue;
      const info = await stat(join(dir, entry)).catch(() => null);
      if (info && info.mtimeMs > newest) newest = info.mtimeMs;
    }
  }
  return `${relative('/', root)}:${newest}`;
}
