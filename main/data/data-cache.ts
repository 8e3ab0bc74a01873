import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectData } from '../contract/data';
import { writeJsonAtomic } from '../core/fs/atomic-write';
import type { PreparedView, SourceProfile } from '../core/data/prepare-stream';

/**
 * What the Data step computed last, kept in `<project>/.modelpilot/` so reopening the step does
 * not re-read a large file: the source's profile and first rows, and the audit + split after the
 * recipe. Each entry carries the key of what it was computed from; a stale or damaged entry reads
 * as missing and is computed again. Deleting the folder loses nothing.
 */
const CACHE_DIR = '.modelpilot';
const SOURCE_FILE = 'data-source.json';
const VIEW_FILE = 'data-view.json';

function keyOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(sortedKeys(value))).digest('hex');
}

/**
 * The value with every object's keys in sorted order: the section written from memory and the one
 * read back through the schema list a step's fields in different orders, and must get one key.
 */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
  );
}

/** The source as read (content hash and reading options). */
function sourceKey(data: ProjectData): string {
  return keyOf({ sha256: data.source.sha256, spec: data.source.spec });
}

/** Everything the view depends on; fitted values are an output, so they are left out. */
function viewKey(data: ProjectData): string {
  const steps = data.recipe.steps.map((step) => {
    const { fitted: _fitted, ...rest } = step as typeof step & { fitted?: unknown };
    return rest;
  });
  return keyOf({ source: sourceKey(data), roles: data.roles, steps, split: data.split });
}

async function read<T>(dir: string, file: string, key: string): Promise<T | null> {
  try {
    const entry = JSON.parse(await readFile(join(dir, CACHE_DIR, file), 'utf8')) as { key?: string; value?: T };
    return entry.key === key && entry.value ? entry.value : null;
  } catch {
    return null;
  }
}

async function write(dir: string, file: string, key: string, value: unknown): Promise<void> {
  await mkdir(join(dir, CACHE_DIR), { recursive: true });
  await writeJsonAtomic(join(dir, CACHE_DIR, file), { key, value });
}

export const readSourceCache = (dir: string, data: ProjectData) => read<SourceProfile>(dir, SOURCE_FILE, sourceKey(data));
export const writeSourceCache = (dir: string, data: ProjectData, value: SourceProfile) => write(dir, SOURCE_FILE, sourceKey(data), value);
/** The view without the cleaned profile (the page does not need it, and it is the bulk). */
export type CachedView = Omit<PreparedView, 'profile'>;

export const readViewCache = (dir: string, data: ProjectData) => read<CachedView>(dir, VIEW_FILE, viewKey(data));
export const writeViewCache = (dir: string, data: ProjectData, { audit, split, recipe }: CachedView) =>
  write(dir, VIEW_FILE, viewKey(data), { audit, split, recipe });
