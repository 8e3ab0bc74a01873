/**
 * runs/<runId>/cache/: a run's training and validation rows, encoded (split-files.ts), and
 * manifest.json, written last and atomically, saying what they were built from and their sizes
 * and sha-256. A cache is used only when its manifest matches what the run asks for and every
 * file matches its manifest; anything else (half-written by a cancel or a crash, edited,
 * truncated, built for other data or another preprocessing) is thrown away and built again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { TrainingConfig } from '../../contract/training';
import { dataKeyOf } from './estimate-cache';
import { writeJsonAtomic } from '../fs/atomic-write';
import type { Preprocessing } from './preprocessing';
import type { DataSection } from './project-setup';
import { FileSplit, recordBytes, type RecordLayout, type WrittenFile } from './split-files';
import type { TrainingInputColumn } from './training-data';

export const CACHE_DIR = 'cache';
const MANIFEST = 'manifest.json';
const CACHE_FORMAT_VERSION = 1;

export const SPLIT_FILES = { train: 'train.bin', validation: 'validation.bin' } as const;

const fileSchema = z.object({ rows: z.number().int().min(0), bytes: z.number().int().min(0), sha256: z.string().length(64) });

const manifestSchema = z.object({
  formatVersion: z.literal(CACHE_FORMAT_VERSION),
  key: z.string(),
  fingerprint: z.string(),
  layout: z.object({
    width: z.number().int().min(1),
    xType: z.enum(['int32', 'float32']),
    outputKind: z.enum(['binary', 'multiclass', 'regression']),
    classes: z.number().int().min(1),
  }),
  classCounts: z.array(z.number().int().min(0)).nullable(),
  files: z.object({ train: fileSchema, validation: fileSchema }),
});
export type CacheManifest = z.infer<typeof manifestSchema>;

/**
 * What a cache depends on: the data section (source, roles, recipe, split), the columns read,
 * the settings that pick rows (seed and validation share for a hold-out) and the preprocessing.
 */
export function cacheKey(section: DataSection, inputs: readonly TrainingInputColumn[], config: TrainingConfig, preprocessing: Preprocessing): string {
  const key = { version: CACHE_FORMAT_VERSION, data: dataKeyOf(section), inputs, task: config.task, seed: config.seed, validationFraction: config.validationFraction, preprocessing };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/** An opened cache: the two splits ready to read, and what its manifest says. */
export interface OpenedCache {
  manifest: CacheManifest;
  train: FileSplit;
  validation: FileSplit;
}

/** Empties the cache folder before a build (a stale manifest must never describe new files). */
export async function resetCache(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

/** Written last: from then on the files are a cache. */
export function writeManifest(dir: string, manifest: CacheManifest): Promise<void> {
  return writeJsonAtomic(join(dir, MANIFEST), manifest);
}

/** The cache when it is whole and built for `key`; otherwise null with the reason. */
export async function openCache(dir: string, key: string): Promise<{ cache: OpenedCache | null; reason: string | null }> {
  let manifest: CacheManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')));
  } catch (error) {
    return { cache: null, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no cache' : `damaged manifest: ${(error as Error).message}` };
  }
  if (manifest.key !== key) return { cache: null, reason: 'built for other data or settings' };
  const layout: RecordLayout = manifest.layout;
  for (const name of ['train', 'validation'] as const) {
    const problem = await checkFile(join(dir, SPLIT_FILES[name]), manifest.files[name], layout);
    if (problem) return { cache: null, reason: `${name}: ${problem}` };
  }
  const train = new FileSplit(join(dir, SPLIT_FILES.train), manifest.files.train.rows, layout);
  const validation = new FileSplit(join(dir, SPLIT_FILES.validation), manifest.files.validation.rows, layout);
  return { cache: { manifest, train, validation }, reason: null };
}

async function checkFile(path: string, file: WrittenFile, layout: RecordLayout): Promise<string | null> {
  if (file.bytes !== file.rows * recordBytes(layout)) return 'size does not fit its rows';
  const size = await stat(path).then((s) => s.size, () => -1);
  if (size !== file.bytes) return size < 0 ? 'missing' : `${size} bytes, ${file.bytes} expected`;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex') === file.sha256 ? null : 'contents changed';
}
